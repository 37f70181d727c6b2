/**
 * Issue 11/12: runs against one target take turns on a machine. Two applies
 * of a deposit-heavy manifest at once — on the embedded default from one
 * folder, and from two folders against one server — leave exactly the
 * declared deposits and lose nothing; a run that finds the target busy says
 * who holds it, and gives up with `target.locked` after its timeout; a lock
 * left by a process that died is taken over at once.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyManifest } from '../src/apply/apply-manifest.js';
import { planManifest } from '../src/plan/plan-manifest.js';
import type { EmulatorState } from '../src/emulator/state.js';
import { loadManifest } from '../src/manifest/validate-manifest.js';
import { acquireTargetLock, targetLockKey, type HeldTargetLock } from '../src/paxos/target-lock.js';
import { runCliForTest } from './support/run-cli.js';
import { writeTempManifests, yaml } from './support/temp-manifest.js';
import { startTestEmulator, type TestEmulator } from './support/test-emulator.js';
import { countWorld, expectedWorld } from './support/world-counts.js';

const deposits = ['100', '200', '300', '400', '500', '600'];
const manifest = yaml`
  version: 1
  environment: sandbox
  options:
    ref_id_prefix: lock-
    approval: sandbox
  persons:
    dana:
      first_name: Dana
      last_name: Lee
      date_of_birth: "1985-05-05"
      nationality: USA
      cip_id: 444-44-4444
      cip_id_type: SSN
      cip_id_country: USA
      address: { address1: 4 Example Road, city: Austin, province: TX, country: USA, zip_code: "73301" }
      verification:
        verifier_type: PASSTHROUGH
        passthrough_verifier_type: JUMIO
        passthrough_verified_at: "2024-01-01T00:00:00Z"
        passthrough_verification_status: APPROVED
      customer_due_diligence:
        estimated_yearly_income: INCOME_50K_TO_100K
        expected_transfer_value: TRANSFER_VALUE_0_TO_25K
        source_of_wealth: EMPLOYMENT_INCOME
        employment_status: FULL_TIME
        employment_industry_sector: INFORMATION
        purpose_of_account: INVESTMENT_TRADING
      tax_details:
        - { tax_payer_id: 444-44-4444, tax_payer_country: USA }
  accounts:
    dana-brokerage:
      identity: person.dana
      description: Dana's brokerage account
      profile: true
  deposits:
`;
const depositLines = deposits.map((amount, index) => `  usd-${index}: { profile: account.dana-brokerage, asset: USD, amount: "${amount}" }`).join('\n');

let locks: string;
beforeEach(async () => {
  locks = await mkdtemp(join(tmpdir(), 'paxos-onboard-locks-'));
});
afterEach(async () => {
  await rm(locks, { recursive: true, force: true });
});

describe('two applies at once', () => {
  it('on the embedded default from one folder: the second waits its turn, nothing is lost or made twice', async () => {
    const dir = await writeTempManifests({ 'world.yaml': `${manifest}${depositLines}\n` });
    try {
      const env = { PAXOS_ONBOARD_LOCK_DIR: locks, PAXOS_ONBOARD_LOCK_TIMEOUT: '60' };
      const waits: unknown[] = [];
      const run = () => applyManifest([dir.path('world.yaml')], { env, cwd: dir.dir, pollIntervalMs: 20, lock: { onWait: (wait) => waits.push(wait) } });
      const [first, second] = await Promise.all([run(), run()]);
      expect(first.summary.failed).toBe(false);
      expect(second.summary.failed).toBe(false);
      // One of them waited, and was told who held the target.
      expect(waits).toHaveLength(1);
      expect(waits[0]).toMatchObject({ holder: { pid: process.pid, host: hostname() } });
      const outcomes = [first, second].map((result) => result.outputs.resources['deposit.usd-0']?.outcome).sort();
      expect(outcomes).toEqual(['created', 'unchanged']);
      const state = JSON.parse(await readFile(join(dir.dir, '.paxos-onboard', 'local-emulator.json'), 'utf8')) as EmulatorState;
      const model = await loadManifest([dir.path('world.yaml')], { env: {}, cwd: dir.dir });
      expect(countWorld(state, model)).toEqual(expectedWorld(model));
    } finally {
      await dir.remove();
    }
  }, 60_000);

  describe('from two folders against one server', () => {
    let server: TestEmulator;
    beforeEach(async () => {
      server = await startTestEmulator({ approve: 'manual', rateLimits: 'off' });
    });
    afterEach(async () => {
      await server.close();
    });

    it('leaves exactly the declared deposits', async () => {
      const [one, two] = await Promise.all([writeTempManifests({ 'world.yaml': `${manifest}${depositLines}\n` }), writeTempManifests({ 'world.yaml': `${manifest}${depositLines}\n` })]);
      try {
        const env = { PAXOS_ONBOARD_LOCK_DIR: locks, PAXOS_ONBOARD_LOCK_TIMEOUT: '60' };
        const run = (cwd: string) => applyManifest(['world.yaml'], { env, cwd, target: server.url, pacing: 'off', pollIntervalMs: 20 });
        const results = await Promise.all([run(one.dir), run(two.dir)]);
        for (const result of results) expect(result.summary.failed).toBe(false);
        const model = await loadManifest([one.path('world.yaml')], { env: {}, cwd: one.dir });
        expect(countWorld(server.state, model)).toEqual(expectedWorld(model));
      } finally {
        await Promise.all([one.remove(), two.remove()]);
      }
    }, 60_000);

    it('two applies of one saved plan at once: one applies it, the other finds it stale, and no deposit is made twice', async () => {
      const world = await writeTempManifests({ 'world.yaml': `${manifest}${depositLines}\n` });
      try {
        const env = { PAXOS_ONBOARD_LOCK_DIR: locks, PAXOS_ONBOARD_LOCK_TIMEOUT: '60' };
        await planManifest(['world.yaml'], { env, cwd: world.dir, target: server.url, out: 'plan.json' });
        const run = () => applyManifest(['plan.json'], { env, cwd: world.dir, target: server.url, pacing: 'off', pollIntervalMs: 20 }).then(
          (result) => ({ ok: !result.summary.failed, code: undefined as string | undefined }),
          (error: unknown) => ({ ok: false, code: (error as { code?: string }).code }),
        );
        const outcomes = await Promise.all([run(), run()]);
        // The lock serializes them; the second then sees the remote the first changed and refuses the plan.
        expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(1);
        expect(outcomes.filter((outcome) => !outcome.ok).map((outcome) => outcome.code)).toEqual(['plan.stale_remote']);
        const model = await loadManifest([world.path('world.yaml')], { env: {}, cwd: world.dir });
        expect(countWorld(server.state, model)).toEqual(expectedWorld(model));
      } finally {
        await world.remove();
      }
    }, 60_000);

    it('a run that finds the target busy names the holder, then fails with target.locked', async () => {
      const dir = await writeTempManifests({ 'world.yaml': `${manifest}${depositLines}\n` });
      const held = await acquireTargetLock(targetLockKey({ kind: 'server', apiUrl: `${server.url}/v2`, clientId: 'paxos-onboard-local' }), 'test', locks);
      try {
        const started = Date.now();
        const run = await runCliForTest(['plan', 'world.yaml', '--target', server.url, '--lock-timeout', '300ms'], { cwd: dir.dir, env: { PAXOS_ONBOARD_LOCK_DIR: locks } });
        expect(Date.now() - started).toBeLessThan(5000);
        expect(run.code).toBe(1);
        expect(run.stderr).toContain('Waiting up to 0.3 s for another run on');
        expect(run.stderr).toContain(`pid ${process.pid}`);
        expect(run.stderr).toMatch(/error target\.locked: another run is using .*still was after 0\.3 s/);
        // Nothing was read from the target while it was busy.
        expect(run.stderr).not.toContain('Target:');
        // Released: the next run goes ahead at once, without waiting.
        await held.release();
        const again = await runCliForTest(['plan', 'world.yaml', '--target', server.url, '--lock-timeout', '0'], { cwd: dir.dir, env: { PAXOS_ONBOARD_LOCK_DIR: locks } });
        expect(again.stderr).not.toContain('Waiting');
        expect(again.code).toBe(0);
      } finally {
        await held.release();
        await dir.remove();
      }
    }, 30_000);
  });
});

describe('the lock itself', () => {
  const key = targetLockKey({ kind: 'embedded-emulator', dataFile: '/somewhere/.paxos-onboard/local-emulator.json' });

  it('is taken over at once from a process that died holding it', async () => {
    const first = await acquireTargetLock(key, 'the test target', locks);
    // Make it look as if a process that has since exited held it (as after a SIGKILL).
    const dead = await deadPid();
    const record = (await readdir(locks)).find((name) => name.endsWith('.holder.json'));
    expect(record).toBeDefined();
    const path = join(locks, record as string);
    const holder = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    await writeFile(path, JSON.stringify({ ...holder, pid: dead }));
    const started = Date.now();
    const second = await acquireTargetLock(key, 'the test target', locks, { timeoutMs: 5000 });
    expect(Date.now() - started).toBeLessThan(1000);
    await second.release();
    await first.release(); // the old holder's release does not disturb anything
  });

  it('serializes holders in one process, and a released lock is free again', async () => {
    const order: string[] = [];
    const hold = async (name: string): Promise<void> => {
      const lock: HeldTargetLock = await acquireTargetLock(key, 'the test target', locks, { timeoutMs: 5000 });
      order.push(`${name} in`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      order.push(`${name} out`);
      await lock.release();
    };
    await Promise.all([hold('a'), hold('b'), hold('c')]);
    for (let index = 0; index < order.length; index += 2) expect(order[index + 1]).toBe(order[index]?.replace(' in', ' out'));
  });

  it('keeps its folder private, and a lock folder that is a file is a clear error', async () => {
    const lock = await acquireTargetLock(key, 'the test target', join(locks, 'nested'));
    expect((await stat(join(locks, 'nested'))).mode & 0o777).toBe(0o700);
    await lock.release();
    await writeFile(join(locks, 'a-file'), '');
    await expect(acquireTargetLock(key, 'the test target', join(locks, 'a-file'))).rejects.toMatchObject({ code: 'local_state.not_a_directory' });
  });
});

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  const pid = child.pid;
  await new Promise((resolve) => child.on('exit', resolve));
  if (pid === undefined) throw new Error('no pid');
  return pid;
}
