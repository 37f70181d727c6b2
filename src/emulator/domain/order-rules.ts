/**
 * What an order must satisfy before it reaches the book: amounts by type and
 * side (the spec's Create Order text), who may buy or sell, and the notional
 * caps. Tables come from `src/domain/paxos-rules.ts`.
 */
import { limitPricedOrderTypes, maxNotional } from '../../domain/paxos-rules.js';
import { ProblemError, problems } from '../framework.js';
import type { EmulatorState } from '../state.js';
import { compare, formatDecimal, multiply, parseDecimal, type Scaled } from './decimal.js';
import type { MarketInfo } from './markets.js';
import type { IdentityRecord, ProfileRecord } from './records.js';
import { parsePositiveAmount } from './transfers.js';
import { isPresent, throwIfViolated, type Violation } from './violations.js';

export interface OrderInput {
  ref_id?: string;
  side: 'BUY' | 'SELL';
  market: string;
  type: string;
  base_amount?: string;
  quote_amount?: string;
  price?: string;
  stop_price?: string;
  metadata?: Record<string, string>;
  time_in_force?: string;
  identity_id?: string;
  identity_account_id?: string;
}

/** The order's amounts, parsed: exactly those its type and side use. */
export interface OrderAmounts {
  base?: Scaled;
  quote?: Scaled;
  price?: Scaled;
  stop?: Scaled;
}

const stopTypes = ['STOP_MARKET', 'STOP_LIMIT'];

/** Which amounts the type and side take, and that each is a positive decimal. */
export function readOrderAmounts(input: OrderInput): OrderAmounts {
  const violations: Violation[] = [];
  const needs = (field: keyof OrderInput, why: string) => {
    if (!isPresent(input[field])) violations.push({ field, message: `is required ${why}` });
  };
  const refuses = (field: keyof OrderInput, why: string) => {
    if (isPresent(input[field])) violations.push({ field, message: `is not allowed ${why}` });
  };
  const marketBuy = input.type === 'MARKET' && input.side === 'BUY';
  if (marketBuy) {
    needs('quote_amount', 'for a MARKET BUY (the amount of quote currency to spend)');
    refuses('base_amount', 'for a MARKET BUY; give quote_amount');
  } else {
    needs('base_amount', `for a ${input.type} ${input.side}`);
    refuses('quote_amount', `for a ${input.type} ${input.side}; give base_amount`);
  }
  if ((limitPricedOrderTypes as readonly string[]).includes(input.type)) needs('price', `for a ${input.type} order`);
  if (stopTypes.includes(input.type)) {
    needs('stop_price', `for a ${input.type} order`);
    if (input.side !== 'SELL') violations.push({ field: 'side', message: `${input.type} orders can only SELL (stop-loss)` });
  }
  throwIfViolated(violations);
  const amounts: OrderAmounts = {};
  if (isPresent(input.base_amount)) amounts.base = parsePositiveAmount(input.base_amount ?? '', 'base_amount');
  if (isPresent(input.quote_amount)) amounts.quote = parsePositiveAmount(input.quote_amount ?? '', 'quote_amount');
  if (isPresent(input.price) && input.type !== 'MARKET') amounts.price = parsePositiveAmount(input.price ?? '', 'price');
  if (isPresent(input.stop_price)) amounts.stop = parsePositiveAmount(input.stop_price ?? '', 'stop_price');
  return amounts;
}

/**
 * The identity the order is for: the owner of the profile's account, or on
 * an account-less profile (DEFAULT, omnibus books) the `identity_id` the
 * order is attributed to, if any.
 */
export function resolveOrderIdentity(state: EmulatorState, profile: ProfileRecord, input: OrderInput): IdentityRecord | undefined {
  const account = profile.account_id ? state.accounts[profile.account_id] : undefined;
  const identityId = account?.identity_id ?? input.identity_id;
  if (identityId === undefined || identityId === '') return undefined;
  const identity = state.identities[identityId];
  if (!identity) throw problems.invalidField('identity_id', `identity ${identityId} does not exist`);
  if (isPresent(input.identity_account_id)) {
    const attributed = state.accounts[input.identity_account_id ?? ''];
    if (!attributed) throw problems.invalidField('identity_account_id', `account ${input.identity_account_id} does not exist`);
    if (attributed.identity_id !== identity.id) throw problems.invalidField('identity_account_id', `account ${attributed.id} does not belong to identity ${identity.id}`);
  }
  return identity;
}

/** Only APPROVED identities buy; DISABLED (off-boarded) ones may still sell. */
export function assertMayTrade(identity: IdentityRecord | undefined, side: 'BUY' | 'SELL'): void {
  if (!identity) return;
  const status = identity.summary_status;
  if (status === 'APPROVED' || (side === 'SELL' && status === 'DISABLED')) return;
  const allowed = side === 'BUY' ? 'only APPROVED identities can buy' : 'only APPROVED or DISABLED identities can sell';
  throw problems.forbidden(`identity ${identity.id} cannot ${side === 'BUY' ? 'buy' : 'sell'}: summary_status is ${status}; ${allowed}`, {
    identity_id: identity.id,
    summary_status: status,
  });
}

/**
 * The notional caps of the spec's table (USD; applied as is in EUR/SGD
 * markets): 403 Notional Value Too Large, with Paxos's meta. `marketPrice` is
 * the current (walked) price, which values a MARKET SELL.
 */
export function assertNotional(input: OrderInput, market: MarketInfo, amounts: OrderAmounts, marketPrice: Scaled): void {
  const isMarketType = input.type === 'MARKET' || input.type === 'STOP_MARKET';
  const notional = amounts.quote ?? multiply(amounts.base ?? 0n, isMarketType ? (amounts.stop ?? marketPrice) : (amounts.price ?? marketPrice));
  const cap = isMarketType
    ? maxNotional.market
    : (maxNotional.limitMajorMarkets as readonly string[]).includes(market.market) ? maxNotional.limitMajor : maxNotional.limitOther;
  if (compare(notional, parseDecimal(String(cap))) <= 0) return;
  const shown = formatDecimal(notional);
  throw new ProblemError({
    status: 403,
    title: 'Notional Value Too Large',
    detail: `notional value too large for ${market.market} ${input.type} order: order had notional value ${shown}, but maximum allowed notional value is ${cap}`,
    meta: { market: market.market, order_type: input.type, order_notional_value: shown, max_notional_value: String(cap) },
  });
}
