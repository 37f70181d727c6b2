/**
 * apply against an unreliable Paxos: 5xx before a write commits, connections
 * reset after it committed (the answer lost, the write made), and 429 bursts
 * from a client that does not pace. Whatever happens, the fixtures converge
 * in a bounded number of runs and nothing — deposits least of all, having no
 * remote key — is made twice.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApplyManifestOptions } from '../src/apply/apply-options.js';
import type { EmulatorOptions } from '../src/emulator/emulator-options.js';
import { loadManifest } from '../src/manifest/validate-manifest.js';
import type { RequestLogEntry } from '../src/paxos/request-log.js';
import { applyForTest, planAfter, type TestApply } from './support/apply-run.js';
import { attemptsAt, committingThen503, createFaultPhases, failingFirst, routesWith, type FaultPhases } from './support/fault-phases.js';
import { header, personYaml } from './support/plan-manifests.js';
import { writeTempManifests, type TempManifestDir } from './support/temp-manifest.js';
import { startTestEmulator, type TestEmulator } from './support/test-emulator.js';
import { countWorld, expectedWorld } from './support/world-counts.js';

const fixtures = ['institution-brokerage.yaml', 'person-brokerage.yaml', 'trust.yaml', 'omnibus.yaml'].map((name) => resolve('fixtures', name));
/**
 * Runs allowed to converge: a run whose retry budget ran out on some resource
 * leaves it for the next, and a deposit whose answer was a 503 is never sent
 * twice in one run.
 */
const maxRuns = 5;

interface Converged {
  runs: TestApply[];
  entries: RequestLogEntry[];
}

/** Applies `inputs` until a run reports no failure, at most `maxRuns` times; every HTTP attempt is logged. */
async function applyUntilConverged(inputs: readonly string[], url: string, cwd: string, options: Partial<ApplyManifestOptions> = {}): Promise<Converged> {
  const runs: TestApply[] = [];
  const entries: RequestLogEntry[] = [];
  for (let run = 1; run <= maxRuns; run++) {
    // Listed within 100 ms here: a deposit answered 503 is known never to have landed after a second.
    const result = await applyForTest(inputs, url, cwd, { listingLagMs: 1000, ...options, onRequest: (entry) => entries.push(entry) });
    runs.push(result);
    if (!result.summary.failed) break;
  }
  return { runs, entries };
}

/** Why each run that failed did: `run 1: deposit.acme-usd failed (apply.x: ...)`. */
function failuresOf(runs: readonly TestApply[]): string {
  return runs
    .map((run, index) => {
      const failed = Object.entries(run.outputs.resources).filter(([, output]) => output.error !== undefined);
      return `run ${index + 1}: ${failed.length === 0 ? 'converged' : failed.map(([address, output]) => `${address} ${output.outcome} (${output.error?.code}: ${output.error?.message})`).join('; ')}`;
    })
    .join('\n');
}

