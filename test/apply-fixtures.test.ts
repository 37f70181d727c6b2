import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyForTest, planAfter } from './support/apply-run.js';
import { startTestEmulator, type TestEmulator } from './support/test-emulator.js';

const fixtures = ['institution-brokerage.yaml', 'person-brokerage.yaml', 'trust.yaml', 'omnibus.yaml'].map((name) => resolve('fixtures', name));

describe('apply: the fixtures', () => {
  let emulator: TestEmulator;
  let cwd: string;
  beforeEach(async () => {
    emulator = await startTestEmulator({ rateLimits: 'off', approve: 'manual' });
    cwd = await mkdtemp(join(tmpdir(), 'paxos-onboard-apply-'));
  });
  afterEach(async () => {
    await emulator.close();
    await rm(cwd, { recursive: true, force: true });
  });

  it.each(fixtures)('%s applies, and a second apply sends no writes', async (fixture) => {
    const first = await applyForTest([fixture], emulator.url, cwd);
    expect(first.summary.failed, JSON.stringify(first.outputs.resources, null, 2)).toBe(false);
    expect(first.summary.byOutcome.created).toBeGreaterThan(0);
    for (const [address, output] of Object.entries(first.outputs.resources)) {
      expect(Object.keys(output.ids).length, address).toBeGreaterThan(0);
      if (output.kind === 'person' || output.kind === 'institution') expect(output.status, address).toBe('APPROVED');
    }

    const second = await applyForTest([fixture], emulator.url, cwd);
    expect(second.summary.writes).toBe(0);
    expect(second.summary.byOutcome.unchanged).toBe(Object.keys(second.outputs.resources).length);
    // The same Paxos objects, found again: nothing was made twice.
    const idsOf = (run: typeof first) => Object.fromEntries(Object.entries(run.outputs.resources).map(([address, output]) => [address, output.ids]));
    expect(idsOf(second)).toEqual(idsOf(first));
    expect((await planAfter([fixture], emulator.url, cwd)).summary.hasChanges).toBe(false);
  });
});
