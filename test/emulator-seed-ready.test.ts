/**
 * Issue 12, "for any language": the built CLI started as another language's
 * test suite would start it — `emulator --seed-manifest ... --outputs ...
 * --ready-json` — prints one JSON line once the seeded world is there, the
 * printed credentials reach it, `POST /_emulator/reset` empties it and the
 * same token keeps working. Also `RunningEmulator.reset()` and the library
 * emulator's fast face, in-process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { networkInterfaces, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../src/emulator/start-emulator.js';
import { runCliForTest } from './support/run-cli.js';

const bin = resolve('dist/cli/bin.js');
const fixture = resolve('fixtures/institution-brokerage.yaml');

interface Ready {
  url: string;
  apiUrl: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  outputs: { resources: Record<string, { kind: string; ids: Record<string, string>; status?: string; outcome: string }> } | null;
}

let dir: string;
let child: ChildProcess | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'paxos-onboard-ready-'));
});
afterEach(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  child = undefined;
  await rm(dir, { recursive: true, force: true });
});

/** Spawns the built CLI and resolves with the first stdout line, parsed; the rest of stdout and stderr are collected. */
function startCli(args: string[], env: NodeJS.ProcessEnv = {}): { ready: Promise<Ready>; output: () => { stdout: string; stderr: string }; exited: Promise<number | null> } {
  const spawned = spawn(process.execPath, [bin, 'emulator', '--port', '0', ...args], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', PAXOS_ONBOARD_LOCK_DIR: join(dir, 'locks'), PAXOS_ONBOARD_CACHE_DIR: join(dir, 'cache'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = spawned;
  let stdout = '';
  let stderr = '';
  spawned.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((done) => spawned.on('exit', (code) => done(code)));
  const ready = new Promise<Ready>((found, fail) => {
    spawned.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const end = stdout.indexOf('\n');
      if (end !== -1) found(JSON.parse(stdout.slice(0, end)) as Ready);
    });
    void exited.then((code) => fail(new Error(`the emulator exited (${code}) before its ready line:\n${stderr}`)));
  });
  return { ready, output: () => ({ stdout, stderr }), exited };
}

