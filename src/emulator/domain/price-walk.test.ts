import { describe, expect, it } from 'vitest';
import { formatDecimal } from './decimal.js';
import { findMarket } from './markets.js';
import { maxDrift, walkOffset, walkedPrice } from './price-walk.js';

const start = Date.parse('2024-05-01T00:00:00.000Z');

describe('the price walk', () => {
  it('stays within a few % of the table and moves at most 0.2% a second, over a whole day of seconds', () => {
    let previous = walkOffset(1, 'BTCUSD', start);
    let low = previous;
    let high = previous;
    let steepest = 0;
    for (let second = 1; second <= 86_400; second += 1) {
      const offset = walkOffset(1, 'BTCUSD', start + second * 1000);
      steepest = Math.max(steepest, Math.abs(offset - previous));
      low = Math.min(low, offset);
      high = Math.max(high, offset);
      previous = offset;
    }
    expect(steepest).toBeLessThan(0.002);
    expect(maxDrift).toBeCloseTo(0.03, 10);
    expect(-low).toBeLessThanOrEqual(maxDrift);
    expect(high).toBeLessThanOrEqual(maxDrift);
    // It does wander: a day covers a good part of its band.
    expect(high - low).toBeGreaterThan(0.01);
  });

  it('rounds to the market tick and replays exactly for the same seed and time', () => {
    const btc = findMarket('BTCUSD');
    const price = formatDecimal(walkedPrice(btc, 7, start + 12_345));
    expect(Number(price) % 0.25).toBe(0);
    expect(formatDecimal(walkedPrice(btc, 7, start + 12_345))).toBe(price);
    expect(formatDecimal(walkedPrice(btc, 8, start + 12_345))).not.toBe(price);
  });
});
