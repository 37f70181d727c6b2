import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/main.js';
import { leniencies, leniencyNames } from '../src/emulator/leniency.js';
import { runCliForTest } from './support/run-cli.js';

/** Runs `paxos-onboard emulator ...` in-process; `stop()` plays the user's Ctrl-C. */
function runEmulatorCommand(argv: string[], cwd = process.cwd(), env: NodeJS.ProcessEnv = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  let stop: () => void = () => {};
  const interrupted = new Promise<void>((resolve) => (stop = resolve));
  const listening = new Promise<string>((resolve) => {
    stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /listening on (http:\/\/\S+)/.exec(out)?.[1];
      if (url) resolve(url);
    });
  });
  const done = runCli(['emulator', ...argv], { stdout, stderr, env, cwd, interrupted, exitCode: 0 });
  return { listening, stop, done, output: () => out, errors: () => err };
}

describe('paxos-onboard emulator', () => {
  it('serves requests until interrupted, then stops cleanly', async () => {
    const run = runEmulatorCommand(['--port', '0', '--client-id', 'acme', '--client-secret', 's3cr3t-value']);
    const url = await run.listening;
    const token = await request(`${url}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&client_id=acme&client_secret=s3cr3t-value&scope=events:read_event',
    });
    const { access_token: accessToken } = (await token.body.json()) as { access_token: string };
    const events = await request(`${url}/v2/events`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(events.statusCode).toBe(200);
    expect(await events.body.json()).toEqual({ events: [] });
    run.stop();
    expect(await run.done).toBe(0);
    expect(run.output()).toContain(`Token URL:    ${url}/oauth2/token`);
    expect(run.output()).toContain("client id 'acme'");
    expect(run.output()).toContain('curl -s -X POST');
    expect(run.output()).toMatch(/Stopped\.\n$/);
    expect(run.output()).not.toContain('s3cr3t-value');
    await expect(request(`${url}/v2/events`)).rejects.toThrow();
  });

  it('keeps --data relative to the working directory and flushes it on stop', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'emulator-cli-'));
    try {
      const run = runEmulatorCommand(['--port', '0', '--data', 'state.json'], directory);
      await run.listening;
      run.stop();
      expect(await run.done).toBe(0);
      expect(run.output()).toContain(`Stopped; state saved to ${join(directory, 'state.json')}.`);
      expect(JSON.parse(await readFile(join(directory, 'state.json'), 'utf8'))).toMatchObject({ version: 1, events: [] });
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it.each([
    [['--faults', '5xx=2'], /--faults: 5xx is a probability, got 2; write e\.g\. 5xx=0\.05/],
    [['--faults', 'chaos=1'], /--faults: 'chaos=1' is not a fault/],
    [['--rate-window', 'soon'], /--rate-window: 'soon' is not a duration; write e\.g\. 500ms, 2s, 5m or 1h/],
    [['--approve', 'later'], /--approve: 'later' is not an approval mode; write manual, auto or after:<duration>/],
    [['--approve', 'after:x'], /'x' is not a duration/],
    [['--port', 'eighty'], /--port: 'eighty' is not a whole number/],
    [['--client-id', 'only'], /--client-id and --client-secret go together/],
    [['--client-id', 'a', '--client-secret', 'b', '--client-secret-file', 'c'], /--client-secret and --client-secret-file both give the secret; give one/],
    [['--client-id', 'a', '--client-secret-file', '/nonexistent/secret'], /--client-secret-file: cannot read '\/nonexistent\/secret' \(ENOENT\)/],
    [['--client-scopes', 'identity:read_identity admin:all'], /--client-scopes: 'admin:all' is not a scope of the Paxos spec/],
    [['--lenient', 'instant-fills,kindness'], /--lenient: 'kindness' is not a leniency; write one or more of repeated-query-params, /],
  ])('refuses %j with what to write instead', async (argv, message) => {
    const result = await runCliForTest(['emulator', ...argv]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('lists every leniency with its description in --help', async () => {
    const result = await runCliForTest(['emulator', '--help']);
    expect(result.code).toBe(0);
    const help = result.stdout.replace(/\s+/g, ' ');
    for (const name of leniencyNames) expect(help).toContain(`${name} ${leniencies[name].replace(/\s+/g, ' ')}`);
    expect(result.stdout).toContain('--lenient');
    expect(result.stdout).toContain('--client-secret-file');
  });

  it('prints the active leniencies in the banner: none by default, each one named with --lenient', async () => {
    const strict = runEmulatorCommand(['--port', '0']);
    await strict.listening;
    strict.stop();
    expect(await strict.done).toBe(0);
    expect(strict.output()).toContain('Leniencies:   none: as strict as documented Paxos');
    const lenient = runEmulatorCommand(['--port', '0', '--lenient', 'retry-after,event-cursors']);
    await lenient.listening;
    lenient.stop();
    expect(await lenient.done).toBe(0);
    expect(lenient.output()).toContain('Leniencies:   retry-after, event-cursors');
  });

  it('takes the client secret from a file or the environment, and limits the scopes a token may ask for', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'emulator-cli-'));
    const tokenFor = (url: string, secret: string, scope: string) =>
      request(`${url}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `grant_type=client_credentials&client_id=acme&client_secret=${secret}&scope=${encodeURIComponent(scope)}`,
      });
    try {
      await writeFile(join(directory, 'secret.txt'), 'from-a-file\n');
      const fromFile = runEmulatorCommand(['--port', '0', '--rate-limits', 'off', '--client-id', 'acme', '--client-secret-file', 'secret.txt', '--client-scopes', 'events:read_event'], directory);
      const url = await fromFile.listening;
      expect((await tokenFor(url, 'from-a-file', 'events:read_event')).statusCode).toBe(200);
      const refused = await tokenFor(url, 'from-a-file', 'events:read_event identity:read_identity');
      expect(refused.statusCode).toBe(400);
      expect(await refused.body.json()).toMatchObject({ error: 'invalid_scope' });
      expect((await tokenFor(url, 'wrong', 'events:read_event')).statusCode).toBe(401);
      fromFile.stop();
      expect(await fromFile.done).toBe(0);
      expect(fromFile.output()).not.toContain('from-a-file');
      expect(fromFile.output()).toContain('Scopes:       events:read_event');

      const fromEnv = runEmulatorCommand(['--port', '0', '--rate-limits', 'off', '--client-id', 'acme'], directory, { PAXOS_EMULATOR_CLIENT_SECRET: 'from-the-env' });
      const envUrl = await fromEnv.listening;
      expect((await tokenFor(envUrl, 'from-the-env', 'events:read_event')).statusCode).toBe(200);
      fromEnv.stop();
      expect(await fromEnv.done).toBe(0);
      expect(fromEnv.output()).not.toContain('from-the-env');
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
