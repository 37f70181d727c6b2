/**
 * Local seeding speed (issue 12): what a test suite waits for before its
 * first test. Three figures, each against its goal, all on the fast face of
 * the emulator (no rate limits, no pacing, deposits listed and orders filled
 * at the next request):
 * - the four fixtures applied, one `apply` each, through the embedded default
 *   target into a fresh folder (so a fresh emulator state): < 150 ms;
 * - a 1,000-identity world (900 persons, 100 institutions of 5 members, 100
 *   accounts with a profile, a USD deposit and a MARKET buy each, as
 *   bench/apply.bench.ts builds it) applied the same way: < 3 s;
 * - a converged re-apply of that world: < 300 ms.
 * Each figure is the best of a few runs after one warm-up run (module loading
 * and schema compilation are paid once per process, not per seed); the cold
 * first run is printed beside it. Beside the goal figures: the fixtures into
 * one `startEmulator()` over its URL (what a vitest globalSetup does), and the
 * calls each run made. Measures only; asserts nothing.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { applyManifest } from '../src/apply/apply-manifest.js';
import type { ApplyManifestOptions } from '../src/apply/apply-options.js';
import type { ApplyResult } from '../src/apply/apply-types.js';
import { startEmulator } from '../src/emulator/start-emulator.js';
import { generateApplyManifest, type ApplyWorldCounts } from './apply.bench.js';
import type { Benchmark } from './index.js';

const fixtures = ['institution-brokerage.yaml', 'person-brokerage.yaml', 'trust.yaml', 'omnibus.yaml'].map((name) => resolve('fixtures', name));
const world: ApplyWorldCounts = { persons: 900, institutions: 100, membersPerInstitution: 5, accounts: 100 };
const goals = { fixturesMs: 150, worldMs: 3000, reapplyMs: 300 };
const measuredRuns = 3;

interface Timed {
  ms: number;
  /** CPU time of this process (emulator and client both): on a shared machine, what the wall time would be alone. */
  cpuMs: number;
  calls: number;
  failed: boolean;
}

async function timed(run: () => Promise<ApplyResult[]>): Promise<Timed> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const results = await run();
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { ms, cpuMs: (used.user + used.system) / 1000, calls: results.reduce((sum, result) => sum + result.summary.calls + result.stats.tokenFetches, 0), failed: results.some((result) => result.summary.failed) };
}

/** A fresh folder: the embedded default keeps its state (and journal, and lock key) in `<cwd>/.paxos-onboard`. */
async function withFolder<T>(work: (cwd: string) => Promise<T>): Promise<T> {
  const cwd = await mkdtemp(join(tmpdir(), 'paxos-onboard-seed-'));
  try {
    return await work(cwd);
  } finally {
    await rm(cwd, { recursive: true, force: true });
  }
}

const embedded = (cwd: string): ApplyManifestOptions => ({ env: {}, cwd });

async function fixturesEmbedded(): Promise<Timed> {
  return withFolder((cwd) =>
    timed(async () => {
      const results = [];
      for (const fixture of fixtures) results.push(await applyManifest([fixture], embedded(cwd)));
      return results;
    }),
  );
}

/** As a globalSetup would: one emulator from `startEmulator()`, applied to over its URL, unpaced and polling often. */
async function fixturesStarted(): Promise<Timed> {
  return withFolder(async (cwd) => {
    const emulator = await startEmulator();
    try {
      return await timed(async () => {
        const results = [];
        for (const fixture of fixtures) results.push(await applyManifest([fixture], { env: {}, cwd, target: emulator.url, pacing: 'off', pollIntervalMs: 5 }));
        return results;
      });
    } finally {
      await emulator.close();
    }
  });
}

async function worldAndReapply(): Promise<{ fresh: Timed; again: Timed }> {
  return withFolder(async (cwd) => {
    await writeFile(join(cwd, 'world.yaml'), blockStyle(generateApplyManifest(world)));
    const fresh = await timed(async () => [await applyManifest(['world.yaml'], embedded(cwd))]);
    const again = await timed(async () => [await applyManifest(['world.yaml'], embedded(cwd))]);
    return { fresh, again };
  });
}

/**
 * The apply bench's world written in block style, as manifests are: its
 * multi-line flow mappings (and flow lists of flow mappings) send the file to
 * the slow YAML parser (fast-parse.ts defers them), which costs about half a
 * second of loading a 1,000-identity file that this bench, about seeding,
 * should not measure (bench/manifest.bench.ts measures loading).
 */
function blockStyle(text: string): string {
  return stringify(parse(text));
}

function best(runs: readonly Timed[]): Timed {
  return runs.reduce((fastest, run) => (run.ms < fastest.ms ? run : fastest));
}

function line(label: string, cold: Timed, runs: readonly Timed[], goalMs: number): string {
  const fastest = best(runs);
  const verdict = fastest.ms < goalMs ? 'meets' : 'MISSES';
  const failed = [cold, ...runs].some((run) => run.failed) ? ' !! a run did not converge' : '';
  return `${label}: ${fastest.ms.toFixed(0)} ms (goal < ${goalMs} ms: ${verdict}) | CPU ${fastest.cpuMs.toFixed(0)} ms | best of ${runs.length}: ${runs.map((run) => run.ms.toFixed(0)).join(', ')} ms; cold ${cold.ms.toFixed(0)} ms | ${fastest.calls} calls${failed}`;
}

export const fixturesBenchmark: Benchmark = {
  name: 'fixtures',
  description: `local seeding on the embedded default: the four fixtures (< ${goals.fixturesMs} ms), a 1,000-identity world (< ${goals.worldMs / 1000} s), its converged re-apply (< ${goals.reapplyMs} ms)`,
  async run() {
    const coldFixtures = await fixturesEmbedded();
    const fixtureRuns: Timed[] = [];
    for (let run = 0; run < measuredRuns; run++) fixtureRuns.push(await fixturesEmbedded());
    console.log(line('four fixtures, embedded default, fresh state', coldFixtures, fixtureRuns, goals.fixturesMs));

    const startedRuns: Timed[] = [];
    for (let run = 0; run < measuredRuns; run++) startedRuns.push(await fixturesStarted());
    const started = best(startedRuns);
    console.log(`  the same into one startEmulator() over its URL (a globalSetup): ${started.ms.toFixed(0)} ms, ${started.calls} calls`);

    const worlds: Array<{ fresh: Timed; again: Timed }> = [];
    // A 1,000-identity run takes seconds: one cold run and two measured ones.
    for (let run = 0; run < 3; run++) worlds.push(await worldAndReapply());
    const [coldWorld, ...measured] = worlds;
    if (!coldWorld) return;
    const identities = world.persons + world.institutions;
    console.log(line(`${identities}-identity world (${world.accounts} accounts, deposits, orders), embedded default`, coldWorld.fresh, measured.map((run) => run.fresh), goals.worldMs));
    console.log(line('its converged re-apply', coldWorld.again, measured.map((run) => run.again), goals.reapplyMs));
  },
};
