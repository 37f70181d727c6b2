/**
 * Identity and account updates as strict as documented Paxos: changing
 * verified details sends an APPROVED identity back to PENDING, and only
 * FINANCIAL_ADVISOR / AUTHORIZED_USER account members may come and go; each
 * leniency restores the old kindness.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { address, approveIdentity, corporationBody, createPerson, personBody } from './support/emulator-builders.js';
import { startTestEmulator, type TestEmulator } from './support/test-emulator.js';

let running: TestEmulator[] = [];
async function start(options: Parameters<typeof startTestEmulator>[0] = {}): Promise<TestEmulator> {
  const emulator = await startTestEmulator({ rateLimits: 'off', ...options });
  running.push(emulator);
  return emulator;
}
afterEach(async () => {
  const all = running;
  running = [];
  for (const emulator of all) await emulator.close();
});

const identityPath = (id: string) => `/v2/identity/identities/${id}`;

describe('updating verified identity details', () => {
  it('sends an APPROVED person back to PENDING when a verified field changes, with the verifications to redo PENDING', async () => {
    const emulator = await start();
    const id = await createPerson(emulator);
    await approveIdentity(emulator, id);
    const renamed = await emulator.request('PUT', identityPath(id), { person_details: { last_name: 'Jones' } });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ summary_status: 'PENDING', person_details: { id_verification_status: 'PENDING', sanctions_verification_status: 'PENDING', last_name: 'Jones' } });
    expect((await emulator.request('GET', identityPath(id))).body.summary_status).toBe('PENDING');

    await approveIdentity(emulator, id);
    const moved = await emulator.request('PUT', identityPath(id), { person_details: { address: { ...address, address1: '2 Other St' } } });
    // A new address is checked by id verification; sanctions screening stands.
    expect(moved.body).toMatchObject({ summary_status: 'PENDING', person_details: { id_verification_status: 'PENDING', sanctions_verification_status: 'APPROVED' } });
  });

  it('keeps the approval for contact details, metadata, due diligence and details sent back unchanged', async () => {
    const emulator = await start();
    const body = personBody();
    const id = await createPerson(emulator, body);
    await approveIdentity(emulator, id);
    const reordered = Object.fromEntries(Object.entries(body.person_details.address).reverse());
    const response = await emulator.request('PUT', identityPath(id), {
      person_details: { email: 'alice@example.com', phone_number: '+15555550100', first_name: 'Alice', address: reordered },
      metadata: { team: 'ops' },
      customer_due_diligence: { estimated_yearly_income: 'INCOME_100K_TO_250K' },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.summary_status).toBe('APPROVED');
  });

  it('sends an APPROVED institution back to PENDING when its name changes', async () => {
    const emulator = await start();
    const owner = await createPerson(emulator);
    const created = await emulator.request('POST', '/v2/identity/identities', corporationBody([{ identity_id: owner, roles: ['BENEFICIAL_OWNER', 'MANAGEMENT_CONTROL_PERSON'] }]));
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    await emulator.request('PUT', `${identityPath(created.body.id)}/sandbox-status`, { sanctions_verification_status: 'APPROVED', document_verification_status: 'APPROVED' });
    const renamed = await emulator.request('PUT', identityPath(created.body.id), { institution_details: { name: 'Acme Holdings' } });
    expect(renamed.body).toMatchObject({ summary_status: 'PENDING', institution_details: { sanctions_verification_status: 'PENDING', document_verification_status: 'PENDING' } });
  });

  it('decides the identity again as a new one with --approve auto: approved at once, a second identity.approved event', async () => {
    const emulator = await start({ approve: 'auto' });
    const id = await createPerson(emulator);
    const renamed = await emulator.request('PUT', identityPath(id), { person_details: { first_name: 'Alicia' } });
    expect(renamed.body.summary_status).toBe('APPROVED');
    const events = (await emulator.request('GET', '/v2/events?type=identity.approved')).body.events;
    expect(events.map((event: { object: { identity_id: string; old_summary_status: string } }) => [event.object.identity_id, event.object.old_summary_status])).toEqual([
      [id, 'PENDING'],
      [id, 'PENDING'],
    ]);
  });

  it('decides it again after the delay with --approve after:', async () => {
    let now = Date.parse('2025-01-01T00:00:00Z');
    const emulator = await start({ approve: 'after:2s', now: () => new Date(now), tickIntervalMs: 3_600_000 });
    const id = await createPerson(emulator);
    now += 2_000;
    expect((await emulator.request('GET', identityPath(id))).body.summary_status).toBe('APPROVED');
    expect((await emulator.request('PUT', identityPath(id), { person_details: { date_of_birth: '1981-02-03' } })).body.summary_status).toBe('PENDING');
    now += 1_999;
    expect((await emulator.request('GET', identityPath(id))).body.summary_status).toBe('PENDING');
    now += 1;
    expect((await emulator.request('GET', identityPath(id))).body.summary_status).toBe('APPROVED');
  });

  it('with keep-approval-on-update, stays APPROVED', async () => {
    const emulator = await start({ lenient: ['keep-approval-on-update'] });
    const id = await createPerson(emulator);
    await approveIdentity(emulator, id);
    const renamed = await emulator.request('PUT', identityPath(id), { person_details: { last_name: 'Jones' } });
    expect(renamed.body).toMatchObject({ summary_status: 'APPROVED', person_details: { last_name: 'Jones', id_verification_status: 'APPROVED' } });
  });
});

describe('account member changes', () => {
  async function accountWithMembers(emulator: TestEmulator) {
    const [owner, beneficial, adviser, user] = [await createPerson(emulator), await createPerson(emulator), await createPerson(emulator), await createPerson(emulator)];
    const members = [
      { identity_id: beneficial, roles: ['BENEFICIAL_OWNER'] },
      { identity_id: adviser, roles: ['FINANCIAL_ADVISOR'] },
    ];
    const created = await emulator.request('POST', '/v2/identity/accounts', { account: { identity_id: owner, type: 'BROKERAGE', members } });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    return { id: created.body.id as string, members, beneficial, adviser, user, created: created.body };
  }

  it('lets only FINANCIAL_ADVISOR and AUTHORIZED_USER members be added or removed by UpdateAccount, naming any other', async () => {
    const emulator = await start();
    const account = await accountWithMembers(emulator);
    const put = (members: unknown[]) => emulator.request('PUT', '/v2/identity/accounts', { account: { id: account.id, members } });
    // The same list, in another order, is no change.
    expect((await put([...account.members].reverse())).status).toBe(200);
    const removeOwner = await put([account.members[1]]);
    expect(removeOwner.status).toBe(400);
    expect(removeOwner.body.detail).toContain(`identity ${account.beneficial} with roles BENEFICIAL_OWNER`);
    expect(removeOwner.body.detail).toContain('cannot be removed');
    const addOwner = await put([...account.members, { identity_id: account.user, roles: ['BENEFICIAL_OWNER'] }]);
    expect(addOwner.body).toMatchObject({ status: 400, meta: { field: 'account.members[2]' } });
    const swapAdviser = await put([account.members[0], { identity_id: account.user, roles: ['AUTHORIZED_USER'] }]);
    expect(swapAdviser.status, JSON.stringify(swapAdviser.body)).toBe(200);
    expect(swapAdviser.body.members.map((member: { identity_id: string }) => member.identity_id)).toEqual([account.beneficial, account.user]);
  });

  it('holds AddAccountMembers and DeleteAccountMember to the same rule', async () => {
    const emulator = await start();
    const account = await accountWithMembers(emulator);
    const add = await emulator.request('POST', '/v2/identity/account-members', { account_id: account.id, members: [{ identity_id: account.user, roles: ['BENEFICIAL_OWNER'] }] });
    expect(add.body).toMatchObject({ status: 400, meta: { field: 'members[0]' } });
    const beneficialMember = account.created.members.find((member: { identity_id: string }) => member.identity_id === account.beneficial);
    const remove = await emulator.request('DELETE', `/v2/identity/account-members/${beneficialMember.id}`);
    expect(remove.status).toBe(400);
    expect((await emulator.request('GET', `/v2/identity/accounts/${account.id}`)).body.members).toHaveLength(2);
  });

  it('with any-account-member-update, adds and removes members of any role', async () => {
    const emulator = await start({ lenient: ['any-account-member-update'] });
    const account = await accountWithMembers(emulator);
    const response = await emulator.request('PUT', '/v2/identity/accounts', { account: { id: account.id, members: [{ identity_id: account.user, roles: ['BENEFICIAL_OWNER'] }] } });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const beneficialMember = response.body.members[0];
    expect((await emulator.request('DELETE', `/v2/identity/account-members/${beneficialMember.id}`)).status).toBe(200);
  });
});
