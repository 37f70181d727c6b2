/**
 * End to end against the emulator: the environment guard sends nothing on a
 * mismatch, and PII (written, or from `${env:}`) never reaches the plan
 * unmasked unless asked for.
 */
import { describe, expect, it } from 'vitest';
import { isPaxosOnboardError } from '../src/errors.js';
import { makePlan } from '../src/plan/make-plan.js';
import { applySequentially, createTestClient, loadInlineManifest, usePlanWorld } from './support/plan-world.js';
import { header, personYaml } from './support/plan-manifests.js';

describe('plan guards: environment and PII', () => {
  const world = usePlanWorld();

  it.each([
    ['production', 'local'],
    ['local', 'sandbox'],
    ['sandbox', 'production'],
  ] as const)('refuses a %s manifest against a %s target before any call', async (manifestEnvironment, targetEnvironment) => {
    const client = createTestClient(world.emulator.url, targetEnvironment);
    try {
      const { model, dir } = await loadInlineManifest({ 'm.yaml': `${header(manifestEnvironment)}persons:\n${personYaml('alice')}\n` });
      await dir.remove();
      const failure = await makePlan(model, { client }).catch((error: unknown) => error);
      expect(isPaxosOnboardError(failure) && failure.code).toBe('target.environment_mismatch');
      expect((failure as Error).message).toContain(`the manifest says environment: ${manifestEnvironment}, but the chosen target is ${targetEnvironment}`);
      expect(client.stats()).toMatchObject({ calls: 0, tokenFetches: 0 });
    } finally {
      await client.close();
    }
  });

  it('lets a sandbox manifest rehearse on the local emulator', async () => {
    const { model, dir } = await loadInlineManifest({ 'm.yaml': `${header('sandbox')}persons:\n${personYaml('alice')}\n` });
    await dir.remove();
    const { plan } = await makePlan(model, { client: world.client });
    expect(plan.target).toEqual({ kind: 'local', environment: 'local', apiUrl: `${world.emulator.url}/v2` });
  });

  it('masks PII and ${env:} values in changes unless showSensitive', async () => {
    const before = { ALICE_EMAIL: 'alice.before@example.com' };
    const after = { ALICE_EMAIL: 'alice.after@example.com' };
    const text = (dateOfBirth: string) => `${header()}persons:\n${personYaml('alice', { dateOfBirth, email: '${env:ALICE_EMAIL}' })}\n`;
    const first = await loadInlineManifest({ 'm.yaml': text('1980-01-01') }, before);
    const created = await makePlan(first.model, { client: world.client });
    await applySequentially(first.model, created.plan, created.world, world.client);

    const changed = await loadInlineManifest({ 'm.yaml': text('1981-02-03') }, after);
    const { plan } = await makePlan(changed.model, { client: world.client });
    expect(plan.steps[0]?.changes).toEqual([
      { path: '/date_of_birth', before: '****-**-**', after: '****-**-**', updatable: true, sensitive: true },
      // Interpolated values other than cip and tax ids are masked whole: not even their length shows.
      { path: '/email', before: '****', after: '****', updatable: true, sensitive: true },
    ]);
    const text_ = JSON.stringify(plan);
    for (const secret of ['1980-01-01', '1981-02-03', 'alice.before', 'alice.after', '111-11-1127']) expect(text_).not.toContain(secret);

    const shown = await makePlan(changed.model, { client: world.client, showSensitive: true });
    expect(shown.plan.steps[0]?.changes?.map((change) => [change.before, change.after])).toEqual([
      ['1980-01-01', '1981-02-03'],
      ['alice.before@example.com', 'alice.after@example.com'],
    ]);
    await first.dir.remove();
    await changed.dir.remove();
  });
});
