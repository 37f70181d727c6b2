import { afterEach, describe, expect, it } from 'vitest';
import { PaxosAmbiguousError, PaxosApiError, PaxosNetworkError } from '../src/errors.js';
import { personBody } from './support/emulator-builders.js';
import { createClientHarness, createVirtualClock, testSecret } from './support/paxos-client-harness.js';

const harness = createClientHarness();
afterEach(() => harness.closeAll());

const noFaults = { serverError: 0, resetAfterCommit: 0, latencyJitterMs: 0 };

/** The error a promise rejects with (fails the test when it resolves). */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error,
  );
}

describe('retries under faults', () => {
  it('repeats reads through injected 5xx answers until they succeed', async () => {
    const emulator = await harness.startEmulator({ rateLimits: 'off', seed: 7, faults: { ...noFaults, serverError: 0.4, latencyJitterMs: 3 } });
    const client = harness.client(emulator, { retry: { maxAttempts: 12, baseDelayMs: 1, maxDelayMs: 4 } });
    const pages = await Promise.all(Array.from({ length: 20 }, () => client.request<{ items: unknown[] }>({ method: 'GET', path: '/v2/profiles' })));
    expect(pages.every((page) => Array.isArray(page.items))).toBe(true);
    const stats = client.stats();
    expect(stats.retries).toBeGreaterThan(0);
    expect(stats.calls).toBe(20 + stats.retries);
    expect(client.entries.filter((entry) => entry.status === 503)).toHaveLength(stats.retries);
  });

  it('repeats a natural-key create whose answer was lost; the repeat’s 409 names the one identity that exists', async () => {
    const emulator = await harness.startEmulator({ rateLimits: 'off', faults: { ...noFaults, resetAfterCommit: 1 } });
    const client = harness.client(emulator);
    const error = await rejectionOf(client.request({ method: 'POST', path: '/v2/identity/identities', body: personBody(), retry: 'natural-key' }));
    expect(error).toBeInstanceOf(PaxosApiError);
    const identities = Object.keys(emulator.state.identities);
    expect(identities).toHaveLength(1);
    expect((error as PaxosApiError).status).toBe(409);
    expect((error as PaxosApiError).existingId).toBe(identities[0]);
    expect(client.stats()).toMatchObject({ calls: 2, retries: 1 });
  });

  it('never repeats a deposit that may have landed: PaxosAmbiguousError, and exactly one transfer', async () => {
    const emulator = await harness.startEmulator({ rateLimits: 'off', faults: { ...noFaults, resetAfterCommit: 1 } });
    const client = harness.client(emulator);
    const created = await rejectionOf(client.request({ method: 'POST', path: '/v2/profiles', body: { nickname: 'book' }, retry: 'natural-key' }));
    const profileId = (created as PaxosApiError).existingId;
    expect(profileId).toBeDefined();
    const error = await rejectionOf(client.request({ method: 'POST', path: `/v2/sandbox/profiles/${profileId}/deposit`, body: { asset: 'USD', amount: '100' } }));
    expect(error).toBeInstanceOf(PaxosAmbiguousError);
    expect(Object.values(emulator.state.transfers)).toHaveLength(1);
    // One repeat (the profile create); the deposit went out once.
    expect(client.stats()).toMatchObject({ calls: 3, retries: 1 });
  });

  it('repeats even a never-repeat write when the connection was refused, since nothing was sent; then PaxosNetworkError', async () => {
    const live = await harness.startEmulator({ rateLimits: 'off' });
    const gone = await harness.startEmulator();
    await gone.close();
    const retry = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 };
    const target = { kind: 'url' as const, environment: 'local' as const, apiUrl: `${gone.url}/v2`, tokenUrl: `${live.url}/oauth2/token`, description: 'api gone' };
    const client = harness.client(live, { target, retry });
    const error = await rejectionOf(client.request({ method: 'POST', path: '/v2/sandbox/profiles/p1/deposit', body: { asset: 'USD', amount: '1' } }));
    expect(error).toBeInstanceOf(PaxosNetworkError);
    expect(error).toMatchObject({ code: 'paxos.unreachable', method: 'POST', path: '/v2/sandbox/profiles/p1/deposit', attempts: 3 });
    expect((error as PaxosNetworkError).message).toContain('after 3 attempts');
    expect(client.stats()).toMatchObject({ calls: 3, retries: 2 });
    expect(client.entries.filter((entry) => entry.path === '/v2/sandbox/profiles/p1/deposit').map((entry) => entry.note?.split(';')[0])).toEqual([
      'ECONNREFUSED',
      'ECONNREFUSED',
      'ECONNREFUSED',
    ]);

    // A token endpoint that refuses: PaxosAuthError saying where it tried.
    const unreachable = harness.client(gone, { retry, pacing: 'off' }); // unpaced: three token attempts would take 2 s
    const authError = await rejectionOf(unreachable.request({ method: 'GET', path: '/v2/profiles' }));
    expect((authError as Error).name).toBe('PaxosAuthError');
    expect((authError as Error).message).toContain(`${gone.url}/oauth2/token`);
    expect(unreachable.stats()).toMatchObject({ tokenFetches: 3, calls: 0 });
  });
});

