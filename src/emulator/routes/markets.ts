/**
 * Public market data: `GET /v2/markets` and `GET /v2/markets/{market}/ticker`.
 * The ticker shows the current walked price (`price-walk.ts`), the one orders
 * fill at: the emulator has no spread, so bid, ask and last are that price.
 * Open, high, low and the average of a range are read from the walk once a
 * minute over the range; volumes are the emulator's own fills.
 */
import { problems, type Route, type RouteContext } from '../framework.js';
import { add, divide, formatDecimal, parseDecimal, zero, type Scaled } from '../domain/decimal.js';
import { findMarket, hasTicker, markets, type MarketInfo } from '../domain/markets.js';
import { currentPrice } from '../domain/price-walk.js';

function listMarkets() {
  return { body: { markets: markets.map(({ market, base_asset, quote_asset, tick_rate }) => ({ market, base_asset, quote_asset, tick_rate })) } };
}

const sampleEveryMs = 60_000;

/** Open, high, low and mean of the walk from `beginMs` to `endMs` (the end included). */
function rangeStats(context: RouteContext, info: MarketInfo, beginMs: number, endMs: number) {
  const samples: Scaled[] = [];
  for (let at = beginMs; at < endMs; at += sampleEveryMs) samples.push(currentPrice(context, info, at));
  samples.push(currentPrice(context, info, endMs));
  const high = samples.reduce((a, b) => (b > a ? b : a));
  const low = samples.reduce((a, b) => (b < a ? b : a));
  const sum = samples.reduce((a, b) => add(a, b), zero);
  const tick = parseDecimal(info.tick_rate);
  const mean = divide(sum, parseDecimal(String(samples.length)));
  return { open: samples[0] ?? high, high, low, mean: mean - (mean % tick) };
}

function getTicker(context: RouteContext) {
  const { params, state, now } = context;
  const info = findMarket(params.market ?? '');
  if (!hasTicker(info.market)) throw problems.notFound(`no ticker for market ${info.market}`);
  const at = now();
  const price = formatDecimal(currentPrice(context, info, at.getTime()));
  const dayStart = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  const dayAgo = new Date(at.getTime() - 86_400_000);
  const volumeSince = (since: Date) =>
    formatDecimal(
      Object.values(state.orders)
        .filter((order) => order.market === info.market && order.status === 'FILLED' && Date.parse(order.modified_at) >= since.getTime())
        .reduce((sum, order) => add(sum, parseDecimal(order.amount_filled)), zero),
    );
  const stats = (since: Date) => {
    const range = rangeStats(context, info, since.getTime(), at.getTime());
    return {
      high: formatDecimal(range.high),
      low: formatDecimal(range.low),
      open: formatDecimal(range.open),
      volume: volumeSince(since),
      volume_weighted_average_price: formatDecimal(range.mean),
      range: { begin: since.toISOString(), end: at.toISOString() },
    };
  };
  return {
    body: {
      market: info.market,
      best_bid: { price, amount: '10' },
      best_ask: { price, amount: '10' },
      last_execution: { price, amount: '0' },
      last_day: stats(dayAgo),
      today: stats(dayStart),
      snapshot_at: at.toISOString(),
    },
  };
}

export const marketRoutes: Route[] = [
  { method: 'GET', path: '/v2/markets', operationId: 'ListMarkets', handler: listMarkets, public: true },
  { method: 'GET', path: '/v2/markets/:market/ticker', operationId: 'GetTicker', handler: getTicker, public: true },
];
