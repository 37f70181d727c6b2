/**
 * End to end against the emulator: a write whose answer is lost after it was
 * committed (a reset after commit) is applied once. Writes without a key are
 * never repeated blindly: the remote is read and only what is missing is
 * sent; a repeated delete that already landed counts as done; a 409 names a
 * record that is adopted only when it is the one meant.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PaxosOnboardError } from '../src/errors.js';
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

describe('orders', () => {
  const accounts = '  main: { identity: person.alice, profile: true }\n  spare: { identity: person.alice, profile: true }';
  const deposits = '  main-usd: { profile: account.main, asset: USD, amount: "10000" }\n  spare-usd: { profile: account.spare, asset: USD, amount: "10000" }';
  const bid = '  bid: { profile: account.main, market: BTCUSD, side: BUY, type: LIMIT, price: "20000", base_amount: "0.01" }';
  const world = (orders = '') => `${header()}persons:\n${personYaml('alice')}\naccounts:\n${accounts}\ndeposits:\n${deposits}\n${orders ? `orders:\n${orders}\n` : ''}`;

  /** Funds the world, plans the bid, then places `conflicting` with the bid's ref_id before the plan is applied. */
  async function applyBidAfter(client: PaxosClient, emulator: { state: EmulatorState; request: (method: string, path: string, body: unknown) => Promise<{ status: number }> }, conflicting: { on: 'main' | 'spare'; market: string; side: string }) {
    await converge(client, world());
    const { model, plan, world: remote } = await planInline(client, world(bid));
    expect(actionsOf(plan)['order.bid']).toBe('create');
    const profileOf = (key: string) => emulator.state.accounts[emulator.state.accountIdByRefId[`t-account-${key}`] ?? '']?.profile_id;
    const placed = await emulator.request('POST', `/v2/profiles/${profileOf(conflicting.on)}/orders`, {
      ref_id: 't-order-bid',
      market: conflicting.market,
      side: conflicting.side,
      type: 'LIMIT',
      price: conflicting.market === 'BTCUSD' ? '20000' : '1800',
      base_amount: '0.01',
    });
    expect(placed.status).toBe(200);
    return { run: () => applySequentially(model, plan, remote, client), profileOf };
  }

  it('refuses an order whose ref_id names an order on another profile, naming it, rather than adopting it', async () => {
    const { emulator, client } = await phases.clean();
    const { run, profileOf } = await applyBidAfter(client, emulator, { on: 'spare', market: 'BTCUSD', side: 'BUY' });
    const error = await run().then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(PaxosOnboardError);
    expect(error).toMatchObject({ code: 'order.ref_id_taken' });
    const existing = emulator.state.orderIdByRefId['t-order-bid'];
    expect((error as Error).message).toContain(`order ${existing} (BUY BTCUSD) on profile ${profileOf('spare')}`);
    expect((error as Error).message).toContain(`account.main (${profileOf('main')})`);
  });

  it('refuses an order whose ref_id names another market on the same profile', async () => {
    const { emulator, client } = await phases.clean();
    const { run } = await applyBidAfter(client, emulator, { on: 'main', market: 'ETHUSD', side: 'BUY' });
    await expect(run()).rejects.toMatchObject({ code: 'order.ref_id_taken' });
  });

  it('adopts its own order when the create landed but its answer was lost', async () => {
    const clean = await phases.clean();
    await converge(clean.client, world());
    const { emulator, client, entries } = await phases.faulted([true]);

    const { model, plan, world: remote } = await planInline(client, world(bid));
    const remotes = await applySequentially(model, plan, remote, client);
    expect(attemptsAt(entries, 'POST', '/v2/profiles/').map((line) => line.split(' ').at(-1))).toEqual(['error', '409']);
    expect(Object.keys(emulator.state.orders)).toEqual([remotes.get('order.bid')?.id]);
  });
});
