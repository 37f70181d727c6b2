/**
 * The platform answers as strictly as documented Paxos by default, and each
 * named leniency restores its one kindness: repeated single-valued query
 * parameters, undeclared body fields, Retry-After, per-client rate limits,
 * and the credential's allowed scopes on the token endpoint.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Route } from '../src/emulator/framework.js';
import { eventRoutes } from '../src/emulator/routes/events.js';
import { allRoutes } from '../src/emulator/routes/index.js';
import { createPerson } from './support/emulator-builders.js';
import { createProfileRoutes } from './support/platform-routes.js';
import { startTestEmulator, type TestEmulator } from './support/test-emulator.js';

let running: TestEmulator[] = [];
async function start(options: Parameters<typeof startTestEmulator>[0] = {}): Promise<TestEmulator> {
  const emulator = await startTestEmulator(options);
  running.push(emulator);
  return emulator;
}
afterEach(async () => {
  const all = running;
  running = [];
  for (const emulator of all) await emulator.close();
});

/** ListTransfers declares `profile_ids` and `type` as arrays, `limit` as an integer. */
const listTransfers: Route = { method: 'GET', path: '/v2/transfer/transfers', operationId: 'ListTransfers', handler: () => ({ body: { items: [] } }) };

describe('repeated query parameters', () => {
  it('refuses a single-valued parameter given twice, naming it; arrays and unknown parameters may repeat', async () => {
    const emulator = await start({ routes: [listTransfers, ...eventRoutes] });
    const repeated = await emulator.request('GET', '/v2/events?type=identity.approved&type=identity.denied');
    expect(repeated.status).toBe(400);
    expect(repeated.body).toMatchObject({ title: 'Bad Request', meta: { field: 'type' } });
    expect(repeated.body.detail).toMatch(/^type: is a single string in the Paxos spec but was given 2 times/);
    expect((await emulator.request('GET', '/v2/transfer/transfers?limit=1&limit=2')).body).toMatchObject({ status: 400, meta: { field: 'limit' } });
    expect((await emulator.request('GET', '/v2/transfer/transfers?profile_ids=a&profile_ids=b&type=WIRE_DEPOSIT&type=CRYPTO_DEPOSIT')).status).toBe(200);
    // The docs do not say Paxos refuses parameters it does not declare: those stay accepted.
    expect((await emulator.request('GET', '/v2/events?trace=1&trace=2')).status).toBe(200);
  });

  it('with repeated-query-params, reads a repeated single-valued parameter instead', async () => {
    const emulator = await start({ routes: [...eventRoutes], lenient: ['repeated-query-params'] });
    expect((await emulator.request('GET', '/v2/events?type=identity.approved&type=identity.denied')).status).toBe(200);
  });
});

