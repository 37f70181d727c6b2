/**
 * A saved plan carries its target (issue 14): `apply plan.json` needs no
 * `--target` and asks nothing more (the review was the confirmation), and
 * still refuses a plan the remote has moved past.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyManifest } from '../src/apply/apply-manifest.js';
import type { ApplyManifestOptions } from '../src/apply/apply-options.js';
import { isPaxosOnboardError } from '../src/errors.js';
import { planManifest } from '../src/plan/plan-manifest.js';
import { header, personYaml } from './support/plan-manifests.js';
import { writeTempManifests, type TempManifestDir } from './support/temp-manifest.js';
import { startTestEmulator, type TestEmulator } from './support/test-emulator.js';

describe('apply plan.json: the plan names its target', () => {
  let emulator: TestEmulator;
  let dir: TempManifestDir;
  beforeEach(async () => {
    emulator = await startTestEmulator({ rateLimits: 'off', approve: 'manual' });
    dir = await writeTempManifests({ 'm.yaml': `${header()}persons:\n${personYaml('alice')}\n` });
  });
  afterEach(async () => {
    await emulator.close();
    await dir.remove();
  });

  /** As `apply plan.json` with no --target and a terminal to ask on: a question would fail the test. */
  const options = (): ApplyManifestOptions & { asked: number } => {
    const result = {
      env: {},
      cwd: dir.dir,
      pacing: 'off' as const,
      pollIntervalMs: 20,
      listingLagMs: 3000,
      asked: 0,
      confirm: async () => {
        result.asked += 1;
        return false;
      },
    };
    return result;
  };

  it('applies to the server the plan was made against, without asking, and refuses it once stale', async () => {
    const plan = await planManifest(['m.yaml'], { target: emulator.url, env: {}, cwd: dir.dir, out: 'plan.json' });
    expect(plan.target).toMatchObject({ kind: 'url', apiUrl: `${emulator.url.replace(/\/$/, '')}/v2` });

    const first = options();
    const result = await applyManifest(['plan.json'], first);
    expect(first.asked).toBe(0);
    expect(result.outputs.target.apiUrl).toBe(plan.target.apiUrl);
    expect(result.outputs.resources['person.alice']).toMatchObject({ outcome: 'created', status: 'APPROVED' });

    const again = options();
    const refused = await applyManifest(['plan.json'], again).catch((error: unknown) => error);
    expect(isPaxosOnboardError(refused) ? refused.code : refused).toBe('plan.stale_remote');
    expect(Object.keys(emulator.state.identities)).toHaveLength(1);
  });

  it('still asks before applying a manifest that nobody reviewed', async () => {
    const asked = options();
    asked.target = emulator.url;
    const refused = await applyManifest(['m.yaml'], asked).catch((error: unknown) => error);
    expect(asked.asked).toBe(1);
    expect(isPaxosOnboardError(refused) ? refused.code : refused).toBe('apply.cancelled');
    expect(Object.keys(emulator.state.identities)).toHaveLength(0);
  });
});
