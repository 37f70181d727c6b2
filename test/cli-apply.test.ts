/**
 * `paxos-onboard apply` end to end, in-process through runCli, against an
 * emulator on port 0 named with `--target <url>`: what a user reads in a pipe
 * (no question, timestamped lines, the outputs table), `--format json` for
 * machines, `--outputs`, a saved plan, exit codes, and PII kept masked.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { ApplyEvent, ApplyOutputs } from '../src/apply/apply-types.js';
import { header, personBodyFor, personYaml } from './support/plan-manifests.js';
import { runCliForTest } from './support/run-cli.js';
import { startTestEmulator, type TestEmulator } from './support/test-emulator.js';
import { writeTempManifests, type TempManifestDir } from './support/temp-manifest.js';

const repoRoot = join(import.meta.dirname, '..');
let emulator: TestEmulator;
let cwd: string;
let temp: TempManifestDir | undefined;
beforeEach(async () => {
  emulator = await startTestEmulator({ rateLimits: 'off' });
  cwd = await mkdtemp(join(tmpdir(), 'paxos-onboard-cli-apply-'));
});
afterEach(async () => {
  await temp?.remove();
  temp = undefined;
  await emulator.close();
  await rm(cwd, { recursive: true, force: true });
});

const apply = (args: string[], from = cwd) => runCliForTest(['apply', ...args, '--target', emulator.url], { cwd: from, env: {} });
const fixture = (name: string) => join(repoRoot, 'fixtures', name);

it('applies in a pipe without asking, prints timestamped progress and the outputs table, and writes --outputs', async () => {
  const run = await apply([fixture('person-brokerage.yaml'), '--outputs', 'ids.json']);
  expect(run.code, run.stderr).toBe(0);
  expect(run.stdout).not.toContain('Only \'yes\'');
  expect(run.stdout).toMatch(/^\d\d:\d\d:\d\d \+ person\.carol {2}creating/m);
  expect(run.stdout).toMatch(/^\d\d:\d\d:\d\d Apply: \d+ created, 0 adopted, 0 updated, 0 unchanged, 0 failed, 0 blocked, 0 skipped in [\d.]+ s \(\d+ calls, 0 × 429\)$/m);
  expect(run.stdout).toMatch(/^person\.carol\s+created\s+APPROVED\s+[0-9a-f-]{36}$/m);
  expect(run.stdout).toContain('Outputs written to ids.json.');
  const outputs = JSON.parse(await readFile(join(cwd, 'ids.json'), 'utf8')) as ApplyOutputs;
  expect(outputs).toMatchObject({ kind: 'paxos-onboard-outputs', formatVersion: 1, target: { kind: 'url' } });
  expect(outputs.resources['person.carol']).toMatchObject({ kind: 'person', status: 'APPROVED', outcome: 'created', created: true, adopted: false });
});

it('--format json writes only JSON lines: the plan, one event per change, the run end', async () => {
  const run = await apply([fixture('person-brokerage.yaml'), '--format', 'json']);
  expect(run.code, run.stderr).toBe(0);
  const lines = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string } & Partial<ApplyEvent>);
  expect(lines[0]?.type).toBe('plan');
  expect(lines[1]?.type).toBe('run-start');
  expect(lines.at(-1)?.type).toBe('run-end');
  const done = lines.filter((line): line is Extract<ApplyEvent, { type: 'done' }> => line.type === 'done');
  expect(done.map((event) => event.address).sort()).toEqual(['account.carol-brokerage', 'deposit.carol-usd', 'order.carol-first-btc', 'person.carol']);
});

it('fails only the branch of a cip conflict, exits 1, and never prints the cip_id', async () => {
  const taken = await emulator.request('POST', '/v2/identity/identities', personBodyFor('other', { ssn: '123-45-1127', prefix: 'elsewhere-' }));
  expect(taken.status).toBe(200);
  temp = await writeTempManifests({
    'm.yaml': `${header()}persons:\n${personYaml('alice', { ssn: '123-45-1127' })}\n${personYaml('bob', { ssn: '222-22-2227' })}\naccounts:\n  alice-acct: { identity: person.alice }\n`,
  });
  const run = await apply(['.'], temp.dir);
  expect(run.code).toBe(1);
  expect(`${run.stdout}${run.stderr}`).not.toContain('123-45-1127');
  expect(run.stdout).toMatch(/^person\.bob\s+created\s+APPROVED/m);
  expect(run.stdout).toMatch(/^person\.alice\s+blocked\s/m);
  expect(run.stdout).toContain('***-**-1127');
  expect(run.stdout).toMatch(/^account\.alice-acct\s+skipped\s/m);
});

it('applies a saved plan exactly, and refuses it once the remote has changed', async () => {
  const manifest = fixture('person-brokerage.yaml');
  const planned = await runCliForTest(['plan', manifest, '--target', emulator.url, '--out', 'plan.json'], { cwd, env: {} });
  expect(planned.code, planned.stderr).toBe(0);
  const applied = await apply(['plan.json']);
  expect(applied.code, applied.stderr).toBe(0);
  expect(applied.stdout).toMatch(/^person\.carol\s+created/m);

  // The plan saw an empty world; the world now holds what it applied.
  const again = await apply(['plan.json']);
  expect(again.code).toBe(1);
  expect(again.stderr).toContain('the remote changed since the plan was made');
});

it('refuses a bad --concurrency as a usage error before anything is sent', async () => {
  const run = await apply([fixture('person-brokerage.yaml'), '--concurrency', '0']);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain("--concurrency: '0' is not a whole number of at least 1; write e.g. --concurrency 8");
  expect(Object.keys(emulator.state.identities)).toHaveLength(0);
});

it('asks on a terminal and sends nothing unless the answer is yes', async () => {
  const manifest = fixture('person-brokerage.yaml');
  const declined = await runCliForTest(['apply', manifest, '--target', emulator.url], { cwd, env: {}, terminal: { answer: 'no' } });
  expect(declined.code).toBe(1);
  expect(declined.stderr).toContain(`Apply 4 creates and 1 approval to the server at ${emulator.url}/v2? Only 'yes' goes on:`);
  expect(declined.stderr).toContain('Apply cancelled: nothing was changed.');
  expect(Object.keys(emulator.state.identities)).toHaveLength(0);

  const accepted = await runCliForTest(['apply', manifest, '--target', emulator.url], { cwd, env: { NO_COLOR: '1' }, terminal: { answer: 'yes' } });
  expect(accepted.code, accepted.stderr).toBe(0);
  expect(accepted.stdout).toMatch(/^person\.carol\s+created\s+APPROVED/m);
});
