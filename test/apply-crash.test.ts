/**
 * DESIGN.md: "a run killed at any point finishes cleanly when started
 * again". The built CLI applies all four fixtures (identities, accounts,
 * profiles, deposits, orders) to an emulator with latency, and is killed with
 * SIGKILL at seeded random points of its run, again and again; one last run
 * goes to the end. Then every resource exists exactly once — deposits, which
 * have no remote key, included — and a fresh plan has nothing left to do.
 *
 * A failure replays with the same seed: `CRASH_SEED=<seed> npx vitest run test/apply-crash.test.ts`.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSeededRandom } from '../src/emulator/seeded-random.js';
import { loadManifest } from '../src/manifest/validate-manifest.js';
import { planAfter } from './support/apply-run.js';
import { startTestEmulator, type TestEmulator } from './support/test-emulator.js';
import { countWorld, expectedWorld } from './support/world-counts.js';

const seed = Number(process.env.CRASH_SEED ?? 20_260_611);
const kills = 8;
const bin = resolve('dist/cli/bin.js');
/** The four fixtures, named (a fixture added later, such as a large seeded sandbox, would not fit this test's time). */
const fixtures = ['institution-brokerage.yaml', 'person-brokerage.yaml', 'trust.yaml', 'omnibus.yaml'].map((name) => resolve('fixtures', name));
const emulatorOptions = { latencyMs: 40, approve: 'manual', rateLimits: 'off' } as const;

interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** JSON lines the CLI printed on stdout (`--format json`). */
  events: Array<{ type: string; [key: string]: unknown }>;
  stderr: string;
  /** Milliseconds from spawn to the plan line (refresh over), and to exit. */
  planAtMs?: number;
  exitAtMs: number;
  /** Where the kill landed: before the plan was printed, while executing, after the run's last event, or never (the run ended first). */
  killed: 'before-plan' | 'mid-run' | 'after-end' | 'not-killed';
  /** The run did not end by itself within the watchdog's time, and was killed. */
  hung: boolean;
}

type KillAt = { after: 'spawn' | 'plan'; delayMs: number };

/** `paxos-onboard apply <the four fixtures> --target <url> --yes --format json` in `cwd`, killed with SIGKILL as `kill` says. */
function runApply(url: string, cwd: string, kill?: KillAt, hangAfterMs = 15_000): Promise<CliRun> {
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = spawn(process.execPath, [bin, 'apply', ...fixtures, '--target', url, '--yes', '--format', 'json', '--listing-lag', '2s'], { cwd, env: {}, stdio: ['ignore', 'pipe', 'pipe'] });
    const events: CliRun['events'] = [];
    let stdout = '';
    let stderr = '';
    let planAtMs: number | undefined;
    let killed: CliRun['killed'] = 'not-killed';
    let timer: NodeJS.Timeout | undefined;
    let hung = false;
    const watchdog = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, hangAfterMs);
    const arm = (delayMs: number) => {
      timer = setTimeout(() => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        killed = planAtMs === undefined ? 'before-plan' : events.some((event) => event.type === 'run-end') ? 'after-end' : 'mid-run';
        child.kill('SIGKILL');
      }, delayMs);
    };
    if (kill?.after === 'spawn') arm(kill.delayMs);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      let newline: number;
      while ((newline = stdout.indexOf('\n')) >= 0) {
        const line = stdout.slice(0, newline);
        stdout = stdout.slice(newline + 1);
        if (line.trim() === '') continue;
        const event = JSON.parse(line) as CliRun['events'][number];
        events.push(event);
        if (event.type === 'plan' && planAtMs === undefined) {
          planAtMs = performance.now() - started;
          if (kill?.after === 'plan') arm(kill.delayMs);
        }
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', fail);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(watchdog);
      done({ code, signal, events, stderr, ...(planAtMs !== undefined ? { planAtMs } : {}), exitAtMs: performance.now() - started, killed, hung });
    });
  });
}

/**
 * `kills` kill points: a quarter in start-up or refresh (before the plan is
 * printed), the rest spread over the execution as a random partition of its
 * calibrated duration — each run picks up where the last was killed, so the
 * kills walk through the whole run instead of piling up at its start.
 */
function killSchedule(random: () => number, planAtMs: number, executeMs: number): KillAt[] {
  const early = Math.max(1, Math.round(kills / 4));
  const points = Array.from({ length: kills - early }, () => random()).sort((a, b) => a - b);
  const spread: KillAt[] = points.map((point, index) => ({ after: 'plan', delayMs: Math.round((point - (points[index - 1] ?? 0)) * executeMs) }));
  for (let left = early; left > 0; left--) {
    const at = Math.floor(random() * (spread.length + 1));
    spread.splice(at, 0, { after: 'spawn', delayMs: Math.round(planAtMs * (0.5 + random() * 0.5)) });
  }
  return spread;
}

