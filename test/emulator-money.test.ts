/**
 * Money over HTTP, as strict as Paxos by default: sandbox deposits listed and
 * credited only after a delay, under an activity id of their own; orders
 * created SUBMITTED and worked afterwards at prices that move; who may be
 * funded and trade. The clock is the test's, so every delay and every price
 * is exact. Each leniency flag is shown bringing the kinder behaviour back.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { divide, formatDecimal, multiply, parseDecimal, roundTo, subtract } from '../src/emulator/domain/decimal.js';
import type { EmulatorOptions } from '../src/emulator/emulator-options.js';
import { approveIdentity, createPerson, unique } from './support/emulator-builders.js';
import { startTestEmulator, type TestEmulator } from './support/test-emulator.js';

const listingDelayMs = 3000;
const fillDelayMs = 500;

/** An emulator on a clock only the test moves; tickers run before every request, so a request after `advance` sees what time did. */
async function startClocked(options: EmulatorOptions = {}) {
  let clock = Date.parse('2024-05-01T12:00:00.000Z');
  // Tokens outlive the days the tests move the clock by.
  const emulator = await startTestEmulator({ rateLimits: 'off', now: () => new Date(clock), tokenTtlSeconds: 30 * 86_400, transferListingDelayMs: 3000, orderFillDelayMs: 500, ...options });
  const helpers = moneyHelpers(emulator);
  return {
    emulator,
    ...helpers,
    advance(ms: number) {
      clock += ms;
    },
  };
}

function moneyHelpers(emulator: TestEmulator) {
  const deposit = (profileId: string, body: Record<string, unknown>) => emulator.request('POST', `/v2/sandbox/profiles/${profileId}/deposit`, body);
  return {
    deposit,
    order: (profileId: string, body: Record<string, unknown>) => emulator.request('POST', `/v2/profiles/${profileId}/orders`, body),
    getOrder: async (profileId: string, id: string) => (await emulator.request('GET', `/v2/profiles/${profileId}/orders/${id}`)).body,
    balance: async (profileId: string, asset: string) => (await emulator.request('GET', `/v2/profiles/${profileId}/balances/${asset}`)).body,
    transfers: async (query: string) => (await emulator.request('GET', `/v2/transfer/transfers?${query}`)).body.items as Array<Record<string, string>>,
    /** The price orders fill at now: the ticker's (no spread, bid = ask). */
    price: async (market: string) => (await emulator.request('GET', `/v2/markets/${market}/ticker`, undefined, { token: null })).body.best_ask.price as string,
    /** A profile of an account of a person (APPROVED unless told otherwise). */
    async accountProfile(approved = true): Promise<string> {
      const identityId = await createPerson(emulator);
      if (approved) await approveIdentity(emulator, identityId);
      const account = await emulator.request('POST', '/v2/identity/accounts', { account: { identity_id: identityId }, create_profile: true });
      return account.body.profile_id as string;
    },
  };
}

const decimal = (text: string) => parseDecimal(text);
const show = formatDecimal;

let world: Awaited<ReturnType<typeof startClocked>>;
beforeAll(async () => {
  world = await startClocked();
});
afterAll(async () => {
  await world.emulator.close();
});

/** An APPROVED person's account profile holding `usd` USD (deposited, listed and credited). */
async function fundedProfile(usd: string): Promise<string> {
  const profileId = await world.accountProfile();
  await world.deposit(profileId, { asset: 'USD', amount: usd });
  world.advance(listingDelayMs);
  return profileId;
}

