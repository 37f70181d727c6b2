/**
 * Money over HTTP: sandbox deposits and transfers, orders against the fixed
 * price table (fills, resting holds, cancels, rejections, caps, who may
 * trade) and the public market data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveIdentity, createPerson, unique } from './support/emulator-builders.js';
import { startTestEmulator, type TestEmulator } from './support/test-emulator.js';

let emulator: TestEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator({ rateLimits: 'off' });
});
afterAll(async () => {
  await emulator.close();
});

/** A profile of an account of a person (approved unless told otherwise), funded with `usd` USD. */
async function fundedProfile(usd: string | undefined, approved = true): Promise<string> {
  const identityId = await createPerson(emulator);
  if (approved) await approveIdentity(emulator, identityId);
  const account = await emulator.request('POST', '/v2/identity/accounts', { account: { identity_id: identityId }, create_profile: true });
  const profileId = account.body.profile_id as string;
  if (usd) await deposit(profileId, { asset: 'USD', amount: usd });
  return profileId;
}

const deposit = (profileId: string, body: Record<string, unknown>) => emulator.request('POST', `/v2/sandbox/profiles/${profileId}/deposit`, body);
const order = (profileId: string, body: Record<string, unknown>) => emulator.request('POST', `/v2/profiles/${profileId}/orders`, body);
const balance = async (profileId: string, asset: string) => (await emulator.request('GET', `/v2/profiles/${profileId}/balances/${asset}`)).body;

describe('sandbox deposits and transfers', () => {
  it('credits the balance and records a COMPLETED deposit transfer', async () => {
    const profileId = await fundedProfile(undefined);
    const response = await deposit(profileId, { asset: 'USD', amount: '10000' });
    expect(response.status).toBe(200);
    const transfer = await emulator.request('GET', `/v2/transfer/transfers/${response.body.activity_id}`);
    expect(transfer.body).toMatchObject({ profile_id: profileId, asset: 'USD', amount: '10000', direction: 'CREDIT', type: 'WIRE_DEPOSIT', status: 'COMPLETED' });
    expect(await balance(profileId, 'USD')).toEqual({ asset: 'USD', available: '10000', trading: '0' });
  });

  it('adds exactly, and each call is another deposit (no idempotency key)', async () => {
    const profileId = await fundedProfile(undefined);
    await deposit(profileId, { asset: 'USD', amount: '0.1' });
    await deposit(profileId, { asset: 'USD', amount: '0.2' });
    expect((await balance(profileId, 'USD')).available).toBe('0.3');
    const transfers = await emulator.request('GET', `/v2/transfer/transfers?profile_ids=${profileId}`);
    expect(transfers.body.items.map((item: { amount: string }) => item.amount)).toEqual(['0.2', '0.1']);
  });

  it('needs crypto_network for crypto and refuses it for fiat', async () => {
    const profileId = await fundedProfile(undefined);
    expect((await deposit(profileId, { asset: 'BTC', amount: '1' })).body.meta.field).toBe('crypto_network');
    expect((await deposit(profileId, { asset: 'USD', amount: '1', crypto_network: 'ETHEREUM' })).status).toBe(400);
    const crypto = await deposit(profileId, { asset: 'BTC', amount: '1.5', crypto_network: 'BITCOIN' });
    expect((await emulator.request('GET', `/v2/transfer/transfers/${crypto.body.activity_id}`)).body).toMatchObject({ type: 'CRYPTO_DEPOSIT', crypto_network: 'BITCOIN' });
    expect((await deposit(profileId, { asset: 'USD', amount: '0' })).status).toBe(400);
    expect((await deposit(profileId, { asset: 'DOGE', amount: '1', crypto_network: 'BITCOIN' })).body.meta.field).toBe('asset');
    expect((await deposit('no-such-profile', { asset: 'USD', amount: '1' })).status).toBe(404);
  });

  it('filters transfers by type and status and pages with a cursor', async () => {
    const profileId = await fundedProfile(undefined);
    await deposit(profileId, { asset: 'USD', amount: '1' });
    await deposit(profileId, { asset: 'ETH', amount: '2', crypto_network: 'ETHEREUM' });
    await deposit(profileId, { asset: 'USD', amount: '3' });
    const wires = await emulator.request('GET', `/v2/transfer/transfers?profile_ids=${profileId}&type=WIRE_DEPOSIT&statuses=COMPLETED`);
    expect(wires.body.items.map((item: { amount: string }) => item.amount)).toEqual(['3', '1']);
    const first = await emulator.request('GET', `/v2/transfer/transfers?profile_ids=${profileId}&limit=2&order=ASC`);
    expect(first.body.items.map((item: { amount: string }) => item.amount)).toEqual(['1', '2']);
    const rest = await emulator.request('GET', `/v2/transfer/transfers?profile_ids=${profileId}&limit=2&page_cursor=${first.body.next_page_cursor}`);
    expect(rest.body.items.map((item: { amount: string }) => item.amount)).toEqual(['3']);
    expect((await emulator.request('GET', '/v2/transfer/transfers?type=NOPE')).status).toBe(400);
  });
});

