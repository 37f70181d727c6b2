/**
 * Orders against the fixed-price book of `markets.ts`:
 * - MARKET fills at once at the market price (a BUY spends exactly its
 *   `quote_amount`; the base bought is rounded down to 8 places);
 * - LIMIT fills at the market price when it crosses (price improvement), and
 *   otherwise rests OPEN holding its funds (IOC/FOK: CANCELLED instead);
 * - a crossing LIMIT (a taker) more than 15% from the price, or a crossing
 *   POST_ONLY_LIMIT, is created REJECTED: Paxos accepts the order and rejects
 *   it on the book, so the ref_id is used and nothing moves;
 * - stop orders (SELL only) trigger at once when the price is at or below
 *   the stop, else rest OPEN holding the base.
 * Funds are checked before anything else happens (403 Insufficient Funds).
 */
import { limitTakerMaxDeviation } from '../../domain/paxos-rules.js';
import { problems, type RouteContext } from '../framework.js';
import { nextSeq, type EmulatorState } from '../state.js';
import { assertAvailable, credit, debit, hold, release } from './balances.js';
import { compare, divide, formatDecimal, multiply, parseDecimal, roundTo, subtract, zero, type Scaled } from './decimal.js';
import { findMarket, precisionOf, type MarketInfo } from './markets.js';
import { assertMayTrade, assertNotional, readOrderAmounts, resolveOrderIdentity, type OrderAmounts, type OrderInput } from './order-rules.js';
import { assertActive, findProfile } from './profiles.js';
import type { JsonObject, OrderRecord } from './records.js';

const maxDeviation = parseDecimal(String(limitTakerMaxDeviation));

type Outcome = { kind: 'fill'; limit?: Scaled } | { kind: 'rest' } | { kind: 'cancel' } | { kind: 'reject' };

/** What the book does with the order, before any money moves. */
function decide(input: OrderInput, amounts: OrderAmounts, price: Scaled): Outcome {
  if (input.type === 'MARKET') return { kind: 'fill' };
  if (input.type === 'STOP_MARKET' || input.type === 'STOP_LIMIT') {
    if (compare(price, amounts.stop ?? zero) > 0) return { kind: 'rest' };
    if (input.type === 'STOP_MARKET') return { kind: 'fill' };
  }
  const limit = amounts.price ?? price;
  const crosses = input.side === 'BUY' ? compare(limit, price) >= 0 : compare(limit, price) <= 0;
  if (!crosses) return input.time_in_force === 'IOC' || input.time_in_force === 'FOK' ? { kind: 'cancel' } : { kind: 'rest' };
  if (input.type === 'POST_ONLY_LIMIT') return { kind: 'reject' };
  const deviation = divide(compare(limit, price) >= 0 ? subtract(limit, price) : subtract(price, limit), price);
  if (compare(deviation, maxDeviation) > 0) return { kind: 'reject' };
  return { kind: 'fill', limit };
}

/** The asset and amount the order needs available: quote to buy, base to sell. */
function needed(input: OrderInput, amounts: OrderAmounts, market: MarketInfo, price: Scaled): { asset: string; amount: Scaled } {
  if (input.side === 'SELL') return { asset: market.base_asset, amount: amounts.base ?? zero };
  if (amounts.quote !== undefined) return { asset: market.quote_asset, amount: amounts.quote };
  return { asset: market.quote_asset, amount: roundTo(multiply(amounts.base ?? zero, amounts.price ?? price), precisionOf(market.quote_asset), 'up') };
}

function assertRefIdFree(state: EmulatorState, refId: string | undefined): void {
  if (!refId) return;
  const existingId = state.orderIdByRefId[refId];
  const existing = existingId ? state.orders[existingId] : undefined;
  if (!existing) return;
  throw problems.alreadyExists(`order already exists with ref_id '${refId}'`, existing.id, {
    profile_id: existing.profile_id,
    ref_id: refId,
    status: existing.status,
    side: existing.side,
    market: existing.market,
  });
}