describe('sandbox deposits and transfers', () => {
  it('answers an activity_id that is not a transfer id; lists and credits the deposit only after the listing delay', async () => {
    const profileId = await world.accountProfile();
    const response = await world.deposit(profileId, { asset: 'USD', amount: '10000' });
    expect(response.status).toBe(200);
    const activityId = response.body.activity_id as string;
    expect(await world.transfers(`profile_ids=${profileId}`)).toEqual([]);
    expect(await world.balance(profileId, 'USD')).toEqual({ asset: 'USD', available: '0', trading: '0' });
    world.advance(listingDelayMs - 1);
    expect(await world.transfers(`profile_ids=${profileId}`)).toEqual([]);
    world.advance(1);
    const [listed, ...more] = await world.transfers(`profile_ids=${profileId}`);
    expect(more).toEqual([]);
    expect(listed).toMatchObject({ profile_id: profileId, asset: 'USD', amount: '10000', direction: 'CREDIT', type: 'WIRE_DEPOSIT', status: 'COMPLETED' });
    expect(listed?.id).not.toBe(activityId);
    expect(Object.values(listed ?? {})).not.toContain(activityId);
    expect((await world.emulator.request('GET', `/v2/transfer/transfers/${activityId}`)).status).toBe(404);
    expect((await world.emulator.request('GET', `/v2/transfer/transfers/${listed?.id}`)).body).toEqual(listed);
    expect(await world.balance(profileId, 'USD')).toEqual({ asset: 'USD', available: '10000', trading: '0' });
  });

  it('adds exactly, and each call is another deposit (no idempotency key)', async () => {
    const profileId = await world.accountProfile();
    await world.deposit(profileId, { asset: 'USD', amount: '0.1' });
    await world.deposit(profileId, { asset: 'USD', amount: '0.2' });
    world.advance(listingDelayMs);
    expect((await world.balance(profileId, 'USD')).available).toBe('0.3');
    expect((await world.transfers(`profile_ids=${profileId}`)).map((item) => item.amount)).toEqual(['0.2', '0.1']);
  });

  it('needs crypto_network for crypto and refuses it for fiat', async () => {
    const profileId = await world.accountProfile();
    expect((await world.deposit(profileId, { asset: 'BTC', amount: '1' })).body.meta.field).toBe('crypto_network');
    expect((await world.deposit(profileId, { asset: 'USD', amount: '1', crypto_network: 'ETHEREUM' })).status).toBe(400);
    expect((await world.deposit(profileId, { asset: 'BTC', amount: '1.5', crypto_network: 'BITCOIN' })).status).toBe(200);
    world.advance(listingDelayMs);
    expect(await world.transfers(`profile_ids=${profileId}`)).toEqual([expect.objectContaining({ type: 'CRYPTO_DEPOSIT', crypto_network: 'BITCOIN', amount: '1.5' })]);
    expect((await world.deposit(profileId, { asset: 'USD', amount: '0' })).status).toBe(400);
    expect((await world.deposit(profileId, { asset: 'DOGE', amount: '1', crypto_network: 'BITCOIN' })).body.meta.field).toBe('asset');
    expect((await world.deposit('no-such-profile', { asset: 'USD', amount: '1' })).status).toBe(404);
  });

  it('filters transfers by type and status and pages with a cursor', async () => {
    const profileId = await world.accountProfile();
    await world.deposit(profileId, { asset: 'USD', amount: '1' });
    await world.deposit(profileId, { asset: 'ETH', amount: '2', crypto_network: 'ETHEREUM' });
    await world.deposit(profileId, { asset: 'USD', amount: '3' });
    world.advance(listingDelayMs);
    expect((await world.transfers(`profile_ids=${profileId}&type=WIRE_DEPOSIT&statuses=COMPLETED`)).map((item) => item.amount)).toEqual(['3', '1']);
    const first = await world.emulator.request('GET', `/v2/transfer/transfers?profile_ids=${profileId}&limit=2&order=ASC`);
    expect(first.body.items.map((item: { amount: string }) => item.amount)).toEqual(['1', '2']);
    expect((await world.transfers(`profile_ids=${profileId}&limit=2&page_cursor=${first.body.next_page_cursor}`)).map((item) => item.amount)).toEqual(['3']);
    expect((await world.emulator.request('GET', '/v2/transfer/transfers?type=NOPE')).status).toBe(400);
  });

  it('refuses deposits to the profile of an identity that is not APPROVED; standalone profiles take them', async () => {
    const identityId = await createPerson(world.emulator);
    const account = await world.emulator.request('POST', '/v2/identity/accounts', { account: { identity_id: identityId }, create_profile: true });
    const refused = await world.deposit(account.body.profile_id, { asset: 'USD', amount: '100' });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ meta: { identity_id: identityId, summary_status: 'PENDING' } });
    expect(refused.body.detail).toContain('cannot hold assets');
    await approveIdentity(world.emulator, identityId);
    expect((await world.deposit(account.body.profile_id, { asset: 'USD', amount: '100' })).status).toBe(200);
    const book = await world.emulator.request('POST', '/v2/profiles', { nickname: `book-${unique()}` });
    expect((await world.deposit(book.body.id, { asset: 'USD', amount: '100' })).status).toBe(200);
    world.advance(listingDelayMs);
    expect((await world.balance(account.body.profile_id, 'USD')).available).toBe('100');
    expect((await world.balance(book.body.id, 'USD')).available).toBe('100');
  });

  it('keeps a profile with a deposit on its way from being deactivated', async () => {
    const book = await world.emulator.request('POST', '/v2/profiles', { nickname: `pending-${unique()}` });
    await world.deposit(book.body.id, { asset: 'USD', amount: '1' });
    expect((await world.emulator.request('PUT', `/v2/profiles/${book.body.id}/deactivate`)).status).toBe(400);
  });
});

