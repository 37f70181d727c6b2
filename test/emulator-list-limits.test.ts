/**
 * The list limits a client pages by (docs/paxos-fidelity.md): every list takes
 * at most 1000 a page, the events feed at most 100 (our guess: undocumented);
 * a larger `limit` is refused rather than quietly cut, so a client that asked
 * for more than Paxos gives finds out here, not in the sandbox.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from './support/test-emulator.js';

describe('list limits', () => {
  let emulator: TestEmulator;
  beforeEach(async () => {
    emulator = await startTestEmulator({ rateLimits: 'off' });
  });
  afterEach(async () => {
    await emulator.close();
  });

  it.each(['/v2/profiles', '/v2/identity/identities', '/v2/identity/accounts', '/v2/transfer/transfers', '/v2/orders'])('%s takes limit 1000 and refuses 1001', async (path) => {
    expect((await emulator.request('GET', `${path}?limit=1000`)).status).toBe(200);
    const refused = await emulator.request('GET', `${path}?limit=1001`);
    expect(refused.status).toBe(400);
    expect(refused.body.detail).toContain('limit');
  });

  it('takes at most 100 events a page', async () => {
    expect((await emulator.request('GET', '/v2/events?limit=100')).status).toBe(200);
    expect((await emulator.request('GET', '/v2/events?limit=101')).status).toBe(400);
  });
});
