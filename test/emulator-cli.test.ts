import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/main.js';
import { runCliForTest } from './support/run-cli.js';

/** Runs `paxos-onboard emulator ...` in-process; `stop()` plays the user's Ctrl-C. */
function runEmulatorCommand(argv: string[], cwd = process.cwd()) {
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
  const done = runCli(['emulator', ...argv], { stdout, stderr, env: {}, cwd, interrupted, exitCode: 0 });
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
  ])('refuses %j with what to write instead', async (argv, message) => {
    const result = await runCliForTest(['emulator', ...argv]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});