async function token(ready: Ready): Promise<string> {
  const response = await fetch(ready.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: ready.clientId, client_secret: ready.clientSecret, scope: 'identity:read_identity funding:read_profile' }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

async function get(url: string, bearer: string): Promise<{ status: number; body: any }> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${bearer}` } });
  return { status: response.status, body: await response.json() };
}

describe('paxos-onboard emulator --seed-manifest --ready-json', () => {
  it('prints one JSON line once the seeded world is served; its credentials reach it; reset empties it and the token stays valid', async () => {
    const run = startCli(['--seed-manifest', fixture, '--outputs', 'ids.json', '--ready-json']);
    const ready = await run.ready;

    expect(ready.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(ready.apiUrl).toBe(`${ready.url}/v2`);
    expect(ready.tokenUrl).toBe(`${ready.url}/oauth2/token`);
    const resources = ready.outputs?.resources ?? {};
    expect(Object.keys(resources)).toEqual(expect.arrayContaining(['person.alice', 'institution.acme', 'account.acme-brokerage']));
    expect(resources['institution.acme']?.status).toBe('APPROVED');
    // The outputs file holds the same ids as the line.
    const written = JSON.parse(await readFile(join(dir, 'ids.json'), 'utf8')) as NonNullable<Ready['outputs']>;
    expect(written.resources).toEqual(resources);

    const bearer = await token(ready);
    const acmeId = resources['institution.acme']?.ids.identity_id ?? '';
    const acme = await get(`${ready.apiUrl}/identity/identities/${acmeId}`, bearer);
    expect(acme.status).toBe(200);
    expect(acme.body.summary_status).toBe('APPROVED');
    const profileId = resources['account.acme-brokerage']?.ids.profile_id ?? '';
    const balances = await get(`${ready.apiUrl}/profiles/${profileId}/balances`, bearer);
    expect(balances.status).toBe(200);

    const reset = await fetch(`${ready.url}/_emulator/reset`, { method: 'POST' });
    expect(reset.status).toBe(200);
    expect((await get(`${ready.apiUrl}/identity/identities/${acmeId}`, bearer)).status).toBe(404);
    const listing = await get(`${ready.apiUrl}/identity/identities`, bearer);
    expect(listing.status).toBe(200);
    expect(listing.body.items).toEqual([]);

    child?.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    // stdout is the machine's: the ready line and nothing else; people read stderr.
    const { stdout, stderr } = run.output();
    expect(stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toContain('Paxos emulator listening on');
    expect(stderr).toContain('Seeded 8 resource(s)');
  });

  it('with --client-id, seeds with those credentials and prints them; without --seed-manifest, outputs is null', async () => {
    await writeFile(join(dir, 'secret.txt'), 'the-secret\n');
    const run = startCli(['--client-id', 'suite-client', '--client-secret-file', 'secret.txt', '--ready-json']);
    const ready = await run.ready;
    expect(ready).toMatchObject({ clientId: 'suite-client', clientSecret: 'the-secret', outputs: null });
    await token(ready);
    const wrong = await fetch(ready.tokenUrl, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'suite-client', client_secret: 'guess' }) });
    expect(wrong.status).toBe(401);
  });

  it('stops with a message naming what did not converge rather than serving half a world', async () => {
    // An order no deposit funds: the seed cannot converge.
    await writeFile(
      join(dir, 'broke.yaml'),
      [
        'version: 1',
        'environment: sandbox',
        'persons:',
        '  carol: { first_name: Carol, last_name: Example, date_of_birth: "1980-01-01", nationality: USA, cip_id: "100-10-1234", cip_id_type: SSN, cip_id_country: USA,',
        '    address: { address1: 1 Example St, city: New York, province: NY, country: USA, zip_code: "10001" },',
        '    customer_due_diligence: { estimated_yearly_income: INCOME_50K_TO_100K, expected_transfer_value: TRANSFER_VALUE_25K_TO_50K, source_of_wealth: EMPLOYMENT_INCOME, employment_status: FULL_TIME, employment_industry_sector: FINANCE_INSURANCE },',
        '    tax_details: [{ tax_payer_id: "100-10-1234", tax_payer_country: USA }] }',
        'accounts:',
        '  carol-brokerage: { identity: person.carol, profile: true }',
        'orders:',
        '  carol-buy: { profile: account.carol-brokerage, market: BTCUSD, side: BUY, type: MARKET, quote_amount: "1000" }',
        '',
      ].join('\n'),
    );
    const run = startCli(['--seed-manifest', 'broke.yaml', '--ready-json']);
    await expect(run.ready).rejects.toThrow(/exited/);
    expect(await run.exited).toBe(1);
    expect(run.output().stdout).toBe('');
    expect(run.output().stderr).toMatch(/order\.carol-buy/);
  });

  it('refuses --outputs without --seed-manifest', async () => {
    const result = await runCliForTest(['emulator', '--port', '0', '--outputs', 'ids.json'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--seed-manifest');
  });
});

describe('plan/apply --realistic', () => {
  it('runs the embedded emulator with the sandbox timing only when asked, and says so', async () => {
    const env = { PAXOS_ONBOARD_LOCK_DIR: join(dir, 'locks') };
    const realistic = await runCliForTest(['plan', resolve('fixtures/person-brokerage.yaml'), '--realistic'], { cwd: dir, env });
    expect(realistic.code).toBe(0);
    expect(realistic.stderr).toMatch(/Target: local emulator at \S+ with sandbox timing/);
    const fast = await runCliForTest(['plan', resolve('fixtures/person-brokerage.yaml')], { cwd: dir, env });
    expect(fast.code).toBe(0);
    expect(fast.stderr).toMatch(/Target: local emulator at/);
    expect(fast.stderr).not.toContain('sandbox timing');
  });
});

describe('RunningEmulator.reset() and the library emulator', () => {
  let emulator: RunningEmulator;
  afterEach(async () => emulator.close());

  async function tokenFor(url: string): Promise<string> {
    const response = await fetch(`${url}/oauth2/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'c', client_secret: 's', scope: 'funding:read_profile funding:write_profile' }) });
    return ((await response.json()) as { access_token: string }).access_token;
  }

  async function createProfile(url: string, bearer: string, nickname: string): Promise<number> {
    const response = await fetch(`${url}/v2/profiles`, { method: 'POST', headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' }, body: JSON.stringify({ nickname }) });
    await response.arrayBuffer();
    return response.status;
  }

  it('empties the state in place; the same nickname can be made again and the token still works', async () => {
    emulator = await startEmulator();
    const bearer = await tokenFor(emulator.url);
    expect(await createProfile(emulator.url, bearer, 'book')).toBe(200);
    expect(await createProfile(emulator.url, bearer, 'book')).toBe(409);
    const live = emulator.state;
    emulator.reset();
    expect(emulator.state).toBe(live);
    expect(Object.keys(emulator.state.profiles)).toEqual([]);
    expect(emulator.state.events).toEqual([]);
    expect(await createProfile(emulator.url, bearer, 'book')).toBe(200);
  });

  it('has no rate limits unless asked: 200 profile reads within a one-second window (the Paxos limit is 50) all answer 200', async () => {
    emulator = await startEmulator({ rateWindowMs: 1000 });
    const bearer = await tokenFor(emulator.url);
    const statuses = await Promise.all(
      Array.from({ length: 200 }, async () => {
        const response = await fetch(`${emulator.url}/v2/profiles`, { headers: { authorization: `Bearer ${bearer}` } });
        await response.arrayBuffer();
        return response.status;
      }),
    );
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
  });

  it('answers reset from another machine only with a token it issued', async () => {
    const external = Object.values(networkInterfaces())
      .flat()
      .find((entry) => entry && entry.family === 'IPv4' && !entry.internal)?.address;
    if (external === undefined) return; // no non-loopback interface to call from on this machine
    emulator = await startEmulator({ host: '0.0.0.0' });
    const port = new URL(emulator.url).port;
    const base = `http://${external}:${port}`;
    const anonymous = await fetch(`${base}/_emulator/reset`, { method: 'POST' });
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { detail: string }).detail).toContain('bearer token');
    const bearer = await tokenFor(base);
    const withToken = await fetch(`${base}/_emulator/reset`, { method: 'POST', headers: { authorization: `Bearer ${bearer}` } });
    expect(withToken.status).toBe(200);
  });
});