describe('apply: faults', () => {
  let emulator: TestEmulator | undefined;
  let cwd: string;
  const start = async (options: EmulatorOptions) => (emulator = await startTestEmulator({ approve: 'manual', ...options }));
  beforeEach(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'paxos-onboard-faults-'));
  });
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
    await rm(cwd, { recursive: true, force: true });
  });

  it.each([1, 2, 3, 4])('converges with nothing duplicated under 5xx before commit and resets after commit (fault seed %i)', { timeout: 60_000 }, async (seed) => {
    const { url, state } = await start({ rateLimits: 'off', faults: { serverError: 0.2, resetAfterCommit: 0.25, latencyJitterMs: 0 }, seed });
    const { runs, entries } = await applyUntilConverged(fixtures, url, cwd);

    // The faults did happen: answers 503 before anything was written, and writes whose answer was lost.
    expect(entries.filter((entry) => entry.status === 503).length).toBeGreaterThan(0);
    expect(entries.filter((entry) => entry.method !== 'GET' && entry.status === 'error').length).toBeGreaterThan(0);
    expect(runs.at(-1)?.summary.failed, `${failuresOf(runs)}\ndeposits sent: ${attemptsAt(entries, 'POST', '/v2/sandbox/profiles/').join(', ')}`).toBe(false);

    const model = await loadManifest(fixtures, { env: {}, cwd });
    expect(countWorld(state, model), failuresOf(runs)).toEqual(expectedWorld(model));
    const plan = await planAfter(fixtures, url, cwd);
    expect(plan.steps.filter((step) => step.action !== 'noop').map((step) => `${step.address}: ${step.action}`)).toEqual([]);
  });

  it('converges with nothing duplicated through 429 bursts of a client that does not pace, and counts them', { timeout: 60_000 }, async () => {
    const { url, state } = await start({ rateLimits: 'paxos', rateWindowMs: 200, lockoutMs: 200 });
    // No Retry-After, as Paxos: the client waits out the lockout it is told of, here the emulator's 200 ms.
    const { runs } = await applyUntilConverged(fixtures, url, cwd, { rateLimitLockoutMs: 250 });

    expect(runs.reduce((sum, run) => sum + run.summary.rateLimited, 0), failuresOf(runs)).toBeGreaterThan(0);
    expect(runs.at(-1)?.summary.failed, failuresOf(runs)).toBe(false);
    const model = await loadManifest(fixtures, { env: {}, cwd });
    expect(countWorld(state, model), failuresOf(runs)).toEqual(expectedWorld(model));
  });
});

