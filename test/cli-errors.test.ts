/**
 * Issue 13: every error a user can cause, or meet on their machine, is one
 * clear line with a code (no stack trace), and with `--format json` it is a
 * JSON object on stdout, so a script parses one format.
 */
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderError, renderErrorJson } from '../src/cli/render-error.js';
import { runCliForTest } from './support/run-cli.js';
import { writeTempManifests, yaml } from './support/temp-manifest.js';

const stackLine = /^\s+at /m;

describe('errors of the machine', () => {
  let busy: Server;
  let busyPort = 0;
  beforeAll(async () => {
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    busyPort = (busy.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => busy.close(() => resolve())));

  it('emulator --port 99999 is a usage error naming the range, exit 2', async () => {
    const run = await runCliForTest(['emulator', '--port', '99999']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--port: '99999' is not a whole number from 0 to 65535; write e.g. --port 4010");
    expect(run.stderr).not.toMatch(stackLine);
    expect(run.stderr).not.toContain('unexpected');
  });

  it('emulator --port abc is a usage error too, not NaN', async () => {
    const run = await runCliForTest(['emulator', '--port', 'abc']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^--port: 'abc' is not a whole number from 0 to 65535; write e.g. --port 4010$/m);
  });

  it('a port in use says so in one line with a code and what to do, exit 1', async () => {
    const run = await runCliForTest(['emulator', '--port', String(busyPort)]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `error system.port_in_use: 127.0.0.1:${busyPort} is already in use\n  hint: stop what listens there, or choose another port (--port 0 takes any free one)\n`,
    );
  });

  it('an --outputs file that cannot be written is one line, not a trace', async () => {
    const dir = await writeTempManifests({ 'm.yaml': yaml`
      version: 1
      environment: local
      profiles:
        book: { nickname: Book }
    ` });
    try {
      const run = await runCliForTest(['apply', 'm.yaml', '--outputs', 'no/such/folder/ids.json', '--format', 'json'], { cwd: dir.dir });
      const last = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '') as { ok: boolean; error: { code: string; message: string } };
      expect(run.code).toBe(1);
      expect(last.ok).toBe(false);
      expect(last.error.code).toBe('apply.outputs_unwritable');
      expect(run.stdout + run.stderr).not.toMatch(stackLine);
    } finally {
      await dir.remove();
    }
  });
});

describe('--format json: errors as JSON on stdout', () => {
  it('plan: a manifest problem is {ok:false, error:{code, message, issues}} on stdout, nothing on stderr but the notice, exit 1', async () => {
    const dir = await writeTempManifests({ 'bad.yaml': 'version: 1\nenvironment: local\npersons:\n  alice: { first_name: 12 }\n' });
    try {
      const run = await runCliForTest(['plan', 'bad.yaml', '--format', 'json'], { cwd: dir.dir });
      expect(run.code).toBe(1);
      const answer = JSON.parse(run.stdout) as { ok: boolean; error: { code: string; message: string; issues: { code: string; file: string; line: number }[] } };
      expect(answer.ok).toBe(false);
      expect(answer.error.code).toBe('manifest.invalid');
      expect(answer.error.issues.length).toBeGreaterThan(0);
      expect(answer.error.issues[0]?.file).toBe('bad.yaml');
      expect(run.stderr).not.toContain('bad.yaml');
    } finally {
      await dir.remove();
    }
  });

  it('apply: a bad flag value is a usage error in JSON, exit 2', async () => {
    const run = await runCliForTest(['apply', 'x.yaml', '--concurrency', '0', '--format', 'json']);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toEqual({ ok: false, error: { code: 'usage', message: "--concurrency: '0' is not a whole number of at least 1; write e.g. --concurrency 8" } });
    expect(run.stderr).toBe('');
  });

  it('validate and plan: an unknown flag is a usage error in JSON (--format=json too)', async () => {
    for (const argv of [['validate', 'x.yaml', '--format', 'json', '--bogus'], ['plan', 'x.yaml', '--format=json', '--bogus']]) {
      const run = await runCliForTest(argv);
      expect(run.code).toBe(2);
      expect(JSON.parse(run.stdout)).toEqual({ ok: false, error: { code: 'usage', message: 'Unknown argument: bogus' } });
    }
  });

  it('without --format json, the same usage error is text on stderr naming the command’s help', async () => {
    const run = await runCliForTest(['plan', 'x.yaml', '--bogus']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe("Unknown argument: bogus\nRun 'paxos-onboard plan --help' for usage.\n");
  });
});

describe('a problem of the machine, by its system error code', () => {
  it.each([
    [Object.assign(new Error("EACCES: permission denied, open '/srv/ids.json'"), { code: 'EACCES', path: '/srv/ids.json' }), 'error system.permission_denied: permission denied on /srv/ids.json'],
    [Object.assign(new Error('listen EACCES: permission denied 0.0.0.0:80'), { code: 'EACCES', port: 80 }), 'error system.permission_denied: permission denied to listen on port 80'],
    [Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }), 'error system.disk_full: no space left on the device'],
  ])('%#: one line with a code and a hint, never the syscall text', (error, line) => {
    const text = renderError(error);
    expect(text.split('\n')[0]).toBe(line);
    expect(text).toMatch(/\n {2}hint: \S/);
    expect(text).not.toMatch(stackLine);
  });
});

describe('an unexpected error', () => {
  const bug = new TypeError("Cannot read properties of undefined (reading 'id')");

  it('prints one line with a code and where to report it; the trace only with --debug', () => {
    const text = renderError(bug);
    expect(text.split('\n')).toHaveLength(2);
    expect(text).toMatch(/^unexpected error internal: TypeError: Cannot read properties of undefined \(reading 'id'\)\n {2}hint: this is a bug in paxos-onboard: run again with --debug for the trace, and report it at https:\/\//);
    expect(text).not.toMatch(stackLine);
    expect(renderError(bug, { debug: true })).toMatch(stackLine);
  });

  it('in JSON: code internal, no stack unless --debug', () => {
    const answer = JSON.parse(renderErrorJson(bug)) as { ok: boolean; error: Record<string, unknown> };
    expect(answer.ok).toBe(false);
    expect(answer.error.code).toBe('internal');
    expect(answer.error.stack).toBeUndefined();
    expect((JSON.parse(renderErrorJson(bug, { debug: true })) as { error: { stack: string } }).error.stack).toMatch(stackLine);
  });
});

describe('validate', () => {
  it('a missing file is "1 error", never "1 error in 0 files"', async () => {
    const run = await runCliForTest(['validate', 'nothere.yaml'], { cwd: process.cwd() });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('nothere.yaml  file.not_found');
    expect(run.stdout).toMatch(/^✗ 1 error$/m);
    expect(run.stdout).not.toContain('0 files');
  });
});
