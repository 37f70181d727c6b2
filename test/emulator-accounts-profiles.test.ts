/**
 * Accounts (create with create_profile, update, list, members) and profiles
 * (DEFAULT, nickname uniqueness, filters, balances, deactivation) over HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPerson, unique } from './support/emulator-builders.js';
import { startTestEmulator, type TestEmulator } from './support/test-emulator.js';

let emulator: TestEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator({ rateLimits: 'off' });
});
afterAll(async () => {
  await emulator.close();
});

const ids = (response: { body: { items: Array<{ id: string }> } }) => response.body.items.map((item) => item.id);

async function createAccount(account: Record<string, unknown>, createProfile = false) {
  return emulator.request('POST', '/v2/identity/accounts', { account, create_profile: createProfile });
}

describe('accounts', () => {
  it('creates an account with a linked NORMAL profile when create_profile is true', async () => {
    const identityId = await createPerson(emulator);
    const response = await createAccount({ identity_id: identityId, ref_id: `acct-${unique()}`, description: 'Brokerage', metadata: { desk: 'a' } }, true);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ identity_id: identityId, description: 'Brokerage', metadata: { desk: 'a' }, summary_status: 'PENDING', members: [] });
    const profile = await emulator.request('GET', `/v2/profiles/${response.body.profile_id}`);
    expect(profile.body).toMatchObject({ type: 'NORMAL', account_id: response.body.id });
    const byAccount = await emulator.request('GET', `/v2/profiles?account_id=${response.body.id}`);
    expect(ids(byAccount)).toEqual([response.body.profile_id]);
    const plain = await createAccount({ identity_id: identityId });
    expect(plain.body.profile_id).toBeUndefined();
  });

  it('refuses the guide’s CRYPTO_BROKERAGE type and name, which the spec does not declare, and takes BROKERAGE', async () => {
    const identityId = await createPerson(emulator);
    const refused = await createAccount({ identity_id: identityId, type: 'CRYPTO_BROKERAGE', name: 'Main' }, true);
    expect(refused.status).toBe(400);
    expect(refused.body.meta.violations).toEqual([
      { field: 'account.name', message: 'is not a field the Paxos spec declares here; remove it' },
      { field: 'account.type', message: 'must be one of BROKERAGE, TRADITIONAL_IRA, ROTH_IRA, SEP_IRA, FINANCIAL_ADVISOR' },
    ]);
    const response = await createAccount({ identity_id: identityId, type: 'BROKERAGE' }, true);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.type).toBe('BROKERAGE');
  });

  it('requires an existing identity and a free ref_id', async () => {
    const missing = await createAccount({ identity_id: 'no-such-identity' });
    expect(missing.status).toBe(400);
    expect(missing.body.meta.field).toBe('account.identity_id');
    const identityId = await createPerson(emulator);
    const refId = `acct-${unique()}`;
    const first = await createAccount({ identity_id: identityId, ref_id: refId });
    const again = await createAccount({ identity_id: identityId, ref_id: refId });
    expect(again.status).toBe(409);
    expect(again.body.meta.existing.id).toBe(first.body.id);
  });

  it('updates description and replaces the full members list; an empty list is refused', async () => {
    const owner = await createPerson(emulator);
    const [adviser, user] = [await createPerson(emulator), await createPerson(emulator)];
    const account = await createAccount({ identity_id: owner, members: [{ identity_id: adviser, roles: ['FINANCIAL_ADVISOR'] }] });
    expect(account.body.members).toHaveLength(1);
    const updated = await emulator.request('PUT', '/v2/identity/accounts', { account: { id: account.body.id, description: 'Joint', members: [{ identity_id: user, roles: ['AUTHORIZED_USER'] }] } });
    expect(updated.status).toBe(200);
    expect(updated.body.description).toBe('Joint');
    expect(updated.body.members.map((member: { identity_id: string }) => member.identity_id)).toEqual([user]);
    const empty = await emulator.request('PUT', '/v2/identity/accounts', { account: { id: account.body.id, members: [] } });
    expect(empty.status).toBe(400);
    const disabled = await emulator.request('PUT', '/v2/identity/accounts', { account: { id: account.body.id }, set_user_disabled: true });
    expect(disabled.body.user_disabled).toBe(true);
  });

  it('lists by identity_id with a cursor, and gets one', async () => {
    const identityId = await createPerson(emulator);
    const created = [];
    for (let index = 0; index < 3; index++) created.push((await createAccount({ identity_id: identityId })).body.id);
    const first = await emulator.request('GET', `/v2/identity/accounts?identity_id=${identityId}&limit=2`);
    expect(ids(first)).toEqual([created[2], created[1]]);
    const rest = await emulator.request('GET', `/v2/identity/accounts?identity_id=${identityId}&limit=2&page_cursor=${first.body.next_page_cursor}`);
    expect(ids(rest)).toEqual([created[0]]);
    expect((await emulator.request('GET', `/v2/identity/accounts/${created[0]}`)).body.identity_id).toBe(identityId);
    expect((await emulator.request('GET', '/v2/identity/accounts/nope')).status).toBe(404);
  });

  it('adds and deletes account members', async () => {
    const owner = await createPerson(emulator);
    const member = await createPerson(emulator);
    const account = await createAccount({ identity_id: owner });
    const added = await emulator.request('POST', '/v2/identity/account-members', { account_id: account.body.id, members: [{ identity_id: member, roles: ['AUTHORIZED_USER'] }] });
    expect(added.body).toMatchObject({ account_id: account.body.id, members: [{ identity_id: member, roles: ['AUTHORIZED_USER'] }] });
    expect((await emulator.request('GET', `/v2/identity/accounts/${account.body.id}`)).body.members).toHaveLength(1);
    expect((await emulator.request('DELETE', `/v2/identity/account-members/${added.body.members[0].id}`)).status).toBe(200);
    expect((await emulator.request('GET', `/v2/identity/accounts/${account.body.id}`)).body.members).toEqual([]);
    const unknown = await emulator.request('POST', '/v2/identity/account-members', { account_id: account.body.id, members: [{ identity_id: 'ghost', roles: ['AUTHORIZED_USER'] }] });
    expect(unknown.status).toBe(400);
  });
});

describe('profiles', () => {
  it('always has one DEFAULT profile', async () => {
    const list = await emulator.request('GET', '/v2/profiles?nickname=default');
    const defaults = list.body.items.filter((profile: { type: string }) => profile.type === 'DEFAULT');
    expect(defaults).toHaveLength(1);
    expect((await emulator.request('GET', '/v2/profiles')).body.items.filter((profile: { type: string }) => profile.type === 'DEFAULT')).toEqual(defaults);
  });

  it('creates NORMAL profiles by unique nickname; a used one is 409 naming it', async () => {
    const nickname = `Omnibus ${unique()}`;
    const created = await emulator.request('POST', '/v2/profiles', { nickname });
    expect(created.body).toMatchObject({ nickname, type: 'NORMAL' });
    const again = await emulator.request('POST', '/v2/profiles', { nickname });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ detail: 'nickname already exists', meta: { existing: { id: created.body.id, nickname, type: 'NORMAL' } } });
    const byPrefix = await emulator.request('GET', `/v2/profiles?nickname=${encodeURIComponent(nickname.slice(0, 10).toLowerCase())}`);
    expect(ids(byPrefix)).toContain(created.body.id);
    const byIds = await emulator.request('GET', `/v2/profiles?ids=${created.body.id}`);
    expect(ids(byIds)).toEqual([created.body.id]);
    expect((await emulator.request('GET', '/v2/profiles/nope')).status).toBe(404);
  });

  it('lists every known asset’s balance, zeros included, or just the assets asked for', async () => {
    const profile = (await emulator.request('POST', '/v2/profiles', { nickname: `b-${unique()}` })).body;
    const all = await emulator.request('GET', `/v2/profiles/${profile.id}/balances`);
    expect(all.body.items).toContainEqual({ asset: 'USD', available: '0', trading: '0' });
    expect(all.body.items.map((item: { asset: string }) => item.asset)).toEqual(expect.arrayContaining(['USD', 'BTC', 'ETH']));
    await emulator.request('POST', `/v2/sandbox/profiles/${profile.id}/deposit`, { asset: 'USD', amount: '25.50' });
    // A deposit is credited when it is listed, a few seconds after the call (as Paxos: see emulator-money.test.ts).
    for (let waited = 0; (await emulator.request('GET', `/v2/profiles/${profile.id}/balances/USD`)).body.available === '0' && waited < 5000; waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const some = await emulator.request('GET', `/v2/profiles/${profile.id}/balances?assets=USD&assets=BTC`);
    expect(some.body.items).toEqual([{ asset: 'USD', available: '25.5', trading: '0' }, { asset: 'BTC', available: '0', trading: '0' }]);
    expect((await emulator.request('GET', `/v2/profiles/${profile.id}/balances/USD`)).body).toEqual({ asset: 'USD', available: '25.5', trading: '0' });
    expect((await emulator.request('GET', `/v2/profiles/${profile.id}/balances/DOGE`)).status).toBe(404);
  });

  it('deactivates an empty NORMAL profile, never the DEFAULT one nor a funded one', async () => {
    const list = await emulator.request('GET', '/v2/profiles?nickname=default');
    const defaultId = list.body.items.find((profile: { type: string }) => profile.type === 'DEFAULT').id;
    expect((await emulator.request('PUT', `/v2/profiles/${defaultId}/deactivate`)).status).toBe(400);
    const funded = (await emulator.request('POST', '/v2/profiles', { nickname: `f-${unique()}` })).body;
    await emulator.request('POST', `/v2/sandbox/profiles/${funded.id}/deposit`, { asset: 'USD', amount: '1' });
    const refused = await emulator.request('PUT', `/v2/profiles/${funded.id}/deactivate`);
    expect(refused.status).toBe(400);
    expect(refused.body.detail).toContain('non-zero balance');
    const empty = (await emulator.request('POST', '/v2/profiles', { nickname: `e-${unique()}` })).body;
    expect((await emulator.request('PUT', `/v2/profiles/${empty.id}/deactivate`)).body).toEqual({});
    expect(ids(await emulator.request('GET', `/v2/profiles?ids=${empty.id}`))).toEqual([]);
    expect((await emulator.request('POST', `/v2/sandbox/profiles/${empty.id}/deposit`, { asset: 'USD', amount: '1' })).status).toBe(400);
  });
});
