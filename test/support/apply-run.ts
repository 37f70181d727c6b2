/**
 * Applies manifests through the library against a test emulator, as a user's
 * script would: unpaced (the test emulator's rate limits are off unless the
 * test turns them on), polling quickly, with its journal in `cwd`.
 */
import { applyManifest } from '../../src/apply/apply-manifest.js';
import type { ApplyManifestOptions } from '../../src/apply/apply-options.js';
import type { ApplyEvent, ApplyResult } from '../../src/apply/apply-types.js';
import { makePlan } from '../../src/plan/make-plan.js';
import { loadManifest } from '../../src/manifest/validate-manifest.js';
import type { Plan } from '../../src/plan/plan-types.js';
import { createTestClient } from './plan-world.js';

export interface TestApply extends ApplyResult {
  events: ApplyEvent[];
}

export async function applyForTest(inputs: readonly string[], url: string, cwd: string, options: Partial<ApplyManifestOptions> = {}): Promise<TestApply> {
  const events: ApplyEvent[] = [];
  const result = await applyManifest(inputs, {
    env: {},
    cwd,
    target: url,
    pacing: 'off',
    pollIntervalMs: 20,
    // Test emulators list a deposit within a second: a shorter bound than Paxos's minute keeps reconciling tests quick.
    listingLagMs: 3000,
    onEvent: (event) => events.push(event),
    ...options,
  });
  return { ...result, events };
}

/** A fresh plan of the same manifests: what `plan --detailed-exitcode` would answer after the apply. */
export async function planAfter(inputs: readonly string[], url: string, cwd: string): Promise<Plan> {
  const model = await loadManifest(inputs, { env: {}, cwd });
  const client = createTestClient(url, model.environment);
  try {
    return (await makePlan(model, { client, cwd })).plan;
  } finally {
    await client.close();
  }
}
