/**
 * End to end against the emulator: a cip tuple held under another ref_id
 * blocks under `fail` (and everything depending on it) and is adopted under
 * `adopt`; PENDING identities plan their approval per the manifest's mode.
 */
import { describe, expect, it } from 'vitest';
import { isPaxosOnboardError } from '../src/errors.js';
import { makePlan } from '../src/plan/make-plan.js';
import type { Plan } from '../src/plan/plan-types.js';
import { applySequentially, createTestClient, loadInlineManifest, planInline, usePlanWorld } from './support/plan-world.js';
import { header, personBodyFor, personYaml } from './support/plan-manifests.js';

const actionsOf = (plan: Plan) => Object.fromEntries(plan.steps.map((step) => [step.address, step.action]));
const aliceWithAccount = (options: string) =>
  `${header('sandbox', `ref_id_prefix: t-, ${options}`)}persons:\n${personYaml('alice')}\naccounts:\n  main: { identity: person.alice, profile: true }\ndeposits:\n  usd: { profile: account.main, asset: USD, amount: "100" }\n`;

describe('plan: cip conflicts and approvals', () => {
  const world = usePlanWorld();

  const planOf = (text: string) => planInline(world.client, text);

  async function ownerOfAlicesCip(): Promise<string> {
    const owner = await world.emulator.request('POST', '/v2/identity/identities', personBodyFor('alice', { refId: 'other-system-42' }));
    expect(owner.status).toBe(200);
    return owner.body.id as string;
  }

  it('blocks an identity whose cip tuple another ref_id holds under fail, and everything depending on it', async () => {
    const ownerId = await ownerOfAlicesCip();
    const { plan } = await planOf(aliceWithAccount('on_cip_id_conflict: fail'));
    expect(actionsOf(plan)).toEqual({ 'person.alice': 'blocked', 'account.main': 'blocked', 'deposit.usd': 'blocked' });
    const alice = plan.steps[0];
    expect(alice?.reason).toContain(`identity ${ownerId} (ref_id other-system-42)`);
    expect(alice?.reason).toContain('cip_id ***-**-1127 (SSN, USA)');
    expect(plan.steps[1]).toMatchObject({ blockedBy: 'person.alice', reason: 'depends on person.alice, which is blocked' });
    expect(plan.steps[2]).toMatchObject({ blockedBy: 'person.alice', reason: 'depends on account.main, which is blocked: depends on person.alice, which is blocked' });
    expect(JSON.stringify(plan)).not.toContain('111-11-1127');
  });

  it('adopts the holder under adopt, with a warning, and builds on it', async () => {
    const ownerId = await ownerOfAlicesCip();
    const text = aliceWithAccount('on_cip_id_conflict: adopt');
    const { model, plan, world: remote } = await planOf(text);
    expect(actionsOf(plan)).toEqual({ 'person.alice': 'adopt', 'account.main': 'create', 'deposit.usd': 'create' });
    expect(plan.steps[0]).toMatchObject({ remoteId: ownerId, then: ['approve'] });
    expect(plan.steps[0]?.warnings?.[0]).toContain(`already belongs to identity ${ownerId}`);

    const remotes = await applySequentially(model, plan, remote, world.client);
    expect(remotes.get('account.main')?.ids.identity_id).toBe(ownerId);
    // Marked as adopted, it is found in the listing next time: no lookup, nothing left to do.
    const again = (await planOf(text)).plan;
    expect(actionsOf(again)).toEqual({ 'person.alice': 'noop', 'account.main': 'noop', 'deposit.usd': 'noop' });
    expect(again.summary.hasChanges).toBe(false);
    expect(again.refresh.callsByKind.person).toBe(1);
    expect(again.steps[0]?.warnings?.[0]).toContain(`already belongs to identity ${ownerId}`);
    const owner = await world.emulator.request('GET', `/v2/identity/identities/${ownerId}`);
    expect(owner.body).toMatchObject({ ref_id: 'other-system-42', metadata: { paxos_onboard_adopted_as: 't-person-alice' } });
  });

  it('adopts at apply, under adopt, a cip conflict that appeared after planning, and finds it marked next time', async () => {
    const text = aliceWithAccount('on_cip_id_conflict: adopt');
    const { model, plan, world: remote } = await planOf(text);
    expect(plan.steps[0]?.action).toBe('create');
    const ownerId = await ownerOfAlicesCip();
    const warnings: string[] = [];
    const remotes = await applySequentially(model, plan, remote, world.client, {}, warnings);
    expect(remotes.get('person.alice')?.id).toBe(ownerId);
    expect(warnings.join('\n')).toContain(`already belongs to identity ${ownerId}`);
    expect(actionsOf((await planOf(text)).plan)).toEqual({ 'person.alice': 'noop', 'account.main': 'noop', 'deposit.usd': 'noop' });
  });

  it('refuses at apply a cip conflict that appeared after planning, naming the holder, cip masked', async () => {
    const { model, plan, world: remote } = await planOf(aliceWithAccount('on_cip_id_conflict: fail'));
    expect(plan.steps[0]?.action).toBe('create');
    const ownerId = await ownerOfAlicesCip();
    const failure = await applySequentially(model, plan, remote, world.client).catch((error: unknown) => error);
    expect(isPaxosOnboardError(failure) && failure.code).toBe('identity.cip_conflict');
    expect((failure as Error).message).toContain(ownerId);
    expect((failure as Error).message).not.toContain('111-11-1127');
  });

  it('plans approve for a PENDING identity under approval: sandbox, wait under wait, nothing under none', async () => {
    const text = (approval: string) => `${header('sandbox', `ref_id_prefix: t-, approval: ${approval}`)}persons:\n${personYaml('alice')}\n`;
    const { model, plan, world: remote } = await planOf(text('sandbox'));
    await applySequentially(model, plan, remote, world.client, { approve: false });

    expect((await planOf(text('sandbox'))).plan.steps[0]).toMatchObject({ action: 'approve', remoteStatus: 'PENDING' });
    expect((await planOf(text('wait'))).plan.steps[0]).toMatchObject({ action: 'wait', remoteStatus: 'PENDING' });
    expect((await planOf(text('none'))).plan.steps[0]).toMatchObject({ action: 'noop', remoteStatus: 'PENDING' });
    const created = (await planOf(text('wait'))).plan;
    expect(created.summary).toMatchObject({ hasChanges: true, byAction: { create: 0, adopt: 0, update: 0, approve: 0, wait: 1, noop: 0, blocked: 0 } });
  });

  it('blocks a DENIED identity with its status and whatever depends on it', async () => {
    const alice = await world.emulator.request('POST', '/v2/identity/identities', personBodyFor('alice'));
    await world.emulator.request('PUT', `/v2/identity/identities/${alice.body.id}/sandbox-status`, { sanctions_verification_status: 'DENIED' });
    const { plan } = await planOf(aliceWithAccount('approval: sandbox'));
    expect(plan.steps[0]).toMatchObject({ action: 'blocked', remoteStatus: 'DENIED' });
    expect(plan.steps[0]?.reason).toContain('DENIED');
    expect(actionsOf(plan)).toEqual({ 'person.alice': 'blocked', 'account.main': 'blocked', 'deposit.usd': 'blocked' });
  });

  it('waits instead of approving against production', async () => {
    const production = createTestClient(world.emulator.url, 'production');
    try {
      const { model, dir } = await loadInlineManifest({ 'm.yaml': `${header('production')}persons:\n${personYaml('alice')}\n` });
      await dir.remove();
      const { plan } = await makePlan(model, { client: production });
      expect(plan.steps[0]).toMatchObject({ action: 'create', then: ['wait'] });
      expect(plan.steps[0]?.warnings?.[0]).toContain('cannot approve in production');
    } finally {
      await production.close();
    }
  });
});
