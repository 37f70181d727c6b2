/**
 * End to end against the emulator: what exists is adopted, drift in fields
 * the API can update plans an `update` with the diff, a change it cannot make
 * blocks, and the default refresh trusts the digest while `deep` looks.
 */
import { describe, expect, it } from 'vitest';
import { makePlan } from '../src/plan/make-plan.js';
import type { Plan } from '../src/plan/plan-types.js';
import { applySequentially, loadInlineManifest, planInline, usePlanWorld } from './support/plan-world.js';
import { corporationYaml, header, personBodyFor, personYaml } from './support/plan-manifests.js';

const actionsOf = (plan: Plan) => Object.fromEntries(plan.steps.map((step) => [step.address, step.action]));

describe('plan: adopt, update, blocked by immutable changes', () => {
  const world = usePlanWorld();

  /** Plans and applies `text`, returning the plan that was applied. */
  async function converge(text: string): Promise<Plan> {
    const { model, dir } = await loadInlineManifest({ 'm.yaml': text });
    const { plan, world: remote } = await makePlan(model, { client: world.client });
    await applySequentially(model, plan, remote, world.client);
    await dir.remove();
    return plan;
  }

  const planOf = async (text: string, options: { deep?: boolean } = {}): Promise<Plan> => (await planInline(world.client, text, options)).plan;

  it('adopts identities made outside the tool, finds their account, and creates the rest', async () => {
    const alice = await world.emulator.request('POST', '/v2/identity/identities', personBodyFor('alice'));
    expect(alice.status).toBe(200);
    const account = await world.emulator.request('POST', '/v2/identity/accounts', { account: { identity_id: alice.body.id, ref_id: 't-account-alice-brokerage' }, create_profile: true });
    expect(account.status).toBe(200);
    const text = `${header()}persons:\n${personYaml('alice')}\n${personYaml('bob', { ssn: '222-22-2222' })}\naccounts:\n  alice-brokerage: { identity: person.alice, profile: true }\nprofiles:\n  book: { description: Omnibus book }\n`;

    const plan = await converge(text);
    expect(actionsOf(plan)).toEqual({ 'person.alice': 'adopt', 'person.bob': 'create', 'account.alice-brokerage': 'noop', 'profile.book': 'create' });
    const adopted = plan.steps.find((step) => step.address === 'person.alice');
    expect(adopted).toMatchObject({ remoteId: alice.body.id, remoteStatus: 'PENDING', remoteKey: 'ref_id=t-person-alice', then: ['approve'] });
    expect(plan.steps.find((step) => step.address === 'account.alice-brokerage')?.remoteId).toBe(account.body.id);

    const again = await planOf(text);
    expect(new Set(Object.values(actionsOf(again)))).toEqual(new Set(['noop']));
    // Adoption wrote the digest: the converged refresh fetched no identity.
    expect(again.refresh.callsByKind.person).toBe(1);
  });

  it('plans an update with the field diff for an updatable change, and applying it converges', async () => {
    await converge(`${header()}persons:\n${personYaml('alice')}\n`);
    const moved = `${header()}persons:\n${personYaml('alice', { city: 'Boston' })}\n`;

    const plan = await planOf(moved);
    const step = plan.steps[0];
    expect(step).toMatchObject({ address: 'person.alice', action: 'update', remoteStatus: 'APPROVED' });
    expect(step?.changes).toEqual([{ path: '/address/city', before: 'New York', after: 'Boston', updatable: true, sensitive: false }]);
    expect(plan.summary.byAction.update).toBe(1);

    await converge(moved);
    expect(actionsOf(await planOf(moved))).toEqual({ 'person.alice': 'noop' });
  });

  it('blocks a change the API cannot make, naming the field, with the values masked', async () => {
    await converge(`${header()}persons:\n${personYaml('alice')}\n`);
    const plan = await planOf(`${header()}persons:\n${personYaml('alice', { ssn: '999-88-2222', city: 'Boston' })}\n`);
    const step = plan.steps[0];
    expect(step?.action).toBe('blocked');
    expect(step?.reason).toContain('`/cip_id`');
    expect(step?.changes).toContainEqual({ path: '/cip_id', before: '***-**-1127', after: '***-**-2222', updatable: false, sensitive: true });
    expect(step?.changes).toContainEqual({ path: '/address/city', before: 'New York', after: 'Boston', updatable: true, sensitive: false });
    expect(JSON.stringify(plan)).not.toContain('999-88-2222');
  });

  it('blocks an institution whose type changed, and an account moved to another identity', async () => {
    const members = [{ identity: 'person.alice', roles: ['BENEFICIAL_OWNER', 'MANAGEMENT_CONTROL_PERSON'] }];
    const persons = `persons:\n${personYaml('alice')}\n${personYaml('bob', { ssn: '222-22-2222' })}\n`;
    await converge(`${header()}${persons}institutions:\n${corporationYaml('acme', members)}\naccounts:\n  main: { identity: person.alice, description: Main }\n`);

    const plan = await planOf(`${header()}${persons}institutions:\n${corporationYaml('acme', members, { type: 'LLC' })}\naccounts:\n  main: { identity: person.bob, description: Renamed }\n`);
    const acme = plan.steps.find((step) => step.address === 'institution.acme');
    expect(acme?.action).toBe('blocked');
    expect(acme?.changes).toEqual([{ path: '/institution_type', before: 'CORPORATION', after: 'LLC', updatable: false, sensitive: false }]);
    const main = plan.steps.find((step) => step.address === 'account.main');
    expect(main?.action).toBe('blocked');
    expect(main?.changes).toEqual([
      { path: '/identity', before: 'person.alice', after: 'person.bob', updatable: false, sensitive: false },
      { path: '/description', before: 'Main', after: 'Renamed', updatable: true, sensitive: false },
    ]);
  });

  it('updates an account description and institution members in place', async () => {
    const persons = `persons:\n${personYaml('alice')}\n${personYaml('bob', { ssn: '222-22-2222' })}\n`;
    const owner = { identity: 'person.alice', roles: ['BENEFICIAL_OWNER', 'MANAGEMENT_CONTROL_PERSON'] };
    await converge(`${header()}${persons}institutions:\n${corporationYaml('acme', [owner])}\naccounts:\n  main: { identity: institution.acme, description: Main }\n`);

    const changed = `${header()}${persons}institutions:\n${corporationYaml('acme', [owner, { identity: 'person.bob', roles: ['AUTHORIZED_USER'] }])}\naccounts:\n  main: { identity: institution.acme, description: Renamed }\n`;
    const plan = await planOf(changed);
    expect(actionsOf(plan)).toMatchObject({ 'institution.acme': 'update', 'account.main': 'update' });
    expect(plan.steps.find((step) => step.address === 'institution.acme')?.changes?.map((change) => change.path)).toEqual(['/members']);

    await converge(changed);
    expect(new Set(Object.values(actionsOf(await planOf(changed, { deep: true }))))).toEqual(new Set(['noop']));
  });

  it('trusts the digest by default and sees a change made outside the tool with deep', async () => {
    const text = `${header()}persons:\n${personYaml('alice')}\n`;
    const [created] = (await converge(text)).steps;
    const remoteId = (await planOf(text)).steps[0]?.remoteId ?? created?.remoteId;
    const edit = await world.emulator.request('PUT', `/v2/identity/identities/${remoteId}`, { person_details: { address: { address1: '1 Example St', city: 'Chicago', province: 'IL', country: 'USA', zip_code: '60601' } } });
    expect(edit.status).toBe(200);

    // The digest still matches, so only the status shows: the edit of a verified field sent the identity back to PENDING.
    expect(actionsOf(await planOf(text))).toEqual({ 'person.alice': 'approve' });
    const deep = await planOf(text, { deep: true });
    expect(deep.steps[0]).toMatchObject({ action: 'update', then: ['approve'] });
    expect(deep.steps[0]?.changes?.map((change) => [change.path, change.before, change.after])).toEqual([
      ['/address/city', 'Chicago', 'New York'],
      ['/address/province', 'IL', 'NY'],
      ['/address/zip_code', '60601', '10001'],
    ]);
  });
});
