import { afterEach, describe, expect, it } from 'vitest';
import type { Route, Ticker } from '../src/emulator/framework.js';
import { eventRoutes } from '../src/emulator/routes/events.js';
import { createProfileRoutes } from './support/platform-routes.js';
import { startTestEmulator, type TestEmulator } from './support/test-emulator.js';

const routes = () => [...createProfileRoutes(), ...eventRoutes];
let running: TestEmulator[] = [];

async function start(options: Parameters<typeof startTestEmulator>[0] = {}): Promise<TestEmulator> {
  const emulator = await startTestEmulator({ routes: routes(), ...options });
  running.push(emulator);
  return emulator;
}

afterEach(async () => {
  const all = running;
  running = [];
  for (const emulator of all) await emulator.close();
});

describe('authentication and scopes', () => {
  it('answers the token endpoint like Paxos and carries the requested scopes', async () => {
    const emulator = await start();
    const response = await emulator.request('POST', '/oauth2/token', 'grant_type=client_credentials&client_id=me&client_secret=s&scope=funding%3Aread_profile%20events%3Aread_event', {
      token: null,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ expires_in: 3599, scope: 'funding:read_profile events:read_event', token_type: 'bearer' });
    expect(typeof response.body.access_token).toBe('string');
  });

  it('refuses a request without a token, with a bad token, and with an expired one (401 problems)', async () => {
    let now = new Date('2024-01-01T00:00:00Z');
    const emulator = await start({ now: () => now, tokenTtlSeconds: 60 });
    const missing = await emulator.request('GET', '/v2/events', undefined, { token: null });
    expect(missing.status).toBe(401);
    expect(missing.headers['content-type']).toBe('application/problem+json');
    expect(missing.body).toMatchObject({ status: 401, title: 'Unauthorized' });
    expect((await emulator.request('GET', '/v2/events', undefined, { token: 'not-a-token' })).status).toBe(401);
    const token = await emulator.token(['events:read_event']);
    expect((await emulator.request('GET', '/v2/events', undefined, { token })).status).toBe(200);
    now = new Date(now.getTime() + 60_000);
    expect((await emulator.request('GET', '/v2/events', undefined, { token })).status).toBe(401);
  });

  it('answers 403 naming the scope when the token lacks it', async () => {
    const emulator = await start();
    const token = await emulator.token(['identity:read_identity']);
    const response = await emulator.request('GET', '/v2/events', undefined, { token });
    expect(response.status).toBe(403);
    expect(response.body.detail).toContain('events:read_event');
  });

  it('accepts only the configured credentials when started with them, and never needs a token for public routes', async () => {
    const emulator = await start({ clientId: 'acme', clientSecret: 'right' });
    const wrong = await emulator.request('POST', '/oauth2/token', 'grant_type=client_credentials&client_id=acme&client_secret=wrong', {
      token: null,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ error: 'invalid_client', status: 401 });
    expect(await emulator.token(['events:read_event'])).toEqual(expect.any(String));
    expect((await emulator.request('GET', '/v2/markets', undefined, { token: null })).status).toBe(200);
  });

  it('refuses unknown scopes and other grant types', async () => {
    const emulator = await start();
    const form = { token: null, headers: { 'content-type': 'application/x-www-form-urlencoded' } };
    const scope = await emulator.request('POST', '/oauth2/token', 'grant_type=client_credentials&client_id=a&client_secret=b&scope=admin:everything', form);
    expect(scope.body).toMatchObject({ status: 400, error: 'invalid_scope' });
    const grant = await emulator.request('POST', '/oauth2/token', 'grant_type=password&client_id=a&client_secret=b', form);
    expect(grant.body).toMatchObject({ status: 400, error: 'unsupported_grant_type' });
  });
});