describe('orders', () => {
  it('fills a MARKET BUY at once at the table price and moves both balances', async () => {
    const profileId = await fundedProfile('10000');
    const response = await order(profileId, { market: 'ETHUSD', side: 'BUY', type: 'MARKET', quote_amount: '1000' });
    expect(response.body).toMatchObject({ status: 'FILLED', amount_filled: '0.55555555', volume_weighted_average_price: '1800', quote_amount: '1000' });
    expect((await balance(profileId, 'USD')).available).toBe('9000');
    expect((await balance(profileId, 'ETH')).available).toBe('0.55555555');
    const sell = await order(profileId, { market: 'ETHUSD', side: 'SELL', type: 'MARKET', base_amount: '0.5' });
    expect(sell.body).toMatchObject({ status: 'FILLED', amount_filled: '0.5' });
    expect((await balance(profileId, 'USD')).available).toBe('9900');
    expect((await balance(profileId, 'ETH')).available).toBe('0.05555555');
  });

  it('fills a crossing LIMIT at the table price', async () => {
    const profileId = await fundedProfile('2000');
    const response = await order(profileId, { market: 'ETHUSD', side: 'BUY', type: 'LIMIT', price: '1814.8', base_amount: '1' });
    expect(response.body).toMatchObject({ status: 'FILLED', amount_filled: '1', volume_weighted_average_price: '1800', price: '1814.8', time_in_force: 'GTC' });
    expect((await balance(profileId, 'USD')).available).toBe('200');
  });

  it('rests a LIMIT that does not cross, holding its funds until cancelled', async () => {
    const profileId = await fundedProfile('2000');
    const response = await order(profileId, { market: 'ETHUSD', side: 'BUY', type: 'LIMIT', price: '1500', base_amount: '1' });
    expect(response.body).toMatchObject({ status: 'OPEN', amount_filled: '0' });
    expect(await balance(profileId, 'USD')).toEqual({ asset: 'USD', available: '500', trading: '1500' });
    const cancel = await emulator.request('DELETE', `/v2/profiles/${profileId}/orders/${response.body.id}`);
    expect(cancel.status).toBe(200);
    expect((await emulator.request('GET', `/v2/profiles/${profileId}/orders/${response.body.id}`)).body.status).toBe('CANCELLED');
    expect(await balance(profileId, 'USD')).toEqual({ asset: 'USD', available: '2000', trading: '0' });
    const again = await emulator.request('DELETE', `/v2/profiles/${profileId}/orders/${response.body.id}`);
    expect(again.status).toBe(403);
    expect(again.body.detail).toBe('order is not in cancellable state');
  });

  it('rejects a limit taker more than 15% from the price, moving nothing', async () => {
    const profileId = await fundedProfile('5000');
    const response = await order(profileId, { market: 'ETHUSD', side: 'BUY', type: 'LIMIT', price: '2071', base_amount: '1' });
    expect(response.body).toMatchObject({ status: 'REJECTED', amount_filled: '0' });
    expect((await balance(profileId, 'USD')).available).toBe('5000');
    const within = await order(profileId, { market: 'ETHUSD', side: 'BUY', type: 'LIMIT', price: '2070', base_amount: '1' });
    expect(within.body.status).toBe('FILLED');
  });

  it('answers 403 Insufficient Funds with profile, asset, available and needed', async () => {
    const profileId = await fundedProfile('50');
    const response = await order(profileId, { market: 'BTCUSD', side: 'BUY', type: 'MARKET', quote_amount: '100' });
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ title: 'Insufficient Funds', meta: { profile_id: profileId, asset: 'USD', available: '50', needed: '100' } });
    const sell = await order(profileId, { market: 'BTCUSD', side: 'SELL', type: 'MARKET', base_amount: '1' });
    expect(sell.body.meta).toMatchObject({ asset: 'BTC', available: '0', needed: '1' });
  });

  it('lets only APPROVED identities buy', async () => {
    const profileId = await fundedProfile('1000', false);
    const response = await order(profileId, { market: 'ETHUSD', side: 'BUY', type: 'MARKET', quote_amount: '100' });
    expect(response.status).toBe(403);
    expect(response.body.detail).toContain('summary_status is PENDING; only APPROVED identities can buy');
  });

  it('caps notional value: 500,000 for market orders, 1,500,000 for BTC/ETH limits, 1,000,000 for other limits', async () => {
    const profileId = await fundedProfile('10');
    const market = await order(profileId, { market: 'ETHUSD', side: 'BUY', type: 'MARKET', quote_amount: '500000.01' });
    expect(market.status).toBe(403);
    expect(market.body).toMatchObject({ title: 'Notional Value Too Large', meta: { market: 'ETHUSD', order_type: 'MARKET', order_notional_value: '500000.01', max_notional_value: '500000' } });
    const btc = await order(profileId, { market: 'BTCUSD', side: 'BUY', type: 'LIMIT', price: '60000', base_amount: '25.01' });
    expect(btc.body.meta).toMatchObject({ max_notional_value: '1500000', order_notional_value: '1500600' });
    const ltc = await order(profileId, { market: 'LTCUSD', side: 'BUY', type: 'LIMIT', price: '80', base_amount: '12501' });
    expect(ltc.body.meta).toMatchObject({ max_notional_value: '1000000' });
    const underCap = await order(profileId, { market: 'LTCUSD', side: 'BUY', type: 'LIMIT', price: '80', base_amount: '12500' });
    expect(underCap.body.title).toBe('Insufficient Funds');
  });

  it('names the amount a type and side needs or refuses', async () => {
    const profileId = await fundedProfile('10');
    const withBase = await order(profileId, { market: 'ETHUSD', side: 'BUY', type: 'MARKET', base_amount: '1' });
    expect(withBase.body.meta.violations.map((violation: { field: string }) => violation.field)).toEqual(['quote_amount', 'base_amount']);
    const noPrice = await order(profileId, { market: 'ETHUSD', side: 'BUY', type: 'LIMIT', base_amount: '1' });
    expect(noPrice.body.meta.field).toBe('price');
    const negative = await order(profileId, { market: 'ETHUSD', side: 'SELL', type: 'MARKET', base_amount: '0' });
    expect(negative.body.detail).toBe("base_amount: invalid amount '0': must be positive decimal");
  });

  it('refuses a used ref_id with 409 naming the existing order', async () => {
    const profileId = await fundedProfile('1000');
    const refId = `order-${unique()}`;
    const first = await order(profileId, { market: 'ETHUSD', side: 'BUY', type: 'MARKET', quote_amount: '100', ref_id: refId });
    const again = await order(profileId, { market: 'ETHUSD', side: 'BUY', type: 'MARKET', quote_amount: '100', ref_id: refId });
    expect(again.status).toBe(409);
    expect(again.body.meta.existing).toMatchObject({ id: first.body.id, ref_id: refId, status: 'FILLED' });
    expect((await balance(profileId, 'USD')).available).toBe('900');
  });

  it('lists a profile’s orders by status, ref_ids and market, and all orders by profile_id', async () => {
    const profileId = await fundedProfile('10000');
    const refId = `listed-${unique()}`;
    const filled = await order(profileId, { market: 'ETHUSD', side: 'BUY', type: 'MARKET', quote_amount: '100', ref_id: refId });
    const open = await order(profileId, { market: 'BTCUSD', side: 'BUY', type: 'LIMIT', price: '50000', base_amount: '0.1' });
    const listed = (query: string) => emulator.request('GET', `/v2/profiles/${profileId}/orders${query}`).then((response) => response.body.items.map((item: { id: string }) => item.id));
    expect(await listed('')).toEqual([open.body.id, filled.body.id]);
    expect(await listed('?status=OPEN')).toEqual([open.body.id]);
    expect(await listed(`?ref_ids=${refId}`)).toEqual([filled.body.id]);
    expect(await listed('?market=ETHUSD')).toEqual([filled.body.id]);
    const all = await emulator.request('GET', `/v2/orders?profile_id=${profileId}&limit=1`);
    expect(all.body.items.map((item: { id: string }) => item.id)).toEqual([open.body.id]);
    const next = await emulator.request('GET', `/v2/orders?profile_id=${profileId}&limit=1&page_cursor=${all.body.next_page_cursor}`);
    expect(next.body.items.map((item: { id: string }) => item.id)).toEqual([filled.body.id]);
    expect((await emulator.request('GET', `/v2/profiles/${profileId}/orders/no-such-order`)).status).toBe(404);
  });

  it('attributes orders on the DEFAULT profile to identity_id, which must be APPROVED to buy', async () => {
    const defaultId = (await emulator.request('GET', '/v2/profiles?nickname=default')).body.items.find((profile: { type: string }) => profile.type === 'DEFAULT').id;
    await deposit(defaultId, { asset: 'USD', amount: '1000' });
    const pending = await createPerson(emulator);
    expect((await order(defaultId, { market: 'ETHUSD', side: 'BUY', type: 'MARKET', quote_amount: '90', identity_id: pending })).status).toBe(403);
    await approveIdentity(emulator, pending);
    const response = await order(defaultId, { market: 'ETHUSD', side: 'BUY', type: 'MARKET', quote_amount: '90', identity_id: pending });
    expect(response.body).toMatchObject({ status: 'FILLED', identity_id: pending, amount_filled: '0.05' });
  });
});

describe('market data', () => {
  it('lists markets and serves a deterministic ticker without a token', async () => {
    const markets = await emulator.request('GET', '/v2/markets', undefined, { token: null });
    expect(markets.body.markets).toContainEqual({ market: 'BTCUSD', base_asset: 'BTC', quote_asset: 'USD', tick_rate: '0.25' });
    const ticker = await emulator.request('GET', '/v2/markets/ETHUSD/ticker', undefined, { token: null });
    expect(ticker.status).toBe(200);
    expect(ticker.body).toMatchObject({ market: 'ETHUSD', best_bid: { price: '1800' }, best_ask: { price: '1800' }, today: { open: '1800' } });
    expect((await emulator.request('GET', '/v2/markets/DOGEUSD/ticker', undefined, { token: null })).status).toBe(404);
  });
});
