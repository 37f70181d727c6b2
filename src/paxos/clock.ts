/**
 * Time as the client sees it. Pacing, backoff and token expiry read this
 * instead of the globals, so tests drive them with a fake clock and assert on
 * counts rather than on wall time.
 */

export interface Clock {
  /** Milliseconds on a monotonic scale; only differences matter. */
  now(): number;
  /** Calls `callback` after `ms`; returns a function that cancels it. */
  setTimeout(callback: () => void, ms: number): () => void;
}

/** The process's monotonic clock and real timers. */
export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout(callback, ms) {
    const handle = setTimeout(callback, Math.max(0, ms));
    return () => clearTimeout(handle);
  },
};

export function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0) resolve();
    else clock.setTimeout(resolve, ms);
  });
}
