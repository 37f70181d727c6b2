import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PaxosOnboardError, UsageError } from '../errors.js';
import { placeholderCredentials, resolveTarget } from './resolve-target.js';

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

  it('a paxos.com URL is refused: sandbox and production are named, so the environment guard knows where the run goes', () => {
    for (const target of ['https://api.sandbox.paxos.com/v2', 'https://api.paxos.com', 'https://PAXOS.com./', 'http://oauth.sandbox.paxos.com:443/']) {
      for (const env of [{}, both]) {
        const error = failure(() => resolveTarget({ target, env, cwd }));
        expect(error).toBeInstanceOf(UsageError);
        expect(error.message).toContain('--target sandbox or --target production');
      }
    }
    // Only paxos.com itself and its subdomains.
    expect(resolveTarget({ target: 'https://notpaxos.com', env: both, cwd }).kind).toBe('server');
    expect(resolveTarget({ target: 'https://paxos.com.example.org', env: both, cwd }).kind).toBe('server');
  });

  it("a URL gets the environment's credentials over https or to a loopback host", () => {
    for (const target of ['https://paxos.test/mock', 'http://127.0.0.1:4010', 'http://127.9.8.7', 'http://127.1:4010', 'http://localhost:4010', 'http://[::1]:4010']) {
      expect(resolveTarget({ target, env: both, cwd }).credentials, target).toEqual({ clientId: 'client-1', clientSecret: 'secret-1' });
    }
  });

  it('refuses plain http to another machine while credentials are set, saying why and what to do', () => {
    for (const target of ['http://emulator.internal:4010', 'http://10.0.0.5:4010', 'http://128.0.0.1', 'http://[::2]:4010', 'http://localhost.example.org']) {
      const error = failure(() => resolveTarget({ target, env: both, cwd }));
      expect(error.code, target).toBe('target.credentials_in_clear');
      expect(error.message).toContain('would travel in clear');
      expect(error.message).toContain('use an https URL, or unset both variables');
      expect(error.message).not.toContain('secret-1');
    }
  });

  it('without credentials set, any URL gets the placeholders, never a real secret', () => {
    for (const target of ['http://emulator.internal:4010', 'https://paxos.test', 'http://127.0.0.1:4010']) {
      const resolved = resolveTarget({ target, env: { PAXOS_CLIENT_SECRET: 'secret-1' }, cwd });
      expect(resolved.credentials).toEqual(placeholderCredentials);
    }
  });

  it('refuses anything else as a usage error that says what to write', () => {
    for (const target of ['staging', 'ftp://host', 'http://', 'http://host:4010/?x=1']) {
      const error = failure(() => resolveTarget({ target, env: {}, cwd }));
      expect(error).toBeInstanceOf(UsageError);
      expect(error.message).toMatch(/^--target: .*write /);
    }
  });
});
