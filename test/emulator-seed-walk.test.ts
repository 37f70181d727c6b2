/**
 * The Paxos seed guide, step by step over HTTP, with a token carrying only the
 * guide's scopes: token, two persons, an institution with both as members,
 * sandbox-status approvals, an account with a profile, a 10,000 USD deposit,
 * an ETHUSD market buy, its status, and the balances it leaves. The README's
 * curl walk makes the same calls.
 *
 * Against the emulator as strict as Paxos: the deposit is listed (and
 * credited) only some time after the call, with an activity id that is not
 * the transfer's; the order is created SUBMITTED and fills later, at a price
 * that moves. So the walk polls, as a Paxos client must.
 */
import { expect, it } from 'vitest';
import { address, corporationBody, personBody } from './support/emulator-builders.js';
import { startTestEmulator } from './support/test-emulator.js';
import { runScopes } from '../src/paxos/types.js';

/** Asks `read` every 25 ms until `done` holds of its answer; fails after `timeoutMs`. */
async function pollUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still not so after ${timeoutMs} ms; last answer ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

it('walks the seed guide from token to balances', async () => {
  // Shorter than the defaults (3 s listing, 500 ms fill), long enough that the first reads after each call see nothing yet.
  const emulator = await startTestEmulator({ rateLimits: 'off', transferListingDelayMs: 600, orderFillDelayMs: 300 });
  try {
    const token = await emulator.token(runScopes);
    const call = async (method: string, path: string, body?: unknown) => {
      const response = await emulator.request(method, path, body, { token });
      expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).toBe(200);
      return response.body;
    };

    const alice = await call('POST', '/v2/identity/identities', personBody({ ref_id: 'seed-person-alice' }));
    const bob = await call('POST', '/v2/identity/identities', personBody({ ref_id: 'seed-person-bob', person_details: { first_name: 'Bob', last_name: 'Jones' } }));
    expect([alice.summary_status, bob.summary_status]).toEqual(['PENDING', 'PENDING']);

    const institution = await call(
      'POST',
      '/v2/identity/identities',
      corporationBody(
        [
          { identity_id: alice.id, roles: ['BENEFICIAL_OWNER', 'MANAGEMENT_CONTROL_PERSON'] },
          { identity_id: bob.id, roles: ['AUTHORIZED_USER'] },
        ],
        { ref_id: 'seed-institution-acme', institution_details: { business_address: address } },
      ),
    );
    expect(institution.institution_members).toHaveLength(2);

    for (const person of [alice, bob]) {
      await call('PUT', `/v2/identity/identities/${person.id}/sandbox-status`, { id_verification_status: 'APPROVED', sanctions_verification_status: 'APPROVED' });
    }
    await call('PUT', `/v2/identity/identities/${institution.id}/sandbox-status`, { sanctions_verification_status: 'APPROVED' });
    expect((await call('GET', `/v2/identity/identities/${institution.id}`)).summary_status).toBe('APPROVED');

    const account = await call('POST', '/v2/identity/accounts', {
      account: { identity_id: institution.id, ref_id: 'seed-account-acme', type: 'BROKERAGE', description: 'Acme brokerage account' },
      create_profile: true,
    });
    expect(account.profile_id).toEqual(expect.any(String));

    const deposit = await call('POST', `/v2/sandbox/profiles/${account.profile_id}/deposit`, { asset: 'USD', amount: '10000' });
    expect(deposit.activity_id).toEqual(expect.any(String));
    const listTransfers = () => call('GET', `/v2/transfer/transfers?profile_ids=${account.profile_id}`);
    const readBalances = () => call('GET', `/v2/profiles/${account.profile_id}/balances?assets=USD,ETH`);
    // Not listed, not credited yet: absence from the listing proves nothing.
    expect((await listTransfers()).items).toEqual([]);
    const transfers = await pollUntil(listTransfers, (page) => page.items.length > 0, 'the deposit listed');
    expect(transfers.items).toHaveLength(1);
    expect(transfers.items[0]).toMatchObject({ type: 'WIRE_DEPOSIT', direction: 'CREDIT', status: 'COMPLETED', asset: 'USD', amount: '10000', profile_id: account.profile_id });
    // Nothing relates the activity to the transfer: a client must not match them by id.
    expect(transfers.items[0].id).not.toBe(deposit.activity_id);
    expect((await readBalances()).items).toEqual([
      { asset: 'USD', available: '10000', trading: '0' },
      { asset: 'ETH', available: '0', trading: '0' },
    ]);

    const order = await call('POST', `/v2/profiles/${account.profile_id}/orders`, { ref_id: 'seed-order-eth', market: 'ETHUSD', side: 'BUY', type: 'MARKET', quote_amount: '1000' });
    expect(order.status).toBe('SUBMITTED');
    const status = await pollUntil(() => call('GET', `/v2/profiles/${account.profile_id}/orders/${order.id}`), (read) => read.status !== 'SUBMITTED', 'the order filled');
    expect(status).toMatchObject({ status: 'FILLED', quote_amount: '1000' });
    // The price walks within 3% of the table's 1800; the order bought what 1000 USD buys at it, rounded down to 8 places.
    const price = Number(status.volume_weighted_average_price);
    const filled = Number(status.amount_filled);
    expect(price).toBeGreaterThanOrEqual(1800 * 0.97);
    expect(price).toBeLessThanOrEqual(1800 * 1.03);
    expect(filled).toBeCloseTo(Math.floor((1000 / price) * 1e8) / 1e8, 8);

    expect((await readBalances()).items).toEqual([
      { asset: 'USD', available: '9000', trading: '0' },
      { asset: 'ETH', available: status.amount_filled, trading: '0' },
    ]);
    const events = await call('GET', '/v2/events?type=identity.approved');
    expect(events.events.map((event: { object: { identity_id: string } }) => event.object.identity_id)).toEqual([alice.id, bob.id, institution.id]);
  } finally {
    await emulator.close();
  }
});