describe('undeclared body fields', () => {
  it('refuses fields the request schema does not declare, at any depth, naming each', async () => {
    const emulator = await start({ rateLimits: 'off' });
    const identityId = await createPerson(emulator);
    const response = await emulator.request('POST', '/v2/identity/accounts', {
      account: { identity_id: identityId, type: 'BROKERAGE', nickname: 'x', members: [{ identity_id: identityId, roles: ['AUTHORIZED_USER'], weight: 1 }] },
      create_profile: true,
      dry_run: true,
    });
    expect(response.status).toBe(400);
    expect(response.body.meta.violations).toEqual(
      expect.arrayContaining([
        { field: 'dry_run', message: 'is not a field the Paxos spec declares here; remove it' },
        { field: 'account.nickname', message: 'is not a field the Paxos spec declares here; remove it' },
        { field: 'account.members[0].weight', message: 'is not a field the Paxos spec declares here; remove it' },
      ]),
    );
    expect(Object.keys(emulator.state.accounts)).toEqual([]);
  });

  it('keeps metadata maps open and accepts the read-only fields a client echoes back on update', async () => {
    const emulator = await start({ rateLimits: 'off' });
    const identityId = await createPerson(emulator);
    const created = await emulator.request('POST', '/v2/identity/accounts', {
      account: { identity_id: identityId, type: 'BROKERAGE', metadata: { anything: 'goes' }, members: [{ identity_id: identityId, roles: ['AUTHORIZED_USER'] }] },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    // The whole Account as read, ids and timestamps included, is a declared UpdateAccountRequest.account.
    const updated = await emulator.request('PUT', '/v2/identity/accounts', { account: { ...created.body, description: 'renamed' } });
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    expect(updated.body.description).toBe('renamed');
  });

  it('with undeclared-body-fields, accepts unknown fields and the guide’s CRYPTO_BROKERAGE', async () => {
    const emulator = await start({ rateLimits: 'off', lenient: ['undeclared-body-fields'] });
    const identityId = await createPerson(emulator);
    const response = await emulator.request('POST', '/v2/identity/accounts', { account: { identity_id: identityId, type: 'CRYPTO_BROKERAGE', name: 'Main' }, dry_run: true });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
  });
});

describe('rate limits by source address', () => {
  const platform = () => [...createProfileRoutes(), ...eventRoutes];

  it('locks out every client from the address once one trips a limit, the token endpoint too, with no Retry-After', async () => {
    let now = new Date('2024-01-01T00:00:00Z');
    const emulator = await start({ routes: platform(), now: () => now, rateWindowMs: 1000, lockoutMs: 300_000 });
    const greedy = await emulator.token();
    now = new Date(now.getTime() + 1000);
    const polite = await emulator.token();
    for (let index = 0; index < 50; index++) await emulator.request('GET', '/v2/events', undefined, { token: greedy });
    const tripped = await emulator.request('GET', '/v2/events', undefined, { token: greedy });
    expect(tripped.status).toBe(429);
    expect(tripped.headers['retry-after']).toBeUndefined();
    const other = await emulator.request('GET', '/v2/events', undefined, { token: polite });
    expect(other.status).toBe(429);
    expect(other.headers['retry-after']).toBeUndefined();
    now = new Date(now.getTime() + 10_000);
    await expect(emulator.token()).rejects.toThrow(/token request failed: 429/);
    // The lockout is 300 s by default (--lockout), not the averaging window.
    now = new Date(now.getTime() + 289_000);
    expect((await emulator.request('GET', '/v2/events', undefined, { token: polite })).status).toBe(429);
    now = new Date(now.getTime() + 2_000);
    expect((await emulator.request('GET', '/v2/events', undefined, { token: polite })).status).toBe(200);
  });

  it('with per-client-rate-limits and retry-after, locks out only the client that tripped and says when to retry', async () => {
    let now = new Date('2024-01-01T00:00:00Z');
    const emulator = await start({ routes: platform(), now: () => now, rateWindowMs: 1000, lockoutMs: 5000, lenient: ['per-client-rate-limits', 'retry-after'] });
    const greedy = await emulator.token();
    now = new Date(now.getTime() + 1000);
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const politeAnswer = await emulator.request('POST', '/oauth2/token', 'grant_type=client_credentials&client_id=polite&client_secret=s&scope=events%3Aread_event', { token: null, headers: form });
    const polite = politeAnswer.body.access_token as string;
    for (let index = 0; index < 50; index++) await emulator.request('GET', '/v2/events', undefined, { token: greedy });
    const tripped = await emulator.request('GET', '/v2/events', undefined, { token: greedy });
    expect(tripped.status).toBe(429);
    expect(tripped.headers['retry-after']).toBe('5');
    expect((await emulator.request('GET', '/v2/events', undefined, { token: polite })).status).toBe(200);
  });
});

describe('allowed scopes of the credential', () => {
  it('answers 400 invalid_scope when a token request asks for a scope the credential lacks', async () => {
    const emulator = await start({ routes: [...eventRoutes], clientScopes: ['events:read_event', 'funding:read_profile'], rateLimits: 'off' });
    const form = { token: null, headers: { 'content-type': 'application/x-www-form-urlencoded' } };
    const refused = await emulator.request('POST', '/oauth2/token', 'grant_type=client_credentials&client_id=a&client_secret=b&scope=events%3Aread_event%20identity%3Aread_identity', form);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: 'invalid_scope' });
    expect(refused.body.error_description).toContain('identity:read_identity');
    const granted = await emulator.request('POST', '/oauth2/token', 'grant_type=client_credentials&client_id=a&client_secret=b&scope=events%3Aread_event', form);
    expect(granted.status).toBe(200);
    expect(granted.body.scope).toBe('events:read_event');
  });

  it('allows every scope the spec names by default', async () => {
    const emulator = await start({ routes: allRoutes(), rateLimits: 'off' });
    await expect(emulator.token()).resolves.toEqual(expect.any(String));
  });
});
