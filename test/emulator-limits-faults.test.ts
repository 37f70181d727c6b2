import { afterEach, describe, expect, it } from 'vitest';
import { eventRoutes } from '../src/emulator/routes/events.js';
import { createProfileRoutes } from './support/platform-routes.js';
import { startTestEmulator, type TestEmulator } from './support/test-emulator.js';

let running: TestEmulator[] = [];
async function start(options: Parameters<typeof startTestEmulator>[0] = {}): Promise<TestEmulator> {
  const emulator = await startTestEmulator({ routes: [...createProfileRoutes(), ...eventRoutes], ...options });
  running.push(emulator);
  return emulator;
}
afterEach(async () => {
  const all = running;
  running = [];
  for (const emulator of all) await emulator.close();
});

describe('rate limits', () => {
  it('locks a client out for every request once a class exceeds its budget, then lets it back', async () => {
    let now = new Date('2024-01-01T00:00:00Z');
    const emulator = await start({ now: () => now, rateWindowMs: 1000, lockoutMs: 5000 });
    const token = await emulator.token();
    // The default class allows 50/s: 50 requests in the 1 s window pass, the 51st trips the lockout.
    for (let index = 0; index < 50; index++) {
      expect((await emulator.request('GET', `/v2/profiles/p${index}`, undefined, { token })).status).toBe(404);
    }
    const tripped = await emulator.request('GET', '/v2/profiles/p50', undefined, { token });
    expect(tripped.status).toBe(429);
    // Paxos documents no Retry-After; the `retry-after` leniency adds it (emulator-strict-platform.test.ts).
    expect(tripped.headers['retry-after']).toBeUndefined();
    expect(tripped.body).toMatchObject({ title: 'Too Many Requests' });
    // Locked out for everything, in any class, even after the window has passed.
    now = new Date(now.getTime() + 2000);
    const other = await emulator.request('GET', '/v2/events', undefined, { token });
    expect(other.status).toBe(429);
    now = new Date(now.getTime() + 3000);
    expect((await emulator.request('GET', '/v2/events', undefined, { token })).status).toBe(200);
  });

  it('limits the token endpoint per address at 1/s over the window', async () => {
    const now = new Date('2024-01-01T00:00:00Z');
    const emulator = await start({ now: () => now, rateWindowMs: 2000 });
    await emulator.token();
    await emulator.token();
    await expect(emulator.token()).rejects.toThrow(/429/);
  });

  it('counts a budget over a sliding window, not per request burst', async () => {
    let now = new Date('2024-01-01T00:00:00Z');
    const emulator = await start({ now: () => now, rateWindowMs: 1000, lockoutMs: 1000 });
    const token = await emulator.token();
    for (let round = 0; round < 3; round++) {
      for (let index = 0; index < 50; index++) await emulator.request('GET', '/v2/events', undefined, { token });
      now = new Date(now.getTime() + 1001);
    }
    expect((await emulator.request('GET', '/v2/events', undefined, { token })).status).toBe(200);
  });

  it('enforces nothing with rate limits off', async () => {
    const emulator = await start({ rateLimits: 'off', rateWindowMs: 1000 });
    const statuses = new Set<number>();
    for (let index = 0; index < 60; index++) statuses.add((await emulator.request('GET', '/v2/events')).status);
    expect([...statuses]).toEqual([200]);
  });
});

describe('faults', () => {
  it('answers 503 before the handler runs, so nothing is written', async () => {
    const emulator = await start({ faults: '5xx=1' });
    const response = await emulator.request('POST', '/v2/profiles', { nickname: 'lost' });
    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({ status: 503, title: 'Service Unavailable' });
    expect(emulator.state.events).toEqual([]);
  });

  it('resets the connection after a committed write: the client sees a socket error, the record exists', async () => {
    const emulator = await start({ faults: 'reset-after-commit=1' });
    await expect(emulator.request('POST', '/v2/profiles', { nickname: 'kept' })).rejects.toThrow(/socket|closed|reset/i);
    expect(emulator.state.events.map((event) => event.object.nickname)).toEqual(['kept']);
    // Reads are never reset.
    const listed = await emulator.request('GET', '/v2/events');
    expect(listed.body.events).toHaveLength(1);
  });

  it('replays the same faults for the same seed and request sequence', async () => {
    const run = async (seed: number) => {
      const emulator = await start({ faults: '5xx=0.5', seed, rateLimits: 'off' });
      const statuses: number[] = [];
      for (let index = 0; index < 24; index++) statuses.push((await emulator.request('GET', '/v2/events')).status);
      return statuses;
    };
    const first = await run(7);
    expect(new Set(first)).toEqual(new Set([200, 503]));
    expect(await run(7)).toEqual(first);
  });
});