describe('routing and request bodies', () => {
  it('answers 404 for unknown paths and 405 with Allow for wrong methods', async () => {
    const emulator = await start();
    const unknown = await emulator.request('GET', '/v2/nowhere');
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toContain('/v2/nowhere');
    const wrongMethod = await emulator.request('DELETE', '/v2/profiles');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.allow).toBe('POST');
  });

  it('names every answer with its own x-request-id, problems and the token endpoint included', async () => {
    const emulator = await start();
    const answers = [
      await emulator.request('POST', '/oauth2/token', 'grant_type=client_credentials&client_id=me&client_secret=s', {
        token: null,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
      await emulator.request('GET', '/v2/events'),
      await emulator.request('GET', '/v2/nowhere'),
      await emulator.request('GET', '/v2/events', undefined, { token: null }),
    ];
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 404, 401]);
    const ids = answers.map((answer) => answer.headers['x-request-id']);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('answers 400 for malformed JSON, naming the parse error', async () => {
    const emulator = await start();
    const response = await emulator.request('POST', '/v2/profiles', '{"nickname": ');
    expect(response.status).toBe(400);
    expect(response.body.detail).toMatch(/^malformed JSON body/);
    expect(emulator.state.events).toEqual([]);
  });

  it('validates bodies against the spec schema and names the field', async () => {
    const emulator = await start();
    const missing = await emulator.request('POST', '/v2/profiles', { description: 'no nickname' });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ detail: 'nickname: is required', meta: { field: 'nickname' } });
    const wrongType = await emulator.request('POST', '/v2/profiles', { nickname: 42 });
    expect(wrongType.body).toMatchObject({ status: 400, meta: { field: 'nickname' } });
    expect(wrongType.body.detail).toBe('nickname: must be string');
    const created = await emulator.request('POST', '/v2/profiles', { nickname: 'book' });
    expect(created.status).toBe(200);
    const duplicate = await emulator.request('POST', '/v2/profiles', { nickname: 'book' });
    expect(duplicate.body).toMatchObject({ status: 409, meta: { existing: { id: created.body.id } } });
  });
});

describe('known quirks of the spec', () => {
  it("with undeclared-body-fields, accepts the guide's account.type CRYPTO_BROKERAGE and account.name on Create Account, and still checks the type", async () => {
    const createAccount: Route = {
      method: 'POST',
      path: '/v2/identity/accounts',
      operationId: 'CreateAccount',
      handler: (context) => ({ body: { id: context.newId(), identity_id: (context.body as { account: { identity_id: string } }).account.identity_id, type: 'BROKERAGE' } }),
    };
    const emulator = await start({ routes: [createAccount], lenient: ['undeclared-body-fields'] });
    const accepted = await emulator.request('POST', '/v2/identity/accounts', {
      account: { identity_id: 'i-1', type: 'CRYPTO_BROKERAGE', name: 'Acme brokerage' },
      create_profile: true,
    });
    expect(accepted.status).toBe(200);
    const refused = await emulator.request('POST', '/v2/identity/accounts', { account: { identity_id: 'i-1', type: 'SAVINGS' } });
    expect(refused.body).toMatchObject({ status: 400, meta: { field: 'account.type' } });
  });
});

describe('latency', () => {
  it('holds every answer, problems and the token endpoint included, for at least --latency', async () => {
    const emulator = await start({ latencyMs: 120 });
    // Lower bounds only: the delay is a floor that no machine's speed can shorten.
    const timed = async <T>(call: () => Promise<T>): Promise<T> => {
      const started = performance.now();
      const result = await call();
      expect(performance.now() - started).toBeGreaterThanOrEqual(115);
      return result;
    };
    const token = await timed(() => emulator.token(['events:read_event']));
    for (const [path, status] of [['/v2/events', 200], ['/v2/events/none', 404], ['/v2/nowhere', 404]] as const) {
      const response = await timed(() => emulator.request('GET', path, undefined, { token }));
      expect(response.status).toBe(status);
    }
  });
});

describe('tickers', () => {
  it('run before each request, so time-driven changes are visible at once', async () => {
    let now = new Date('2024-01-01T00:00:00Z');
    let fired = false;
    const approveAtHalfPast: Ticker = (context) => {
      if (fired || context.now() < new Date('2024-01-01T00:30:00Z')) return;
      fired = true;
      context.emitEvent('identity.approved', { id: 'o-1', identity_id: 'i-1', old_summary_status: 'PENDING', new_summary_status: 'APPROVED' });
    };
    const emulator = await start({ now: () => now, tickers: [approveAtHalfPast], tickIntervalMs: 60_000 });
    expect((await emulator.request('GET', '/v2/events')).body.events).toEqual([]);
    now = new Date('2024-01-01T00:30:00Z');
    expect((await emulator.request('GET', '/v2/events')).body.events).toMatchObject([{ type: 'identity.approved', created_at: '2024-01-01T00:30:00.000Z' }]);
  });
});