/** `POST /profiles/{profile_id}/orders`. */
export function createOrder(context: RouteContext, profileId: string, input: OrderInput): OrderRecord {
  const { state } = context;
  const profile = findProfile(context, profileId);
  assertActive(profile);
  assertRefIdFree(state, input.ref_id);
  const market = findMarket(input.market);
  const amounts = readOrderAmounts(input);
  const identity = resolveOrderIdentity(state, profile, input);
  assertMayTrade(identity, input.side);
  assertNotional(input, market, amounts);
  const price = parseDecimal(market.price);
  const need = needed(input, amounts, market, price);
  assertAvailable(state, profile.id, need.asset, need.amount);

  const at = context.now().toISOString();
  const order: OrderRecord = {
    seq: nextSeq(state),
    id: context.newId(),
    profile_id: profile.id,
    status: 'SUBMITTED',
    side: input.side,
    market: market.market,
    type: input.type,
    ...copy(input, ['ref_id', 'base_amount', 'quote_amount', 'stop_price', 'metadata', 'identity_account_id']),
    ...(input.type !== 'MARKET' && input.price !== undefined ? { price: input.price } : {}),
    ...(identity ? { identity_id: identity.id } : {}),
    ...(input.time_in_force ? { time_in_force: input.time_in_force } : input.type === 'MARKET' ? {} : { time_in_force: 'GTC' }),
    amount_filled: '0',
    volume_weighted_average_price: '0',
    created_at: at,
    modified_at: at,
  };
  const outcome = decide(input, amounts, price);
  if (outcome.kind === 'fill') fill(state, order, input, amounts, market, price);
  else if (outcome.kind === 'rest') {
    hold(state, profile.id, need.asset, need.amount);
    order.hold = { asset: need.asset, amount: formatDecimal(need.amount) };
    order.status = 'OPEN';
  } else order.status = outcome.kind === 'cancel' ? 'CANCELLED' : 'REJECTED';
  if (input.type === 'STOP_MARKET' || input.type === 'STOP_LIMIT') order.is_triggered = outcome.kind !== 'rest';
  state.orders[order.id] = order;
  if (order.ref_id) state.orderIdByRefId[order.ref_id] = order.id;
  return order;
}

function copy<K extends keyof OrderInput>(input: OrderInput, keys: readonly K[]): Partial<Pick<OrderInput, K>> {
  const result: Partial<Pick<OrderInput, K>> = {};
  for (const key of keys) if (input[key] !== undefined && input[key] !== '') result[key] = input[key];
  return result;
}

/** Executes the whole order at `price`, moving both balances. */
function fill(state: EmulatorState, order: OrderRecord, input: OrderInput, amounts: OrderAmounts, market: MarketInfo, price: Scaled): void {
  const quotePlaces = precisionOf(market.quote_asset);
  let base: Scaled;
  if (input.side === 'BUY') {
    const spend = amounts.quote ?? roundTo(multiply(amounts.base ?? zero, price), quotePlaces, 'up');
    base = amounts.base ?? roundTo(divide(spend, price), precisionOf(market.base_asset), 'down');
    if (compare(base, zero) <= 0) throw problems.invalidField('quote_amount', `too small to buy any ${market.base_asset} at ${market.price}`);
    debit(state, order.profile_id, market.quote_asset, spend);
    credit(state, order.profile_id, market.base_asset, base);
  } else {
    base = amounts.base ?? zero;
    debit(state, order.profile_id, market.base_asset, base);
    credit(state, order.profile_id, market.quote_asset, roundTo(multiply(base, price), quotePlaces, 'down'));
  }
  order.status = 'FILLED';
  order.amount_filled = formatDecimal(base);
  order.volume_weighted_average_price = formatDecimal(price);
}

export function findOrder(state: EmulatorState, profileId: string, id: string): OrderRecord {
  const order = state.orders[id];
  if (!order || order.profile_id !== profileId) throw problems.notFound(`order not found: ${id}`);
  return order;
}

/** `DELETE /profiles/{profile_id}/orders/{id}`: an OPEN order is CANCELLED and its hold released. */
export function cancelOrder(context: RouteContext, profileId: string, id: string): OrderRecord {
  findProfile(context, profileId);
  const order = findOrder(context.state, profileId, id);
  if (order.status !== 'OPEN') throw problems.forbidden('order is not in cancellable state', { status: order.status });
  if (order.hold) release(context.state, order.profile_id, order.hold.asset, parseDecimal(order.hold.amount));
  delete order.hold;
  order.status = 'CANCELLED';
  order.modified_at = context.now().toISOString();
  return order;
}

/** The API's Order. */
export function renderOrder(order: OrderRecord): JsonObject {
  const { seq: _seq, hold: _hold, ...rest } = order;
  return rest;
}
