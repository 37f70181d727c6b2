/**
 * Orders, created `SUBMITTED` and worked by a ticker afterwards, as Paxos
 * does (the create answer is an acknowledgement; the spec's example order is
 * SUBMITTED):
 * - at create: the order's rules, who may trade, the notional caps and the
 *   funds (403 Insufficient Funds) are checked, and what the order needs is
 *   held (moved from `available` to `trading`) at once;
 * - `orderFillDelayMs` later the book takes it, at the price of that moment
 *   (`price-walk.ts`): a MARKET order fills (a BUY spends exactly its
 *   `quote_amount`, the base rounded down to 8 places); a LIMIT that crosses
 *   fills at the market price (a taker), unless it is more than 15% from it or
 *   is POST_ONLY (REJECTED); one that does not cross rests OPEN (IOC/FOK:
 *   CANCELLED); a stop SELL triggers when the price is at or below its stop;
 * - an OPEN order fills at its own limit price (a maker) on the first tick
 *   the walked price crosses it;
 * - CANCELLED and REJECTED release the hold; a fill settles it.
 * `instant-fills` runs the book inside the create call, so the answer is
 * already FILLED/OPEN/REJECTED. A `ref_id` is taken while its order is open
 * and for 24 h after it closed (the spec: "Can be reused if the order has been
 * closed for more than 24 hours").
 */
import { limitTakerMaxDeviation } from '../../domain/paxos-rules.js';
import { problems, type RouteContext, type Ticker } from '../framework.js';
import { nextSeq, type EmulatorState } from '../state.js';
import { assertAvailable, credit, debit, hold, release } from './balances.js';
import { compare, divide, formatDecimal, multiply, parseDecimal, roundTo, subtract, zero, type Scaled } from './decimal.js';
import { findMarket, precisionOf, type MarketInfo } from './markets.js';
import { moneySettingsOf } from './money-settings.js';
import { assertMayTrade, assertNotional, readOrderAmounts, resolveOrderIdentity, type OrderAmounts, type OrderInput } from './order-rules.js';
import { currentPrice } from './price-walk.js';
import { assertActive, findProfile } from './profiles.js';
import type { JsonObject, OrderRecord } from './records.js';

const maxDeviation = parseDecimal(String(limitTakerMaxDeviation));

/** How long a closed order keeps its `ref_id`. */
export const refIdReuseAfterMs = 24 * 3_600_000;

const closedStatuses: readonly string[] = ['FILLED', 'CANCELLED', 'REJECTED'];

type TickContext = Parameters<Ticker>[0];

type Outcome = { kind: 'fill' } | { kind: 'rest' } | { kind: 'cancel' } | { kind: 'reject' };

/** The order's amounts as created (they are validated once, at create). */
function amountsOf(order: OrderRecord): OrderAmounts {
  const amounts: OrderAmounts = {};
  if (order.base_amount !== undefined) amounts.base = parseDecimal(order.base_amount);
  if (order.quote_amount !== undefined) amounts.quote = parseDecimal(order.quote_amount);
  if (order.price !== undefined) amounts.price = parseDecimal(order.price);
  if (order.stop_price !== undefined) amounts.stop = parseDecimal(order.stop_price);
  return amounts;
}

const isStop = (type: string) => type === 'STOP_MARKET' || type === 'STOP_LIMIT';

function crosses(side: OrderRecord['side'], limit: Scaled, price: Scaled): boolean {
  return side === 'BUY' ? compare(limit, price) >= 0 : compare(limit, price) <= 0;
}

/** What the book does with a SUBMITTED order when it reaches it, at `price`. */
function decide(order: OrderRecord, amounts: OrderAmounts, price: Scaled): Outcome {
  if (order.type === 'MARKET') return { kind: 'fill' };
  if (isStop(order.type)) {
    if (compare(price, amounts.stop ?? zero) > 0) return { kind: 'rest' };
    if (order.type === 'STOP_MARKET') return { kind: 'fill' };
  }
  const limit = amounts.price ?? price;
  if (!crosses(order.side, limit, price)) return order.time_in_force === 'IOC' || order.time_in_force === 'FOK' ? { kind: 'cancel' } : { kind: 'rest' };
  if (order.type === 'POST_ONLY_LIMIT') return { kind: 'reject' };
  // The taker band is measured against the price of the moment the book takes the order.
  const deviation = divide(compare(limit, price) >= 0 ? subtract(limit, price) : subtract(price, limit), price);
  if (compare(deviation, maxDeviation) > 0) return { kind: 'reject' };
  return { kind: 'fill' };
}