describe(`apply: killed with SIGKILL at random points and started again (CRASH_SEED=${seed})`, () => {
  let emulator: TestEmulator;
  let cwd: string;
  beforeEach(async () => {
    emulator = await startTestEmulator(emulatorOptions);
    cwd = await mkdtemp(join(tmpdir(), 'paxos-onboard-crash-'));
  });
  afterEach(async () => {
    await emulator.close();
    await rm(cwd, { recursive: true, force: true });
  });

  it(`ends with exactly one of every identity, account, profile, deposit and order (${kills} kills, seed ${seed})`, { timeout: 90_000 }, async () => {
    // How long a whole run takes on this machine, against a throwaway emulator: the kills spread over it.
    const probe = await startTestEmulator(emulatorOptions);
    const probeDir = await mkdtemp(join(tmpdir(), 'paxos-onboard-crash-probe-'));
    let calibration: CliRun;
    try {
      calibration = await runApply(probe.url, probeDir);
    } finally {
      await probe.close();
      await rm(probeDir, { recursive: true, force: true });
    }
    expect(calibration.hung, `the calibration run (no kill) did not end: ${unfinished(calibration)}\n${calibration.stderr}`).toBe(false);
    expect(calibration.code, calibration.stderr).toBe(0);
    const planAtMs = calibration.planAtMs ?? 0;
    const executeMs = calibration.exitAtMs - planAtMs;

    const log: string[] = [`seed ${seed}; calibration: plan at ${Math.round(planAtMs)} ms, exit at ${Math.round(calibration.exitAtMs)} ms`];
    const report = () => `${log.join('\n')}\n(replay: CRASH_SEED=${seed} npx vitest run test/apply-crash.test.ts)`;
    let midRun = 0;
    for (const [index, kill] of killSchedule(createSeededRandom(seed), planAtMs, executeMs).entries()) {
      const run = await runApply(emulator.url, cwd, kill);
      log.push(`run ${index + 1}: kill ${kill.delayMs} ms after ${kill.after} → ${describeRun(run)}`);
      expect(run.hung, `${report()}\nthe run did not end: ${unfinished(run)}\n${run.stderr}`).toBe(false);
      if (run.killed === 'mid-run') midRun += 1;
      if (run.killed === 'not-killed') expect(run.code, `${report()}\n${run.stderr}`).toBe(0);
    }
    // The test proves something only if some kills landed while the run was executing.
    expect(midRun, report()).toBeGreaterThan(0);

    const last = await runApply(emulator.url, cwd);
    log.push(`last run → ${describeRun(last)}`);
    if (process.env.CRASH_VERBOSE) console.log(report());
    expect(last.hung, `${report()}\nthe run did not end: ${unfinished(last)}\n${last.stderr}`).toBe(false);
    expect(last.code, `${report()}\n${last.stderr}\n${JSON.stringify(last.events.at(-1))}`).toBe(0);
    const end = last.events.find((event) => event.type === 'run-end') as { summary: { failed: boolean } } | undefined;
    expect(end?.summary.failed, report()).toBe(false);

    const model = await loadManifest(fixtures, { env: {}, cwd });
    expect(countWorld(emulator.state, model), report()).toEqual(expectedWorld(model));
    const plan = await planAfter(fixtures, emulator.url, cwd);
    expect(plan.steps.filter((step) => step.action !== 'noop').map((step) => `${step.address}: ${step.action}`), report()).toEqual([]);
  });
});

/** `mid-run (SIGKILL), 14 change(s) planned, 20 done event(s)`. */
function describeRun(run: CliRun): string {
  const planned = run.events.find((event) => event.type === 'plan') as { plan: { steps: Array<{ action: string }> } } | undefined;
  const changes = planned ? `${planned.plan.steps.filter((step) => step.action !== 'noop').length} change(s) planned` : 'no plan';
  const done = run.events.filter((event) => event.type === 'done').length;
  return `${run.hung ? 'hung, killed by the watchdog' : run.killed} (${run.signal ?? `exit ${run.code}`}), ${changes}, ${done} done event(s)`;
}

/** The addresses a run started and never finished, with the last phase each reported: where a hung run was stuck. */
function unfinished(run: CliRun): string {
  const open = new Map<string, string>();
  for (const event of run.events) {
    const address = event.address as string | undefined;
    if (address === undefined) continue;
    if (event.type === 'start') open.set(address, 'started');
    else if (event.type === 'phase') open.set(address, String(event.phase));
    else if (['done', 'failed', 'blocked', 'skipped'].includes(event.type)) open.delete(address);
  }
  return open.size === 0 ? 'nothing left open' : [...open].map(([address, phase]) => `${address} (${phase})`).join(', ');
}
