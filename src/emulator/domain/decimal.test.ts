import { describe, expect, it } from 'vitest';
import { add, divide, formatDecimal, isDecimal, multiply, parseDecimal, roundTo, subtract } from './decimal.js';

const d = parseDecimal;

describe('decimal', () => {
  it('adds exactly where floats do not', () => {
    expect(formatDecimal(add(d('0.1'), d('0.2')))).toBe('0.3');
    expect(formatDecimal(subtract(d('10000'), d('1814.8')))).toBe('8185.2');
  });

  it('formats the shortest exact string', () => {
    expect(formatDecimal(d('10000.00'))).toBe('10000');
    expect(formatDecimal(d('.5'))).toBe('0.5');
    expect(formatDecimal(d('0'))).toBe('0');
    expect(formatDecimal(subtract(d('1'), d('1.25')))).toBe('-0.25');
    expect(formatDecimal(d('0.000000000000000001'))).toBe('0.000000000000000001');
  });

  it('multiplies and divides with truncation at 18 places', () => {
    expect(formatDecimal(multiply(d('0.12345678'), d('1800')))).toBe('222.222204');
    expect(formatDecimal(divide(d('1000'), d('1800')))).toBe('0.555555555555555555');
    expect(() => divide(d('1'), d('0'))).toThrow(RangeError);
  });

  it('rounds down or up to a number of places', () => {
    expect(formatDecimal(roundTo(divide(d('1000'), d('1800')), 8, 'down'))).toBe('0.55555555');
    expect(formatDecimal(roundTo(d('222.222204'), 2, 'up'))).toBe('222.23');
    expect(formatDecimal(roundTo(d('222.22'), 2, 'up'))).toBe('222.22');
  });

  it('refuses what is not a non-negative decimal', () => {
    for (const bad of ['', '.', '-1', '1e5', 'abc', '1.2.3']) expect(() => parseDecimal(bad), bad).toThrow(RangeError);
    expect(() => parseDecimal('0.1234567890123456789')).toThrow(/more than 18/);
    expect(isDecimal('10.5')).toBe(true);
    expect(isDecimal('-1')).toBe(false);
  });
});