describe('the OAuth token', () => {
  it('is fetched once for 50 concurrent first requests, then reused', async () => {
    const emulator = await harness.startEmulator({ rateLimits: 'off' });
    const client = harness.client(emulator, { pacing: 'off' }); // unpaced: the 51st read would wait a second
    const read = () => client.request({ method: 'GET', path: '/v2/profiles' });
    await Promise.all(Array.from({ length: 50 }, read));
    await Promise.all(Array.from({ length: 10 }, read));
    expect(client.stats()).toMatchObject({ tokenFetches: 1, calls: 60, retries: 0 });
    expect(client.entries.filter((entry) => entry.path === '/oauth2/token')).toHaveLength(1);
  });

  it('is replaced a minute before it expires', async () => {
    const time = createVirtualClock();
    const emulator = await harness.startEmulator({ rateLimits: 'off', now: time.date, tokenTtlSeconds: 300 });
    const client = harness.client(emulator, { clock: time.clock });
    const read = () => client.request({ method: 'GET', path: '/v2/profiles' });
    await read();
    time.advance(239_000);
    await read();
    expect(client.stats().tokenFetches).toBe(1);
    time.advance(2_000);
    await read();
    expect(client.stats()).toMatchObject({ tokenFetches: 2, calls: 3, retries: 0 });
    expect(client.entries.some((entry) => entry.status === 401)).toBe(false);
  });

  it('is renewed, not sent stale, when the wait for a slot outlasted it', async () => {
    const time = createVirtualClock();
    // The 429 pause (6 min) outlasts the token (5 min): the repeat must not go out with the old one.
    // The 429 says nothing (as Paxos), so the client waits out the lockout it is told of: the emulator's 6 min.
    const emulator = await harness.startEmulator({ now: time.date, rateWindowMs: 1000, lockoutMs: 360_000, tokenTtlSeconds: 300 });
    const client = harness.client(emulator, { pacing: 'off', clock: time.clock, rateLimitLockoutMs: 360_000 });
    const identity = await client.request<{ id: string }>({ method: 'POST', path: '/v2/identity/identities', body: personBody(), retry: 'natural-key' });
    // Identity items allow 10 in the 1 s window; unpaced, the 11th read trips the lockout, and its repeat waits it out.
    for (let index = 0; index < 11; index++) await client.request({ method: 'GET', path: `/v2/identity/identities/${identity.id}` });
    expect(client.entries.filter((entry) => entry.status === 429)).toHaveLength(1);
    expect(client.entries.filter((entry) => entry.status === 401)).toEqual([]);
    expect(client.stats()).toMatchObject({ tokenFetches: 2, rateLimited: 1, retries: 1, calls: 13 });
    expect(client.entries.map((entry) => entry.path).slice(-2)).toEqual(['/oauth2/token', `/v2/identity/identities/${identity.id}`]);
  });

  it('is fetched anew once when the API refuses it', async () => {
    let serverNow = Date.now();
    const emulator = await harness.startEmulator({ rateLimits: 'off', now: () => new Date(serverNow) });
    const client = harness.client(emulator, { pacing: 'off' }); // unpaced: a second token within 1 s would wait
    await client.request({ method: 'GET', path: '/v2/profiles' });
    serverNow += 2 * 3_600_000; // the server's token expired; the client's clock says it is fresh
    await client.request({ method: 'GET', path: '/v2/profiles' });
    expect(client.stats()).toMatchObject({ tokenFetches: 2, calls: 3, retries: 1 });
    expect(client.entries.filter((entry) => entry.path === '/v2/profiles').map((entry) => entry.status)).toEqual([200, 401, 200]);
  });

  it('is renewed only once: a second 401 is the answer', async () => {
    const emulator = await harness.startEmulator({ rateLimits: 'off', tokenTtlSeconds: 0 }); // every token is dead on arrival
    const client = harness.client(emulator, { pacing: 'off' });
    const error = await rejectionOf(client.request({ method: 'GET', path: '/v2/profiles' }));
    expect(error).toBeInstanceOf(PaxosApiError);
    expect((error as PaxosApiError).status).toBe(401);
    expect(client.stats()).toMatchObject({ tokenFetches: 2, calls: 2 });
  });

  it('refused credentials are a PaxosAuthError that says what to check, without the secret', async () => {
    const emulator = await harness.startEmulator({ clientId: 'test-client', clientSecret: 'the-right-secret' });
    const client = harness.client(emulator);
    const error = await rejectionOf(client.request({ method: 'GET', path: '/v2/profiles' }));
    expect(error).toMatchObject({ name: 'PaxosAuthError', code: 'paxos.auth' });
    expect((error as Error).message).toContain('invalid_client');
    expect((error as Error).message).toContain('PAXOS_CLIENT_ID and PAXOS_CLIENT_SECRET');
    expect((error as Error).message).not.toContain(testSecret);
    expect(client.stats()).toMatchObject({ tokenFetches: 1, calls: 0 });
  });
});

