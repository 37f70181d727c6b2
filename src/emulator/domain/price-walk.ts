/**
 * Prices that move, as real markets do, yet replay exactly: the price of a
 * market at a time is a pure function of (seed, market, time), so no state is
 * kept or persisted and a test that controls the clock gets the same fills
 * every run.
 *
 * The walk is layered value noise around the table price: four layers with
 * knots every 1 h, 10 min, 1 min and 10 s, each knot a seeded value in
 * [-1, 1] scaled by the layer's amplitude, cosine-interpolated between knots.
 * Bounds, by construction:
 * - never more than `maxDrift` (3%) from the table price;
 * - at most about 0.06% per second (the steepest slope of each layer summed),
 *   so a MARKET order filled half a second after it was placed fills within a
 *   few hundredths of a percent of the price its client last saw.
 * Prices are rounded down to the market's tick. `fixed-prices` keeps the table.
 */
import type { RouteContext } from '../framework.js';
import { compare, parseDecimal, type Scaled } from './decimal.js';
import { markets, type MarketInfo } from './markets.js';
import { moneySettingsOf } from './money-settings.js';

const layers = [
  { periodMs: 3_600_000, amplitude: 0.015 },
  { periodMs: 600_000, amplitude: 0.01 },
  { periodMs: 60_000, amplitude: 0.004 },
  { periodMs: 10_000, amplitude: 0.001 },
] as const;

/** The farthest the walk can go from the table price, as a fraction of it. */
export const maxDrift = layers.reduce((sum, layer) => sum + layer.amplitude, 0);

const marketIndex = new Map(markets.map((info, index) => [info.market as string, index]));

/** A well-mixed 32-bit hash of the inputs, as a value in [-1, 1]. */
function knot(seed: number, market: number, layer: number, index: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(market + 1, 0xc2b2ae35) ^ Math.imul(layer + 1, 0x27d4eb2f);
  h = Math.imul(h ^ (index | 0), 0x165667b1) ^ Math.imul((index / 4_294_967_296) | 0, 0x9e3779b1);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  h = Math.imul(h, 0x297a2d39);
  h ^= h >>> 15;
  return ((h >>> 0) / 4_294_967_295) * 2 - 1;
}

/** The walk's offset from the table price at `atMs`, a fraction in [-maxDrift, maxDrift]. */
export function walkOffset(seed: number, market: string, atMs: number): number {
  const index = marketIndex.get(market) ?? 0;
  let offset = 0;
  layers.forEach((layer, layerIndex) => {
    const position = atMs / layer.periodMs;
    const k = Math.floor(position);
    const blend = (1 - Math.cos((position - k) * Math.PI)) / 2;
    const from = knot(seed, index, layerIndex, k);
    const to = knot(seed, index, layerIndex, k + 1);
    offset += layer.amplitude * (from + (to - from) * blend);
  });
  return offset;
}

/** The walked price of `info` at `atMs`, rounded down to its tick (never below one tick). */
export function walkedPrice(info: MarketInfo, seed: number, atMs: number): Scaled {
  const table = parseDecimal(info.price);
  const tick = parseDecimal(info.tick_rate);
  // Whole parts per trillion: far finer than any tick, and exact BigInt arithmetic from there on.
  const factor = BigInt(Math.round((1 + walkOffset(seed, info.market, atMs)) * 1e12));
  const raw = (table * factor) / 1_000_000_000_000n;
  const rounded = raw - (raw % tick);
  return compare(rounded, tick) < 0 ? tick : rounded;
}

/** The price everything reads (fills, tickers, the taker band, notional caps): walked, or the table under `fixed-prices`. */
export function currentPrice(context: Pick<RouteContext, 'now' | 'lenient' | 'money'>, info: MarketInfo, atMs = context.now().getTime()): Scaled {
  if (context.lenient.has('fixed-prices')) return parseDecimal(info.price);
  return walkedPrice(info, moneySettingsOf(context).seed, atMs);
}