describe('orders', () => {
  it('answers a MARKET BUY SUBMITTED holding its quote, then fills it after the delay at the price of that moment', async () => {
    const profileId = await fundedProfile('10000');
    const response = await world.order(profileId, { market: 'ETHUSD', side: 'BUY', type: 'MARKET', quote_amount: '1000' });
    expect(response.body).toMatchObject({ status: 'SUBMITTED', amount_filled: '0', quote_amount: '1000' });
    expect(await world.balance(profileId, 'USD')).toEqual({ asset: 'USD', available: '9000', trading: '1000' });
    world.advance(fillDelayMs - 1);
    expect((await world.getOrder(profileId, response.body.id)).status).toBe('SUBMITTED');
    world.advance(1);
    const price = await world.price('ETHUSD');
    const bought = show(roundTo(divide(decimal('1000'), decimal(price)), 8, 'down'));
    expect(await world.getOrder(profileId, response.body.id)).toMatchObject({ status: 'FILLED', amount_filled: bought, volume_weighted_average_price: price });
    expect(await world.balance(profileId, 'USD')).toEqual({ asset: 'USD', available: '9000', trading: '0' });
    expect((await world.balance(profileId, 'ETH')).available).toBe(bought);

    const sell = await world.order(profileId, { market: 'ETHUSD', side: 'SELL', type: 'MARKET', base_amount: '0.5' });
    expect(sell.body.status).toBe('SUBMITTED');
    world.advance(fillDelayMs);
    const sellPrice = await world.price('ETHUSD');
    expect(await world.getOrder(profileId, sell.body.id)).toMatchObject({ status: 'FILLED', amount_filled: '0.5', volume_weighted_average_price: sellPrice });
    expect((await world.balance(profileId, 'USD')).available).toBe(show(decimal('9000') + roundTo(multiply(decimal('0.5'), decimal(sellPrice)), 2, 'down')));
    expect((await world.balance(profileId, 'ETH')).available).toBe(show(subtract(decimal(bought), decimal('0.5'))));
  });

  it('moves the price between orders, so the same order a minute apart fills at another price', async () => {
    const before = await world.price('BTCUSD');
    world.advance(60_000);
    expect(await world.price('BTCUSD')).not.toBe(before);
  });

  it('fills a crossing LIMIT as a taker at the market price, holding the limit value meanwhile', async () => {
    const profileId = await fundedProfile('2000');
    const limit = show(roundTo(multiply(decimal(await world.price('ETHUSD')), decimal('1.01')), 2, 'down'));
    const response = await world.order(profileId, { market: 'ETHUSD', side: 'BUY', type: 'LIMIT', price: limit, base_amount: '1' });
    expect(response.body).toMatchObject({ status: 'SUBMITTED', price: limit, time_in_force: 'GTC' });
    expect((await world.balance(profileId, 'USD')).trading).toBe(limit);
    world.advance(fillDelayMs);
    const price = await world.price('ETHUSD');
    expect(await world.getOrder(profileId, response.body.id)).toMatchObject({ status: 'FILLED', amount_filled: '1', volume_weighted_average_price: price });
    expect(await world.balance(profileId, 'USD')).toEqual({ asset: 'USD', available: show(subtract(decimal('2000'), decimal(price))), trading: '0' });
  });

  it('rests a LIMIT that does not cross OPEN, holding its funds until cancelled', async () => {
    const profileId = await fundedProfile('2000');
    const response = await world.order(profileId, { market: 'ETHUSD', side: 'BUY', type: 'LIMIT', price: '1500', base_amount: '1' });
    world.advance(fillDelayMs);
    expect(await world.getOrder(profileId, response.body.id)).toMatchObject({ status: 'OPEN', amount_filled: '0' });
    expect(await world.balance(profileId, 'USD')).toEqual({ asset: 'USD', available: '500', trading: '1500' });
    expect((await world.emulator.request('DELETE', `/v2/profiles/${profileId}/orders/${response.body.id}`)).status).toBe(200);
    expect((await world.getOrder(profileId, response.body.id)).status).toBe('CANCELLED');
    expect(await world.balance(profileId, 'USD')).toEqual({ asset: 'USD', available: '2000', trading: '0' });
    const again = await world.emulator.request('DELETE', `/v2/profiles/${profileId}/orders/${response.body.id}`);
    expect(again.status).toBe(403);
    expect(again.body.detail).toBe('order is not in cancellable state');
  });

  it('fills a resting LIMIT at its own price on the first tick the walked price reaches it', async () => {
    const profileId = await fundedProfile('2000');
    const limit = show(roundTo(multiply(decimal(await world.price('ETHUSD')), decimal('0.998')), 2, 'down'));
    const response = await world.order(profileId, { market: 'ETHUSD', side: 'BUY', type: 'LIMIT', price: limit, base_amount: '1' });
    let status = 'SUBMITTED';
    for (let step = 0; step < 720 && status !== 'FILLED'; step += 1) {
      world.advance(10_000);
      const price = await world.price('ETHUSD');
      status = (await world.getOrder(profileId, response.body.id)).status;
      expect(status).toBe(decimal(price) <= decimal(limit) ? 'FILLED' : 'OPEN');
    }
    expect(await world.getOrder(profileId, response.body.id)).toMatchObject({ status: 'FILLED', amount_filled: '1', volume_weighted_average_price: limit });
    expect(await world.balance(profileId, 'USD')).toEqual({ asset: 'USD', available: show(subtract(decimal('2000'), decimal(limit))), trading: '0' });
  });

  it('rejects a limit taker more than 15% from the moving price when the book takes it, releasing its funds', async () => {
    const profileId = await fundedProfile('5000');
    const price = decimal(await world.price('ETHUSD'));
    const far = await world.order(profileId, { market: 'ETHUSD', side: 'BUY', type: 'LIMIT', price: show(roundTo(multiply(price, decimal('1.16')), 2, 'down')), base_amount: '1' });
    expect(far.body.status).toBe('SUBMITTED');
    world.advance(fillDelayMs);
    expect(await world.getOrder(profileId, far.body.id)).toMatchObject({ status: 'REJECTED', amount_filled: '0' });
    expect(await world.balance(profileId, 'USD')).toEqual({ asset: 'USD', available: '5000', trading: '0' });
    const within = await world.order(profileId, { market: 'ETHUSD', side: 'BUY', type: 'LIMIT', price: show(roundTo(multiply(price, decimal('1.14')), 2, 'down')), base_amount: '1' });
    world.advance(fillDelayMs);
    expect((await world.getOrder(profileId, within.body.id)).status).toBe('FILLED');
  });

  it('answers 403 Insufficient Funds at create, with profile, asset, available and needed', async () => {
    const profileId = await fundedProfile('50');
    const response = await world.order(profileId, { market: 'BTCUSD', side: 'BUY', type: 'MARKET', quote_amount: '100' });
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ title: 'Insufficient Funds', meta: { profile_id: profileId, asset: 'USD', available: '50', needed: '100' } });
    const sell = await world.order(profileId, { market: 'BTCUSD', side: 'SELL', type: 'MARKET', base_amount: '1' });
    expect(sell.body.meta).toMatchObject({ asset: 'BTC', available: '0', needed: '1' });
    const first = await world.order(profileId, { market: 'BTCUSD', side: 'BUY', type: 'MARKET', quote_amount: '30' });
    expect(first.body.status).toBe('SUBMITTED');
    // The first order's hold is spoken for, though it has not filled yet.
    expect((await world.order(profileId, { market: 'BTCUSD', side: 'BUY', type: 'MARKET', quote_amount: '30' })).body.meta).toMatchObject({ available: '20', needed: '30' });
  });

  it('lets only APPROVED identities buy', async () => {
    const profileId = await world.accountProfile(false);
    const response = await world.order(profileId, { market: 'ETHUSD', side: 'BUY', type: 'MARKET', quote_amount: '100' });
    expect(response.status).toBe(403);
    expect(response.body.detail).toContain('summary_status is PENDING; only APPROVED identities can buy');
  });

  it('caps notional value: 500,000 for market orders, 1,500,000 for BTC/ETH limits, 1,000,000 for other limits', async () => {
    const profileId = await fundedProfile('10');
    const market = await world.order(profileId, { market: 'ETHUSD', side: 'BUY', type: 'MARKET', quote_amount: '500000.01' });
    expect(market.status).toBe(403);
    expect(market.body).toMatchObject({ title: 'Notional Value Too Large', meta: { market: 'ETHUSD', order_type: 'MARKET', order_notional_value: '500000.01', max_notional_value: '500000' } });
    const btc = await world.order(profileId, { market: 'BTCUSD', side: 'BUY', type: 'LIMIT', price: '60000', base_amount: '25.01' });
    expect(btc.body.meta).toMatchObject({ max_notional_value: '1500000', order_notional_value: '1500600' });
    const ltc = await world.order(profileId, { market: 'LTCUSD', side: 'BUY', type: 'LIMIT', price: '80', base_amount: '12501' });
    expect(ltc.body.meta).toMatchObject({ max_notional_value: '1000000' });
    const underCap = await world.order(profileId, { market: 'LTCUSD', side: 'BUY', type: 'LIMIT', price: '80', base_amount: '12500' });
    expect(underCap.body.title).toBe('Insufficient Funds');
  });

  it('names the amount a type and side needs or refuses', async () => {
    const profileId = await fundedProfile('10');
    const withBase = await world.order(profileId, { market: 'ETHUSD', side: 'BUY', type: 'MARKET', base_amount: '1' });
    expect(withBase.body.meta.violations.map((violation: { field: string }) => violation.field)).toEqual(['quote_amount', 'base_amount']);
    const noPrice = await world.order(profileId, { market: 'ETHUSD', side: 'BUY', type: 'LIMIT', base_amount: '1' });
    expect(noPrice.body.meta.field).toBe('price');
    const negative = await world.order(profileId, { market: 'ETHUSD', side: 'SELL', type: 'MARKET', base_amount: '0' });
    expect(negative.body.detail).toBe("base_amount: invalid amount '0': must be positive decimal");
  });

  it('refuses a used ref_id with 409 while its order is open and for 24 h after it closed, then takes it again', async () => {
    const profileId = await fundedProfile('1000');
    const refId = `order-${unique()}`;
    const body = { market: 'ETHUSD', side: 'BUY', type: 'MARKET', quote_amount: '100', ref_id: refId };
    const first = await world.order(profileId, body);
    const whileSubmitted = await world.order(profileId, body);
    expect(whileSubmitted.status).toBe(409);
    expect(whileSubmitted.body.meta.existing).toMatchObject({ id: first.body.id, ref_id: refId, status: 'SUBMITTED' });
    world.advance(fillDelayMs);
    expect((await world.order(profileId, body)).body.meta.existing).toMatchObject({ id: first.body.id, status: 'FILLED' });
    world.advance(24 * 3_600_000);
    expect((await world.order(profileId, body)).status).toBe(409);
    world.advance(1);
    const reused = await world.order(profileId, body);
    expect(reused.body).toMatchObject({ status: 'SUBMITTED', ref_id: refId });
    expect(reused.body.id).not.toBe(first.body.id);
    expect((await world.balance(profileId, 'USD')).available).toBe('800');

    const resting = { market: 'ETHUSD', side: 'BUY', type: 'LIMIT', price: '1500', base_amount: '0.1', ref_id: `resting-${unique()}` };
    const open = await world.order(profileId, resting);
    world.advance(25 * 3_600_000);
    expect((await world.order(profileId, resting)).body.meta.existing).toMatchObject({ id: open.body.id, status: 'OPEN' });
  });

  it('lists a profile’s orders by status, ref_ids and market, and all orders by profile_id', async () => {
    const profileId = await fundedProfile('10000');
    const refId = `listed-${unique()}`;
    const filled = await world.order(profileId, { market: 'ETHUSD', side: 'BUY', type: 'MARKET', quote_amount: '100', ref_id: refId });
    const open = await world.order(profileId, { market: 'BTCUSD', side: 'BUY', type: 'LIMIT', price: '50000', base_amount: '0.1' });
    world.advance(fillDelayMs);
    const listed = (query: string) => world.emulator.request('GET', `/v2/profiles/${profileId}/orders${query}`).then((response) => response.body.items.map((item: { id: string }) => item.id));
    expect(await listed('')).toEqual([open.body.id, filled.body.id]);
    expect(await listed('?status=OPEN')).toEqual([open.body.id]);
    expect(await listed('?status=FILLED')).toEqual([filled.body.id]);
    expect(await listed(`?ref_ids=${refId}`)).toEqual([filled.body.id]);
    expect(await listed('?market=ETHUSD')).toEqual([filled.body.id]);
    const all = await world.emulator.request('GET', `/v2/orders?profile_id=${profileId}&limit=1`);
    expect(all.body.items.map((item: { id: string }) => item.id)).toEqual([open.body.id]);
    const next = await world.emulator.request('GET', `/v2/orders?profile_id=${profileId}&limit=1&page_cursor=${all.body.next_page_cursor}`);
    expect(next.body.items.map((item: { id: string }) => item.id)).toEqual([filled.body.id]);
    expect((await world.emulator.request('GET', `/v2/profiles/${profileId}/orders/no-such-order`)).status).toBe(404);
  });

  it('attributes orders on the DEFAULT profile to identity_id, which must be APPROVED to buy', async () => {
    const defaultId = (await world.emulator.request('GET', '/v2/profiles?nickname=default')).body.items.find((profile: { type: string }) => profile.type === 'DEFAULT').id;
    await world.deposit(defaultId, { asset: 'USD', amount: '1000' });
    world.advance(listingDelayMs);
    const pending = await createPerson(world.emulator);
    expect((await world.order(defaultId, { market: 'ETHUSD', side: 'BUY', type: 'MARKET', quote_amount: '90', identity_id: pending })).status).toBe(403);
    await approveIdentity(world.emulator, pending);
    const response = await world.order(defaultId, { market: 'ETHUSD', side: 'BUY', type: 'MARKET', quote_amount: '90', identity_id: pending });
    expect(response.body).toMatchObject({ status: 'SUBMITTED', identity_id: pending });
    world.advance(fillDelayMs);
    const price = await world.price('ETHUSD');
    expect(await world.getOrder(defaultId, response.body.id)).toMatchObject({ status: 'FILLED', amount_filled: show(roundTo(divide(decimal('90'), decimal(price)), 8, 'down')) });
  });
});

