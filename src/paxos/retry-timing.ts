/**
 * How long to wait before repeating: exponential backoff with full jitter for
 * failures, and the server's own `Retry-After` for 429s.
 */

export interface RetryOptions {
  /** Attempts in all, the first included (default 5). */
  maxAttempts: number;
  /** The backoff cap of the first repeat (default 200 ms); doubles per repeat. */
  baseDelayMs: number;
  /** No single backoff is longer (default 5 s). */
  maxDelayMs: number;
}

export const defaultRetryOptions: Readonly<RetryOptions> = { maxAttempts: 5, baseDelayMs: 200, maxDelayMs: 5000 };

/**
 * Full jitter (uniform in [0, cap)), so clients that failed together do not
 * come back together. `failures` counts the failed attempts so far (1 after
 * the first).
 */
export function backoffDelayMs(failures: number, options: RetryOptions, random: () => number): number {
  const cap = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, failures - 1));
  return Math.floor(random() * cap);
}

/**
 * `Retry-After` as delay-seconds or an HTTP date, in ms from now. Without a
 * usable header, `fallbackMs`: a 429 still means "stop for a while".
 */
export function retryAfterMs(header: string | undefined, fallbackMs: number, wallNowMs: number = Date.now()): number {
  if (header === undefined || header.trim() === '') return fallbackMs;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? fallbackMs : Math.max(0, date - wallNowMs);
}
