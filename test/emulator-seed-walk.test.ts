/**
 * The Paxos seed guide, step by step over HTTP, with a token carrying only the
 * guide's scopes: token, two persons, an institution with both as members,
 * sandbox-status approvals, an account with a profile, a 10,000 USD deposit,
 * an ETHUSD market buy, its status, and the balances it leaves. The README's
 * curl walk makes the same calls.
 */
import { expect, it } from 'vitest';
import { address, corporationBody, personBody } from './support/emulator-builders.js';
import { startTestEmulator } from './support/test-emulator.js';
import { runScopes } from '../src/paxos/types.js';

it('walks the seed guide from token to balances', async () => {
  const emulator = await startTestEmulator({ rateLimits: 'off' });
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
    const transfers = await call('GET', `/v2/transfer/transfers?profile_ids=${account.profile_id}`);
    expect(transfers.items.map((item: { id: string }) => item.id)).toEqual([deposit.activity_id]);

    const order = await call('POST', `/v2/profiles/${account.profile_id}/orders`, { ref_id: 'seed-order-eth', market: 'ETHUSD', side: 'BUY', type: 'MARKET', quote_amount: '1000' });
    const status = await call('GET', `/v2/profiles/${account.profile_id}/orders/${order.id}`);
    expect(status).toMatchObject({ status: 'FILLED', amount_filled: '0.55555555', volume_weighted_average_price: '1800' });

    const balances = await call('GET', `/v2/profiles/${account.profile_id}/balances?assets=USD,ETH`);
    expect(balances.items).toEqual([
      { asset: 'USD', available: '9000', trading: '0' },
      { asset: 'ETH', available: '0.55555555', trading: '0' },
    ]);
    const events = await call('GET', '/v2/events?type=identity.approved');
    expect(events.events.map((event: { object: { identity_id: string } }) => event.object.identity_id)).toEqual([alice.id, bob.id, institution.id]);
  } finally {
    await emulator.close();
  }
});