describe('rate limiting', () => {
  it('honours a 429 that comes anyway: pauses for Retry-After, repeats, and reports it', async () => {
    const time = createVirtualClock();
    // Paxos documents no Retry-After; a server that sends one anyway is believed over the client's default 5-minute lockout.
    const emulator = await harness.startEmulator({ now: time.date, rateWindowMs: 1000, lockoutMs: 3000, lenient: ['retry-after'] });
    let limitedAt: number | undefined;
    const client = harness.client(emulator, { pacing: 'off', clock: time.clock, onRequest: (entry) => (limitedAt ??= entry.status === 429 ? time.clock.now() : undefined) });
    const identity = await client.request<{ id: string }>({ method: 'POST', path: '/v2/identity/identities', body: personBody(), retry: 'natural-key' });
    // Identity items allow 10 in the 1 s window; unpaced, the 11th read trips the lockout.
    for (let index = 0; index < 11; index++) await client.request({ method: 'GET', path: `/v2/identity/identities/${identity.id}` });
    const limited = client.entries.filter((entry) => entry.status === 429);
    expect(limited).toHaveLength(1);
    expect(limited[0]).toMatchObject({ rateClass: 'ten-per-second', note: 'rate limited: every request paused 3s' });
    expect(client.stats()).toMatchObject({ rateLimited: 1, retries: 1, calls: 13 });
    // The repeat left only after the lockout, on the client's clock.
    expect(time.clock.now() - (limitedAt ?? Number.NaN)).toBeGreaterThanOrEqual(3000);
  });

  it('waits out its configured lockout after a 429 that says nothing, as Paxos sends, tells the user when it resumes, then succeeds', async () => {
    // Real time throughout: the notice names a wall-clock time. A 3 s window allows 30 item reads; 31 at once trip it.
    const emulator = await harness.startEmulator({ rateWindowMs: 3000, lockoutMs: 1000 });
    const notices: string[] = [];
    let limitedAt: number | undefined;
    let repeatedAt: number | undefined;
    const client = harness.client(emulator, {
      pacing: 'off',
      rateLimitLockoutMs: 1500,
      onNotice: (message) => notices.push(message),
      onRequest: (entry) => {
        if (entry.status === 429) limitedAt ??= Date.now();
        // The repeat of the refused read (other reads of the burst may still be answering 200 after the 429).
        else if (entry.attempt === 2 && entry.status === 200) repeatedAt ??= Date.now() - entry.durationMs;
      },
    });
    const identity = await client.request<{ id: string }>({ method: 'POST', path: '/v2/identity/identities', body: personBody(), retry: 'natural-key' });
    const reads = await Promise.all(Array.from({ length: 31 }, () => client.request<{ id: string }>({ method: 'GET', path: `/v2/identity/identities/${identity.id}` })));

    // Every read answered: the 429 failed nothing.
    expect(reads.map((read) => read.id)).toEqual(Array.from({ length: 31 }, () => identity.id));
    const limited = client.entries.filter((entry) => entry.status === 429);
    expect(limited).toHaveLength(1);
    // The client's own lockout, not the server's (1 s), which the strict emulator does not tell.
    expect(limited[0]).toMatchObject({ note: 'rate limited: every request paused 1.5s' });
    expect(client.stats()).toMatchObject({ rateLimited: 1, retries: 1, calls: 33 });
    expect((repeatedAt ?? Number.NaN) - (limitedAt ?? Number.NaN)).toBeGreaterThanOrEqual(1400);

    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain('no Retry-After');
    const resumesAt = /until (\d\d:\d\d:\d\d) UTC/.exec(notices[0] ?? '')?.[1];
    const wallTime = (ms: number) => new Date(ms).toISOString().slice(11, 19);
    const due = (limitedAt ?? Number.NaN) + 1500;
    expect([wallTime(due - 1000), wallTime(due)]).toContain(resumesAt);
  });
});
