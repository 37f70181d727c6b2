/**
 * Exact decimal arithmetic for money: amounts travel as strings and are
 * computed as BigInts scaled by 10^18, never as JS floats (0.1 + 0.2 must be
 * 0.3 in a balance). 18 places cover every Paxos asset's precision.
 */

/** A decimal scaled by 10^18. */
export type Scaled = bigint;

const places = 18;
const unit = 10n ** BigInt(places);
const decimalPattern = /^(\d*)\.?(\d*)$/;

export const zero: Scaled = 0n;

/** Whether `text` is a non-negative decimal string the API accepts (`10`, `0.5`, `.5`). */
export function isDecimal(text: string): boolean {
  return /^[0-9]*\.?[0-9]+$/.test(text) || /^[0-9]+\.$/.test(text);
}

/** Parses a non-negative decimal string; digits past 18 places are refused rather than dropped. */
export function parseDecimal(text: string): Scaled {
  const match = decimalPattern.exec(text.trim());
  if (!match || text.trim() === '' || text.trim() === '.') throw new RangeError(`'${text}' is not a decimal number`);
  const whole = match[1] ?? '';
  const fraction = match[2] ?? '';
  if (fraction.length > places) throw new RangeError(`'${text}' has more than ${places} decimal places`);
  return BigInt(whole || '0') * unit + BigInt((fraction + '0'.repeat(places)).slice(0, places));
}

/** The shortest exact string: no trailing zeros, `0` for zero, a leading `-` when negative. */
export function formatDecimal(value: Scaled): string {
  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  const whole = magnitude / unit;
  const fraction = (magnitude % unit).toString().padStart(places, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

export function add(a: Scaled, b: Scaled): Scaled {
  return a + b;
}

export function subtract(a: Scaled, b: Scaled): Scaled {
  return a - b;
}

/** a × b, truncated to 18 places. */
export function multiply(a: Scaled, b: Scaled): Scaled {
  return (a * b) / unit;
}

/** a ÷ b, truncated to 18 places. */
export function divide(a: Scaled, b: Scaled): Scaled {
  if (b === 0n) throw new RangeError('division by zero');
  return (a * unit) / b;
}

/** Rounds a non-negative value to `decimals` places, down (toward zero) or up. */
export function roundTo(value: Scaled, decimals: number, direction: 'down' | 'up'): Scaled {
  const step = 10n ** BigInt(places - decimals);
  const remainder = value % step;
  if (remainder === 0n) return value;
  const down = value - remainder;
  return direction === 'down' ? down : down + step;
}

export function compare(a: Scaled, b: Scaled): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function minimum(a: Scaled, b: Scaled): Scaled {
  return a < b ? a : b;
}
