/**
 * Public market data: `GET /v2/markets` and `GET /v2/markets/{market}/ticker`,
 * from the fixed price table. The ticker's book is the table price on both
 * sides (the emulator has no spread); volumes are the emulator's own fills.
 */
import { problems, type Route, type RouteContext } from '../framework.js';
import { add, formatDecimal, parseDecimal, zero } from '../domain/decimal.js';
import { findMarket, hasTicker, markets } from '../domain/markets.js';

function listMarkets() {
  return { body: { markets: markets.map(({ market, base_asset, quote_asset, tick_rate }) => ({ market, base_asset, quote_asset, tick_rate })) } };
}

function getTicker({ params, state, now }: RouteContext) {
  const info = findMarket(params.market ?? '');
  if (!hasTicker(info.market)) throw problems.notFound(`no ticker for market ${info.market}`);
  const at = now();
  const dayStart = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  const dayAgo = new Date(at.getTime() - 86_400_000);
  const volumeSince = (since: Date) =>
    formatDecimal(
      Object.values(state.orders)
        .filter((order) => order.market === info.market && order.status === 'FILLED' && Date.parse(order.modified_at) >= since.getTime())
        .reduce((sum, order) => add(sum, parseDecimal(order.amount_filled)), zero),
    );
  const stats = (since: Date) => ({
    high: info.price,
    low: info.price,
    open: info.price,
    volume: volumeSince(since),
    volume_weighted_average_price: info.price,
    range: { begin: since.toISOString(), end: at.toISOString() },
  });
  return {
    body: {
      market: info.market,
      best_bid: { price: info.price, amount: '10' },
      best_ask: { price: info.price, amount: '10' },
      last_execution: { price: info.price, amount: '0' },
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
