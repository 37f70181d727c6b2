/**
 * The emulator's markets and their table prices. The table is the centre the
 * prices walk around (`price-walk.ts`: seeded, deterministic in time, a few %
 * at most); under `fixed-prices` it is the price itself. Figures are round,
 * realistic magnitudes, not live data.
 */
import { Market, PricePriceMarket } from '../../domain/paxos-enums.generated.js';
import { problems } from '../framework.js';

export interface MarketInfo {
  market: (typeof Market)[number];
  base_asset: string;
  quote_asset: string;
  /** The table price (the walk's centre), a decimal string in the quote asset. */
  price: string;
  tick_rate: string;
}

/** Price and tick of each market of the spec's `Market` enum. */
const table: Record<(typeof Market)[number], { price: string; tick_rate: string }> = {
  BTCUSD: { price: '60000', tick_rate: '0.25' },
  ETHUSD: { price: '1800', tick_rate: '0.01' },
  PAXGUSD: { price: '2000', tick_rate: '0.01' },
  BCHUSD: { price: '250', tick_rate: '0.01' },
  LTCUSD: { price: '80', tick_rate: '0.01' },
  LINKUSD: { price: '15', tick_rate: '0.001' },
  MATICUSD: { price: '0.7', tick_rate: '0.0001' },
  AAVEUSD: { price: '90', tick_rate: '0.01' },
  UNIUSD: { price: '6', tick_rate: '0.001' },
  USDPUSD: { price: '1', tick_rate: '0.0001' },
  BTCEUR: { price: '55000', tick_rate: '0.25' },
  ETHEUR: { price: '1650', tick_rate: '0.01' },
  BTCSGD: { price: '80000', tick_rate: '0.25' },
  ETHSGD: { price: '2400', tick_rate: '0.01' },
};

const quoteAssets = ['USD', 'EUR', 'SGD'] as const;

function splitMarket(market: string): { base_asset: string; quote_asset: string } {
  const quote = quoteAssets.find((asset) => market.endsWith(asset)) ?? market.slice(-3);
  return { base_asset: market.slice(0, -quote.length), quote_asset: quote };
}

export const markets: readonly MarketInfo[] = Market.map((market) => ({ market, ...splitMarket(market), ...table[market] }));

const byName = new Map(markets.map((info) => [info.market as string, info]));

/** The market, or a 404 problem naming it. */
export function findMarket(market: string): MarketInfo {
  const info = byName.get(market);
  if (!info) throw problems.notFound(`market not found: ${market}`);
  return info;
}

/** Markets that have a ticker in the spec (`TickerRecord.market` is `PricePriceMarket`). */
export function hasTicker(market: string): boolean {
  return (PricePriceMarket as readonly string[]).includes(market);
}

/** Every asset a profile can hold here, fiat first: the balances list shows them all. */
export const knownAssets: readonly string[] = [...quoteAssets, ...new Set(markets.map((info) => info.base_asset))];

/** Fiat assets: sandbox deposits of these take no `crypto_network`, and amounts are in cents. */
export const fiatAssets: readonly string[] = quoteAssets;

/** Decimal places Paxos keeps for an asset: cents for fiat, 8 for crypto on the exchange. */
export function precisionOf(asset: string): number {
  return fiatAssets.includes(asset) ? 2 : 8;
}
