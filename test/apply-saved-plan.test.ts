/**
 * `plan --out plan.json`, reviewed, then `apply plan.json` (DESIGN.md
 * "Semantics": a saved plan applies exactly as planned, or refuses if the
 * remote has changed since). Refusals send nothing: no identity appears.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isPaxosOnboardError } from '../src/errors.js';
import type { RequestLogEntry } from '../src/paxos/request-log.js';
import { planManifest } from '../src/plan/plan-manifest.js';
import { applyForTest, type TestApply } from './support/apply-run.js';
import { header, personBodyFor, personYaml } from './support/plan-manifests.js';
import { writeTempManifests, type TempManifestDir } from './support/temp-manifest.js';
import { startTestEmulator, type TestEmulator } from './support/test-emulator.js';

const manifest = `${header()}persons:\n${personYaml('alice')}\n${personYaml('bob', { ssn: '222-22-1127' })}\naccounts:\n  bob-main: { identity: person.bob, profile: true }\ndeposits:\n  bob-usd: { profile: account.bob-main, asset: USD, amount: "100" }\n`;

describe('apply: a saved plan', () => {
  let emulator: TestEmulator;
  let dir: TempManifestDir;
  beforeEach(async () => {
    emulator = await startTestEmulator({ rateLimits: 'off', approve: 'manual' });
    dir = await writeTempManifests({ 'm.yaml': manifest });
  });
  afterEach(async () => {
    await emulator.close();
    await dir.remove();
  });

  const savePlan = () => planManifest(['m.yaml'], { target: emulator.url, env: {}, cwd: dir.dir, out: 'plan.json' });
  /** `apply plan.json`: the run, or the error it was refused with, and every write it sent. */
  const applyPlan = async (): Promise<{ run?: TestApply; error?: unknown; writes: string[] }> => {
    const entries: RequestLogEntry[] = [];
    const writes = () => entries.filter((entry) => entry.method !== 'GET' && entry.rateClass !== 'token').map((entry) => `${entry.method} ${entry.path}`);
    try {
      return { run: await applyForTest(['plan.json'], emulator.url, dir.dir, { onRequest: (entry) => entries.push(entry) }), writes: writes() };
    } catch (error) {
      return { error, writes: writes() };
    }
  };
  const codeOf = (error: unknown) => (isPaxosOnboardError(error) ? error.code : `not refused: ${String(error)}`);
  const identityRefIds = () => Object.values(emulator.state.identities).map((identity) => identity.ref_id).sort();

  it('applies exactly what was planned', async () => {
    const plan = await savePlan();
    expect(plan.summary.byAction.create).toBe(4);
    expect(JSON.parse(await readFile(dir.path('plan.json'), 'utf8'))).toMatchObject({ kind: 'paxos-onboard-plan', remoteFingerprint: plan.remoteFingerprint });

    const { run, error } = await applyPlan();
    if (!run) throw error;
    expect(run.summary.failed, JSON.stringify(run.outputs.resources, null, 2)).toBe(false);
    expect(run.plan.steps.map((step) => [step.address, step.action])).toEqual(plan.steps.map((step) => [step.address, step.action]));
    expect(Object.fromEntries(Object.entries(run.outputs.resources).map(([address, output]) => [address, output.outcome]))).toEqual({
      'person.alice': 'created',
      'person.bob': 'created',
      'account.bob-main': 'created',
      'deposit.bob-usd': 'created',
    });
    expect(identityRefIds()).toEqual(['t-person-alice', 't-person-bob']);
    expect(Object.values(emulator.state.transfers)).toHaveLength(1);
  });

  it('still applies when the remote changed only in what the manifest does not name', async () => {
    await savePlan();
    const unrelated = await emulator.request('POST', '/v2/identity/identities', personBodyFor('zed', { refId: 'another-team-7', ssn: '999-99-1127' }));
    expect(unrelated.status).toBe(200);

    const { run, error } = await applyPlan();
    if (!run) throw error;
    expect(run.summary.failed).toBe(false);
    expect(identityRefIds()).toEqual(['another-team-7', 't-person-alice', 't-person-bob']);
  });

  it('refuses, sending nothing, a plan already applied once', async () => {
    await savePlan();
    const first = await applyPlan();
    expect(first.error).toBeUndefined();
    expect(first.run?.summary.failed).toBe(false);
    const transfers = Object.keys(emulator.state.transfers).length;

    const second = await applyPlan();
    expect(codeOf(second.error)).toBe('plan.stale_remote');
    expect(second.writes).toEqual([]);
    expect(identityRefIds()).toEqual(['t-person-alice', 't-person-bob']);
    expect(Object.keys(emulator.state.transfers)).toHaveLength(transfers);
  });

  it.each([
    ['alice was created under her ref_id', personBodyFor('alice')],
    ['alice’s cip_id was taken under another ref_id', personBodyFor('alice', { refId: 'other-system-42' })],
  ])('refuses, sending nothing, when the remote changed since the plan: %s', async (_what, body) => {
    await savePlan();
    const outOfBand = await emulator.request('POST', '/v2/identity/identities', body);
    expect(outOfBand.status).toBe(200);

    const { error, writes } = await applyPlan();
    expect(codeOf(error)).toBe('plan.stale_remote');
    expect((error as Error).message).toContain('nothing was sent');
    expect(writes).toEqual([]);
    // Only the identity made out of band: bob was not created.
    expect(Object.keys(emulator.state.identities)).toEqual([outOfBand.body.id]);
  });

  it('refuses, sending nothing, when the manifest was edited after the plan', async () => {
    await savePlan();
    await writeFile(dir.path('m.yaml'), manifest.replace('amount: "100"', 'amount: "200"'));

    const { error, writes } = await applyPlan();
    expect(codeOf(error)).toBe('plan.stale_manifest');
    expect(writes).toEqual([]);
    expect(Object.keys(emulator.state.identities)).toEqual([]);
  });
});
