/**
 * End to end against the emulator: a write whose answer is lost after it was
 * committed (a reset after commit) is applied once. Writes without a key are
 * never repeated blindly: the remote is read and only what is missing is
 * sent; a repeated delete that already landed counts as done; a 409 names a
 * record that is adopted only when it is the one meant.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Model } from '../src/manifest/model.js';
import type { PaxosClient } from '../src/paxos/types.js';
import type { EmulatorState } from '../src/emulator/state.js';
import type { Plan } from '../src/plan/plan-types.js';
import { attemptsAt, createFaultPhases, failingFirst, routesWith, type FaultPhases } from './support/fault-phases.js';
import { corporationYaml, header, personYaml } from './support/plan-manifests.js';
import { applySequentially, planInline } from './support/plan-world.js';

const actionsOf = (plan: Plan) => Object.fromEntries(plan.steps.map((step) => [step.address, step.action]));

/** Plans `text` against `client` and applies every step; returns the plan applied. */
async function converge(client: PaxosClient, text: string): Promise<{ model: Model; plan: Plan }> {
  const { model, plan, world } = await planInline(client, text);
  await applySequentially(model, plan, world, client);
  return { model, plan };
}

let phases: FaultPhases;
beforeEach(async () => {
  phases = await createFaultPhases();
});
afterEach(async () => {
  await phases.close();
});

describe('institution members', () => {
  const persons = `persons:\n${personYaml('alice')}\n${personYaml('bob', { ssn: '222-22-2222' })}\n`;
  const owner = { identity: 'person.alice', roles: ['BENEFICIAL_OWNER', 'MANAGEMENT_CONTROL_PERSON'] };
  const user = { identity: 'person.bob', roles: ['AUTHORIZED_USER'] };
  const withMembers = (members: Array<{ identity: string; roles: string[] }>) => `${header()}${persons}institutions:\n${corporationYaml('acme', members)}\n`;

  /** The ref_ids of acme's members, in the order they were added. */
  function membersOfAcme(state: EmulatorState): string[] {
    const acme = state.identityIdByRefId['t-institution-acme'];
    return Object.values(state.institutionMembers)
      .filter((member) => member.institution_id === acme)
      .sort((a, b) => a.seq - b.seq)
      .map((member) => String(state.identities[member.identity_id]?.ref_id));
  }

  it('adds members once when the add landed but its answer was lost: reads them again instead of repeating the add', async () => {
    const clean = await phases.clean();
    await converge(clean.client, withMembers([owner]));
    const { emulator, client, entries } = await phases.faulted([true]);

    const { plan } = await converge(client, withMembers([owner, user]));
    expect(actionsOf(plan)).toMatchObject({ 'institution.acme': 'update' });
    expect(membersOfAcme(emulator.state)).toEqual(['t-person-alice', 't-person-bob']);
    // The add was reset after it committed, and not sent again.
    expect(attemptsAt(entries, 'POST', '/v2/identity/institution-members')).toEqual(['POST /v2/identity/institution-members error']);
    expect(actionsOf((await planInline(client, withMembers([owner, user]), { deep: true })).plan)['institution.acme']).toBe('noop');
  });

  it('adds the members still missing when the add failed before anything was written', async () => {
    const clean = await phases.clean();
    await converge(clean.client, withMembers([owner]));
    const { emulator, client, entries } = await phases.faulted([], { routes: routesWith('AddInstitutionMembers', failingFirst(1)) });

    await converge(client, withMembers([owner, user]));
    expect(attemptsAt(entries, 'POST', '/v2/identity/institution-members')).toEqual([
      'POST /v2/identity/institution-members 503',
      'POST /v2/identity/institution-members 200',
    ]);
    expect(membersOfAcme(emulator.state)).toEqual(['t-person-alice', 't-person-bob']);
  });

  it('takes the 404 of a repeated member delete that had landed as done', async () => {
    const clean = await phases.clean();
    await converge(clean.client, withMembers([owner, user]));
    const { emulator, client, entries } = await phases.faulted([true]);

    await converge(client, withMembers([owner]));
    expect(attemptsAt(entries, 'DELETE', '/v2/identity/institution-members/').map((line) => line.replace(/members\/\S+/, 'members/{id}'))).toEqual([
      'DELETE /v2/identity/institution-members/{id} error',
      'DELETE /v2/identity/institution-members/{id} 404',
    ]);
    expect(membersOfAcme(emulator.state)).toEqual(['t-person-alice']);
    expect(actionsOf((await planInline(client, withMembers([owner]), { deep: true })).plan)['institution.acme']).toBe('noop');
  });
});

describe('accounts', () => {
  const text = `${header()}persons:\n${personYaml('alice')}\naccounts:\n  main: { identity: person.alice, profile: true }\n`;
  const person = `${header()}persons:\n${personYaml('alice')}\n`;
  /**
   * Create Account as the Paxos spec documents it: no 409 for a reused
   * ref_id (the emulator is stricter), so a blind repeat makes another account.
   */
  const refIdsNotUnique = routesWith('CreateAccount', (handler) => (context) => {
    const refId = (context.body as { account?: { ref_id?: string } } | undefined)?.account?.ref_id;
    if (refId !== undefined) delete context.state.accountIdByRefId[refId];
    return handler(context);
  });
  const accountsOf = (state: EmulatorState) => Object.values(state.accounts).filter((account) => account.ref_id === 't-account-main');

  it('creates one account (and one profile) when the create landed but its answer was lost, finding it by ref_id instead of repeating', async () => {
    const clean = await phases.clean();
    await converge(clean.client, person);
    const { emulator, client, entries } = await phases.faulted([true], { routes: refIdsNotUnique });

    const { model, plan, world } = await planInline(client, text);
    expect(actionsOf(plan)).toEqual({ 'person.alice': 'noop', 'account.main': 'create' });
    const remotes = await applySequentially(model, plan, world, client);
    const accounts = accountsOf(emulator.state);
    expect(accounts).toHaveLength(1);
    expect(attemptsAt(entries, 'POST', '/v2/identity/accounts')).toEqual(['POST /v2/identity/accounts error']);
    expect(Object.values(emulator.state.profiles).filter((profile) => profile.account_id === accounts[0]?.id)).toHaveLength(1);
    expect(remotes.get('account.main')?.ids).toMatchObject({ account_id: accounts[0]?.id, profile_id: accounts[0]?.profile_id });
    expect(actionsOf((await planInline(client, text)).plan)['account.main']).toBe('noop');
  });

  it('sends the create once more when the lost create is not found, and adopts what a 409 names for the same identity', async () => {
    const clean = await phases.clean();
    await converge(clean.client, person);
    const { emulator, client, entries } = await phases.faulted([], { routes: routesWith('CreateAccount', failingFirst(1)) });

    await converge(client, text);
    expect(attemptsAt(entries, 'POST', '/v2/identity/accounts')).toEqual(['POST /v2/identity/accounts 503', 'POST /v2/identity/accounts 200']);
    expect(accountsOf(emulator.state)).toHaveLength(1);

    // A concurrent run made it between our plan and our create: the emulator's 409 is adopted.
    const { model, plan, world } = await planInline(client, text.replace('main:', 'other:'));
    const made = await emulator.request('POST', '/v2/identity/accounts', { account: { identity_id: emulator.state.identityIdByRefId['t-person-alice'], ref_id: 't-account-other' } });
    const remotes = await applySequentially(model, plan, world, client);
    expect(remotes.get('account.other')?.id).toBe(made.body.id);
  });
});