describe('market data', () => {
  it('lists markets and serves a ticker without a token, within a few % of the table price', async () => {
    const markets = await world.emulator.request('GET', '/v2/markets', undefined, { token: null });
    expect(markets.body.markets).toContainEqual({ market: 'BTCUSD', base_asset: 'BTC', quote_asset: 'USD', tick_rate: '0.25' });
    const ticker = await world.emulator.request('GET', '/v2/markets/ETHUSD/ticker', undefined, { token: null });
    expect(ticker.status).toBe(200);
    const price = Number(ticker.body.best_ask.price);
    expect(ticker.body.best_bid.price).toBe(ticker.body.best_ask.price);
    expect(Math.abs(price / 1800 - 1)).toBeLessThan(0.03);
    expect(Number(ticker.body.today.low)).toBeLessThanOrEqual(price);
    expect(Number(ticker.body.today.high)).toBeGreaterThanOrEqual(price);
    expect((await world.emulator.request('GET', '/v2/markets/DOGEUSD/ticker', undefined, { token: null })).status).toBe(404);
  });

  it('walks the same way for the same seed and time, another way for another seed', async () => {
    const [one, twin, other] = await Promise.all([startClocked(), startClocked(), startClocked({ seed: 2 })]);
    try {
      for (const step of [0, 1_000, 600_000]) {
        for (const emulator of [one, twin, other]) emulator.advance(step);
        expect(await twin.price('BTCUSD')).toBe(await one.price('BTCUSD'));
        expect(await other.price('BTCUSD')).not.toBe(await one.price('BTCUSD'));
      }
    } finally {
      await Promise.all([one, twin, other].map((emulator) => emulator.emulator.close()));
    }
  });
});

