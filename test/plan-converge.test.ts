/**
 * End to end against the emulator with the fixtures: an empty world plans a
 * create for every resource; once applied, the same manifest plans nothing,
 * and the refresh costs one list call per kind, never a GET per resource.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifest } from '../src/manifest/validate-manifest.js';
import { makePlan } from '../src/plan/make-plan.js';
import { applySequentially, usePlanWorld } from './support/plan-world.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures');
/** The hand-written fixtures (the generated 200-person world has a test of its own). */
const handWritten = ['institution-brokerage.yaml', 'omnibus.yaml', 'person-brokerage.yaml', 'trust.yaml'].map((name) => join(fixtures, name));

describe('plan against the emulator: create, then converge', () => {
  const world = usePlanWorld();

  it('plans a create for every resource of an empty world, then nothing once applied, for a handful of list calls', async () => {
    const model = await loadManifest(handWritten, { env: {} });
    const first = await makePlan(model, { client: world.client, cwd: fixtures });
    expect(first.plan.steps.map((step) => step.address)).toHaveLength(model.resources.size);
    expect(first.plan.steps.filter((step) => step.action !== 'create')).toEqual([]);
    expect(first.plan.steps.find((step) => step.address === 'person.alice')).toMatchObject({ remoteKey: 'ref_id=seed-person-alice', then: ['approve'] });
    expect(first.plan.steps.find((step) => step.address === 'profile.book')?.remoteKey).toBe('nickname=seed-profile-book');
    expect(first.plan.manifest.files).toEqual(['institution-brokerage.yaml', 'omnibus.yaml', 'person-brokerage.yaml', 'trust.yaml']);
    // Nothing exists: one identity listing, and nothing to read for accounts, deposits or orders of missing owners and profiles;
    // profiles list once more for orphans (nickname prefix), orders once per cancellable status (OPEN, SUBMITTED).
    expect(first.plan.refresh.callsByKind).toEqual({ person: 1, institution: 0, account: 0, profile: 2, deposit: 0, order: 2 });

    await applySequentially(model, first.plan, first.world, world.client);
    const second = await makePlan(model, { client: world.client, cwd: fixtures });
    expect(second.plan.steps.filter((step) => step.action !== 'noop')).toEqual([]);
    expect(second.plan.summary).toEqual({ byAction: { create: 0, adopt: 0, update: 0, approve: 0, wait: 0, noop: model.resources.size, blocked: 0 }, skipped: 0, then: { approve: 0, wait: 0 }, orphan: 0, hasChanges: false });
    // Profiles list once more for orphans (nickname prefix), orders once per cancellable status.
    expect(second.plan.refresh).toEqual({ calls: 8, callsByKind: { person: 1, institution: 0, account: 1, profile: 2, deposit: 1, order: 3 } });

    const third = await makePlan(model, { client: world.client, cwd: fixtures });
    expect(third.plan.remoteFingerprint).toBe(second.plan.remoteFingerprint);
    expect(third.plan.manifest.digest).toBe(second.plan.manifest.digest);
    expect(third.plan.remoteFingerprint).not.toBe(first.plan.remoteFingerprint);
  });

  it('reads every identity in full with deep, and still finds nothing to change', async () => {
    const model = await loadManifest(handWritten, { env: {} });
    const first = await makePlan(model, { client: world.client, cwd: fixtures });
    await applySequentially(model, first.plan, first.world, world.client);
    const deep = await makePlan(model, { client: world.client, cwd: fixtures, deep: true });
    expect(deep.plan.steps.filter((step) => step.action !== 'noop')).toEqual([]);
    const persons = [...model.resources.values()].filter((resource) => resource.kind === 'person').length;
    expect(deep.plan.refresh.callsByKind).toMatchObject({ person: 1 + persons, institution: 2 });
  });
});
