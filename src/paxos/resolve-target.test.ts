import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PaxosOnboardError, UsageError } from '../errors.js';
import { resolveTarget } from './resolve-target.js';

const cwd = '/work/project';
const both = { PAXOS_CLIENT_ID: 'client-1', PAXOS_CLIENT_SECRET: 'secret-1' };

function failure(run: () => unknown): PaxosOnboardError {
  try {
    run();
  } catch (error) {
    if (error instanceof PaxosOnboardError) return error;
    throw error;
  }
  throw new Error('expected resolveTarget to throw');
}

describe('resolveTarget', () => {
  it('without --target: the sandbox when both variables are set, the embedded emulator when neither is', () => {
    expect(resolveTarget({ env: both, cwd })).toEqual({
      kind: 'server',
      target: {
        kind: 'sandbox',
        environment: 'sandbox',
        apiUrl: 'https://api.sandbox.paxos.com/v2',
        tokenUrl: 'https://oauth.sandbox.paxos.com/oauth2/token',
        description: 'Paxos sandbox at https://api.sandbox.paxos.com/v2 (client client-1)',
      },
      credentials: { clientId: 'client-1', clientSecret: 'secret-1' },
    });
    expect(resolveTarget({ env: {}, cwd })).toMatchObject({ kind: 'embedded-emulator', dataFile: join(cwd, '.paxos-onboard', 'local-emulator.json') });
    expect(resolveTarget({ env: { PAXOS_CLIENT_ID: ' ', PAXOS_CLIENT_SECRET: '' }, cwd }).kind).toBe('embedded-emulator');
  });

  it('without --target and only one variable: names the missing one', () => {
    const onlyId = failure(() => resolveTarget({ env: { PAXOS_CLIENT_ID: 'client-1' }, cwd }));
    expect(onlyId.code).toBe('target.credentials_missing');
    expect(onlyId.message).toMatch(/^PAXOS_CLIENT_SECRET is not set; /);
    const onlySecret = failure(() => resolveTarget({ env: { PAXOS_CLIENT_SECRET: 'secret-1' }, cwd }));
    expect(onlySecret.message).toMatch(/^PAXOS_CLIENT_ID is not set; /);
    expect(onlySecret.message).not.toContain('secret-1');
  });

  it('production only when named, and never without credentials', () => {
    expect(resolveTarget({ target: 'production', env: both, cwd })).toMatchObject({
      kind: 'server',
      target: { kind: 'production', environment: 'production', apiUrl: 'https://api.paxos.com/v2', tokenUrl: 'https://oauth.paxos.com/oauth2/token' },
    });
    const missing = failure(() => resolveTarget({ target: 'production', env: {}, cwd }));
    expect(missing.code).toBe('target.credentials_missing');
    expect(missing.message).toBe(
      'PAXOS_CLIENT_ID and PAXOS_CLIENT_SECRET are not set; --target production needs both PAXOS_CLIENT_ID and PAXOS_CLIENT_SECRET (unset both to use the local emulator)',
    );
    expect(failure(() => resolveTarget({ target: 'sandbox', env: {}, cwd })).code).toBe('target.credentials_missing');
  });

  it('local when named, even with credentials set', () => {
    expect(resolveTarget({ target: 'local', env: both, cwd }).kind).toBe('embedded-emulator');
  });

  it('a URL: token at <url>/oauth2/token, API at <url>/v2, counted as local, with placeholder credentials when none are set', () => {
    const resolved = resolveTarget({ target: 'http://127.0.0.1:4010/', env: {}, cwd });
    expect(resolved).toMatchObject({
      kind: 'server',
      target: { kind: 'url', environment: 'local', apiUrl: 'http://127.0.0.1:4010/v2', tokenUrl: 'http://127.0.0.1:4010/oauth2/token' },
    });
    expect(resolved.credentials.clientId).not.toBe('');
    expect(resolved.credentials.clientSecret).not.toBe('');
    // Given with its /v2, or under a prefix, it names the same server; the environment's credentials are used.
    expect(resolveTarget({ target: 'https://paxos.test/mock/v2', env: both, cwd })).toMatchObject({
      target: { apiUrl: 'https://paxos.test/mock/v2', tokenUrl: 'https://paxos.test/mock/oauth2/token' },
      credentials: { clientId: 'client-1' },
    });
  });

  it('refuses anything else as a usage error that says what to write', () => {
    for (const target of ['staging', 'ftp://host', 'http://', 'http://host:4010/?x=1']) {
      const error = failure(() => resolveTarget({ target, env: {}, cwd }));
      expect(error).toBeInstanceOf(UsageError);
      expect(error.message).toMatch(/^--target: .*write /);
    }
  });
});