describe('the leniency flags bring the kinder behaviour back', () => {
  it('instant-fills: the create answer is already FILLED', async () => {
    const lenient = await startClocked({ lenient: ['instant-fills', 'instant-transfers'] });
    try {
      const profileId = await lenient.accountProfile();
      await lenient.deposit(profileId, { asset: 'USD', amount: '1000' });
      const response = await lenient.order(profileId, { market: 'ETHUSD', side: 'BUY', type: 'MARKET', quote_amount: '100' });
      expect(response.body).toMatchObject({ status: 'FILLED', volume_weighted_average_price: await lenient.price('ETHUSD') });
      expect(await lenient.balance(profileId, 'USD')).toEqual({ asset: 'USD', available: '900', trading: '0' });
    } finally {
      await lenient.emulator.close();
    }
  });

  it('fixed-prices: the table price, an hour later still', async () => {
    const lenient = await startClocked({ lenient: ['fixed-prices'] });
    try {
      expect(await lenient.price('ETHUSD')).toBe('1800');
      lenient.advance(3_600_000);
      expect(await lenient.price('ETHUSD')).toBe('1800');
    } finally {
      await lenient.emulator.close();
    }
  });

  it('instant-transfers: the activity_id is the transfer id, listed and credited at once', async () => {
    const lenient = await startClocked({ lenient: ['instant-transfers'] });
    try {
      const profileId = await lenient.accountProfile();
      const response = await lenient.deposit(profileId, { asset: 'USD', amount: '10' });
      expect((await lenient.emulator.request('GET', `/v2/transfer/transfers/${response.body.activity_id}`)).body).toMatchObject({ amount: '10', status: 'COMPLETED' });
      expect((await lenient.balance(profileId, 'USD')).available).toBe('10');
    } finally {
      await lenient.emulator.close();
    }
  });

  it('unapproved-funding: a PENDING identity’s profile takes deposits', async () => {
    const lenient = await startClocked({ lenient: ['unapproved-funding'] });
    try {
      const profileId = await lenient.accountProfile(false);
      expect((await lenient.deposit(profileId, { asset: 'USD', amount: '10' })).status).toBe(200);
    } finally {
      await lenient.emulator.close();
    }
  });
});