/** The asset and amount the order holds: quote to buy (at its limit, or the current price), base to sell. */
function needed(input: OrderInput, amounts: OrderAmounts, market: MarketInfo, price: Scaled): { asset: string; amount: Scaled } {
  if (input.side === 'SELL') return { asset: market.base_asset, amount: amounts.base ?? zero };
  if (amounts.quote !== undefined) return { asset: market.quote_asset, amount: amounts.quote };
  return { asset: market.quote_asset, amount: roundTo(multiply(amounts.base ?? zero, amounts.price ?? price), precisionOf(market.quote_asset), 'up') };
}

function assertRefIdFree(state: EmulatorState, refId: string | undefined, nowMs: number): void {
  if (!refId) return;
  const existingId = state.orderIdByRefId[refId];
  const existing = existingId ? state.orders[existingId] : undefined;
  if (!existing) return;
  if (closedStatuses.includes(existing.status) && nowMs - Date.parse(existing.modified_at) > refIdReuseAfterMs) return;
  throw problems.alreadyExists(`order already exists with ref_id '${refId}'`, existing.id, {
    profile_id: existing.profile_id,
    ref_id: refId,
    status: existing.status,
    side: existing.side,
    market: existing.market,
  });
}

/** `POST /profiles/{profile_id}/orders`: a SUBMITTED order holding its funds (worked at once under `instant-fills`). */
export function createOrder(context: RouteContext, profileId: string, input: OrderInput): OrderRecord {
  const { state } = context;
  const profile = findProfile(context, profileId);
  assertActive(profile);
  const nowMs = context.now().getTime();
  assertRefIdFree(state, input.ref_id, nowMs);
  const market = findMarket(input.market);
  const amounts = readOrderAmounts(input);
  const identity = resolveOrderIdentity(state, profile, input);
  assertMayTrade(identity, input.side);
  const price = currentPrice(context, market);
  assertNotional(input, market, amounts, price);
  if (input.type === 'MARKET' && input.side === 'BUY' && compare(roundTo(divide(amounts.quote ?? zero, price), precisionOf(market.base_asset), 'down'), zero) <= 0) {
    throw problems.invalidField('quote_amount', `too small to buy any ${market.base_asset} at ${formatDecimal(price)}`);
  }
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
  if (isStop(input.type)) order.is_triggered = false;
  hold(state, profile.id, need.asset, need.amount);
  order.hold = { asset: need.asset, amount: formatDecimal(need.amount) };
  state.orders[order.id] = order;
  state.workingOrderIds[order.id] = true;
  if (order.ref_id) state.orderIdByRefId[order.ref_id] = order.id;
  if (context.lenient.has('instant-fills')) workOrder(context, order, nowMs);
  return order;
}

function copy<K extends keyof OrderInput>(input: OrderInput, keys: readonly K[]): Partial<Pick<OrderInput, K>> {
  const result: Partial<Pick<OrderInput, K>> = {};
  for (const key of keys) if (input[key] !== undefined && input[key] !== '') result[key] = input[key];
  return result;
}

/** Closes the order: the hold goes back to `available` (a fill then takes what it spends from there). */
function close(state: EmulatorState, order: OrderRecord, status: string, at: string): void {
  if (order.hold) release(state, order.profile_id, order.hold.asset, parseDecimal(order.hold.amount));
  delete order.hold;
  delete state.workingOrderIds[order.id];
  order.status = status;
  order.modified_at = at;
}

