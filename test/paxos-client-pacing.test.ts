import { afterEach, describe, expect, it } from 'vitest';
import type { RequestLogEntry } from '../src/paxos/request-log.js';
import { createClientHarness } from './support/paxos-client-harness.js';

const harness = createClientHarness();
afterEach(() => harness.closeAll());

describe('pacing against the Paxos limits', () => {
  // The one slow test, by design: 500 default-class reads at 50 per window take about ten windows.
  it('keeps a burst of 500 reads fired at once under the limits: every read answered, no 429', { timeout: 60_000 }, async () => {
    const emulator = await harness.startEmulator({ rateLimits: 'paxos', rateWindowMs: 1000, lockoutMs: 600_000 });
    // A 429 would pause the client for the whole lockout: stop at the first one and say so, rather than time out.
    let reportLimited: (entry: RequestLogEntry) => void = () => {};
    const firstLimited = new Promise<RequestLogEntry>((resolve) => (reportLimited = resolve));
    const client = harness.client(emulator, { onRequest: (entry) => entry.status === 429 && reportLimited(entry) });
    const burst = Promise.allSettled(Array.from({ length: 500 }, () => client.request<{ items: unknown[] }>({ method: 'GET', path: '/v2/profiles' })));
    const outcome = await Promise.race([burst, firstLimited.then((entry) => new Error(`rate limited after ${client.stats().calls} calls: ${JSON.stringify(entry)}`))]);
    if (outcome instanceof Error) throw outcome;
    expect(outcome.filter((result) => result.status === 'rejected').map((failure) => String((failure as PromiseRejectedResult).reason))).toEqual([]);
    expect(client.stats()).toMatchObject({ calls: 500, retries: 0, rateLimited: 0, tokenFetches: 1 });
    expect(client.stats().callsByClass.default).toBe(500);
  });
});