describe('--data persistence of what is still on its way', () => {
  it('keeps unlisted deposits and unfilled orders across a restart, and finishes them after', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'emulator-money-'));
    try {
      const dataFile = join(directory, 'state.json');
      let clock = Date.parse('2024-05-01T12:00:00.000Z');
      const now = () => new Date(clock);
      const first = await startTestEmulator({ rateLimits: 'off', now, dataFile, transferListingDelayMs: 3000, orderFillDelayMs: 500 });
      const helpers = moneyHelpers(first);
      const profileId = await helpers.accountProfile();
      await helpers.deposit(profileId, { asset: 'USD', amount: '500' });
      clock += listingDelayMs;
      const order = await helpers.order(profileId, { market: 'ETHUSD', side: 'BUY', type: 'MARKET', quote_amount: '100' });
      const pending = await helpers.deposit(profileId, { asset: 'USD', amount: '7' });
      expect(pending.status).toBe(200);
      await first.close();

      clock += listingDelayMs;
      const second = await startTestEmulator({ rateLimits: 'off', now, dataFile, transferListingDelayMs: 3000, orderFillDelayMs: 500 });
      try {
        const again = moneyHelpers(second);
        expect(await again.getOrder(profileId, order.body.id)).toMatchObject({ status: 'FILLED' });
        expect((await again.transfers(`profile_ids=${profileId}`)).map((item) => item.amount)).toEqual(['7', '500']);
        expect(await again.balance(profileId, 'USD')).toEqual({ asset: 'USD', available: '407', trading: '0' });
      } finally {
        await second.close();
      }
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