/** Executes the whole order at `price`, moving both balances; REJECTED if a MARKET BUY can buy nothing at it. */
function fill(state: EmulatorState, order: OrderRecord, market: MarketInfo, price: Scaled, at: string): void {
  const amounts = amountsOf(order);
  const quotePlaces = precisionOf(market.quote_asset);
  close(state, order, 'FILLED', at);
  let base: Scaled;
  if (order.side === 'BUY') {
    const spend = amounts.quote ?? roundTo(multiply(amounts.base ?? zero, price), quotePlaces, 'up');
    base = amounts.base ?? roundTo(divide(spend, price), precisionOf(market.base_asset), 'down');
    if (compare(base, zero) <= 0) {
      order.status = 'REJECTED';
      return;
    }
    debit(state, order.profile_id, market.quote_asset, spend);
    credit(state, order.profile_id, market.base_asset, base);
  } else {
    base = amounts.base ?? zero;
    debit(state, order.profile_id, market.base_asset, base);
    credit(state, order.profile_id, market.quote_asset, roundTo(multiply(base, price), quotePlaces, 'down'));
  }
  order.amount_filled = formatDecimal(base);
  order.volume_weighted_average_price = formatDecimal(price);
}

/** One step of a working order at `atMs`; true when it changed. */
function workOrder(context: TickContext, order: OrderRecord, atMs: number): boolean {
  const market = findMarket(order.market);
  const price = currentPrice(context, market, atMs);
  const at = new Date(atMs).toISOString();
  const amounts = amountsOf(order);
  if (order.status === 'SUBMITTED') {
    const outcome = decide(order, amounts, price);
    if (isStop(order.type)) order.is_triggered = outcome.kind !== 'rest';
    if (outcome.kind === 'fill') fill(context.state, order, market, price, at);
    else if (outcome.kind === 'rest') {
      order.status = 'OPEN';
      order.modified_at = at;
    } else close(context.state, order, outcome.kind === 'cancel' ? 'CANCELLED' : 'REJECTED', at);
    return true;
  }
  if (order.status !== 'OPEN') return false;
  if (isStop(order.type) && order.is_triggered !== true) {
    if (compare(price, amounts.stop ?? zero) > 0) return false;
    order.is_triggered = true;
    order.modified_at = at;
    // A triggered STOP_MARKET is a market sell; a STOP_LIMIT becomes a resting limit sell.
    if (order.type === 'STOP_MARKET') fill(context.state, order, market, price, at);
    else if (crosses(order.side, amounts.price ?? price, price)) fill(context.state, order, market, price, at);
    return true;
  }
  const limit = amounts.price;
  if (limit === undefined || !crosses(order.side, limit, price)) return false;
  // A resting order is the maker: it trades at its own price.
  fill(context.state, order, market, limit, at);
  return true;
}

/** The ticker: SUBMITTED orders reach the book after `orderFillDelayMs`; OPEN orders fill when the price crosses. */
export const orderTicker: Ticker = (context) => {
  const nowMs = context.now().getTime();
  const delay = moneySettingsOf(context).orderFillDelayMs;
  let changed = false;
  for (const id of Object.keys(context.state.workingOrderIds)) {
    const order = context.state.orders[id];
    if (!order || closedStatuses.includes(order.status)) {
      delete context.state.workingOrderIds[id];
      changed = true;
      continue;
    }
    if (order.status === 'SUBMITTED' && nowMs - Date.parse(order.created_at) < delay) continue;
    if (workOrder(context, order, nowMs)) changed = true;
  }
  return changed;
};

export function findOrder(state: EmulatorState, profileId: string, id: string): OrderRecord {
  const order = state.orders[id];
  if (!order || order.profile_id !== profileId) throw problems.notFound(`order not found: ${id}`);
  return order;
}

/**
 * `DELETE /profiles/{profile_id}/orders/{id}`: a SUBMITTED or OPEN order is
 * CANCELLED and its hold released. MARKET orders are immediate-or-cancel on
 * the book (the spec), so there is nothing to cancel: 403 like a closed order.
 */
export function cancelOrder(context: RouteContext, profileId: string, id: string): OrderRecord {
  findProfile(context, profileId);
  const order = findOrder(context.state, profileId, id);
  if (order.type === 'MARKET' || (order.status !== 'OPEN' && order.status !== 'SUBMITTED')) {
    throw problems.forbidden('order is not in cancellable state', { status: order.status });
  }
  close(context.state, order, 'CANCELLED', context.now().toISOString());
  return order;
}

/** The API's Order. */
export function renderOrder(order: OrderRecord): JsonObject {
  const { seq: _seq, hold: _hold, ...rest } = order;
  return rest;
}