describe('apply: deposits whose answer is lost or refused', () => {
  // Two deposits of the same amount: only counting them as a multiset tells them apart.
  const manifest = `${header('sandbox', 'ref_id_prefix: t-, approval: sandbox')}persons:\n${personYaml('alice')}\naccounts:\n  main: { identity: person.alice, profile: true }\n`;
  const deposits = 'deposits:\n  usd-1: { profile: account.main, asset: USD, amount: "100" }\n  usd-2: { profile: account.main, asset: USD, amount: "100" }\n  usd-3: { profile: account.main, asset: USD, amount: "250.50" }\n';
  let phases: FaultPhases;
  let dir: TempManifestDir;
  beforeEach(async () => {
    phases = await createFaultPhases();
    dir = await writeTempManifests({ 'world.yaml': manifest });
  });
  afterEach(async () => {
    await phases.close();
    await dir.remove();
  });

  /** The person and account made and approved on a clean emulator; the deposits added to the manifest for the faulted phase. */
  async function worldWithoutDeposits(): Promise<void> {
    const clean = await phases.clean();
    const made = await applyForTest([dir.path('world.yaml')], clean.emulator.url, dir.dir);
    expect(made.summary.failed, JSON.stringify(made.outputs.resources)).toBe(false);
    await writeFile(dir.path('deposits.yaml'), `${header('sandbox', 'ref_id_prefix: t-, approval: sandbox')}${deposits}`);
  }

  it('makes each deposit once when the answers of two identical ones are lost after they committed', async () => {
    await worldWithoutDeposits();
    // The successful writes of the faulted phase go: ledger entry, deposit, ledger done, per deposit, one deposit at a time; the two 100 USD deposits lose their answer.
    const { emulator } = await phases.faulted([false, true, false, false, true], { transferListingDelayMs: 300 });
    const entries: RequestLogEntry[] = [];
    const run = await applyForTest(['.'], emulator.url, dir.dir, { onRequest: (entry) => entries.push(entry) });

    expect(run.summary.failed, JSON.stringify(run.outputs.resources, null, 2)).toBe(false);
    expect(attemptsAt(entries, 'POST', '/v2/sandbox/profiles/').map((line) => line.replace(/profiles\/[^/]+/, 'profiles/…'))).toEqual([
      'POST /v2/sandbox/profiles/…/deposit error',
      'POST /v2/sandbox/profiles/…/deposit error',
      'POST /v2/sandbox/profiles/…/deposit 200',
    ]);
    const ids = (['deposit.usd-1', 'deposit.usd-2', 'deposit.usd-3'] as const).map((address) => run.outputs.resources[address]?.ids.transfer_id);
    expect(new Set(ids).size).toBe(3);
    const model = await loadManifest(['.'], { env: {}, cwd: dir.dir });
    expect(countWorld(emulator.state, model)).toEqual(expectedWorld(model));
    expect((await planAfter(['.'], emulator.url, dir.dir)).summary.hasChanges).toBe(false);
  });

  it('never sends a deposit answered 503 again in the same run; the next run sends it once, when the listing shows it never landed', async () => {
    await worldWithoutDeposits();
    const { emulator } = await phases.faulted([], { routes: routesWith('CreateSandboxDeposit', failingFirst(1)), transferListingDelayMs: 300 });
    const entries: RequestLogEntry[] = [];
    const first = await applyForTest(['.'], emulator.url, dir.dir, { onRequest: (entry) => entries.push(entry) });
    expect(first.outputs.resources['deposit.usd-1']).toMatchObject({ outcome: 'failed', error: { code: 'apply.unconfirmed_write' } });
    expect(first.outputs.resources['deposit.usd-1']?.error?.message).toContain('503');

    const second = await applyForTest(['.'], emulator.url, dir.dir, { onRequest: (entry) => entries.push(entry) });
    expect(second.summary.failed, JSON.stringify(second.outputs.resources, null, 2)).toBe(false);
    expect(attemptsAt(entries, 'POST', '/v2/sandbox/profiles/').map((line) => line.replace(/profiles\/[^/]+/, 'profiles/…'))).toEqual([
      'POST /v2/sandbox/profiles/…/deposit 503',
      'POST /v2/sandbox/profiles/…/deposit 200',
      'POST /v2/sandbox/profiles/…/deposit 200',
      'POST /v2/sandbox/profiles/…/deposit 200',
    ]);
    const model = await loadManifest(['.'], { env: {}, cwd: dir.dir });
    expect(countWorld(emulator.state, model)).toEqual(expectedWorld(model));
  });

  it('makes no second deposit when a gateway commits the deposit and then answers 503', async () => {
    await worldWithoutDeposits();
    const { emulator } = await phases.faulted([], { routes: routesWith('CreateSandboxDeposit', committingThen503(2)), transferListingDelayMs: 300 });
    const entries: RequestLogEntry[] = [];
    const run = await applyForTest(['.'], emulator.url, dir.dir, { onRequest: (entry) => entries.push(entry) });

    expect(run.summary.failed, JSON.stringify(run.outputs.resources, null, 2)).toBe(false);
    // Each deposit sent once: the two 503s were reconciled from the listing, not repeated.
    expect(attemptsAt(entries, 'POST', '/v2/sandbox/profiles/').map((line) => line.split(' ').at(-1))).toEqual(['503', '503', '200']);
    const model = await loadManifest(['.'], { env: {}, cwd: dir.dir });
    expect(countWorld(emulator.state, model)).toEqual(expectedWorld(model));
    const again = await applyForTest(['.'], emulator.url, dir.dir);
    expect(again.stats.writes).toBe(0);
  });
});


describe('apply: what a lost answer made is reported as made by this run', () => {
  let phases: FaultPhases;
  let dir: TempManifestDir;
  beforeEach(async () => {
    phases = await createFaultPhases();
    dir = await writeTempManifests({ 'm.yaml': `${header('sandbox', 'ref_id_prefix: t-, approval: none')}persons:\n${personYaml('alice')}\n` });
  });
  afterEach(async () => {
    await phases.close();
    await dir.remove();
  });

  it('reports created, not adopted, for an identity whose create landed but whose answer was lost', async () => {
    await phases.clean();
    // The create commits, its answer is lost; the repeat answers 409 naming it.
    const { emulator } = await phases.faulted([true]);
    const entries: RequestLogEntry[] = [];
    const run = await applyForTest(['.'], emulator.url, dir.dir, { onRequest: (entry) => entries.push(entry) });
    expect(attemptsAt(entries, 'POST', '/v2/identity/identities').map((line) => line.split(' ').at(-1))).toEqual(['error', '409']);
    expect(run.outputs.resources['person.alice']).toMatchObject({ outcome: 'created', created: true, adopted: false });
    expect(Object.keys(emulator.state.identities)).toHaveLength(1);
  });
});
