/**
 * Paxos rate limits: per key and class, at most `perSecond × window`
 * requests in any sliding window; the request past it locks the key out
 * (429 for every request, any class) for the lockout period. The key is the
 * source address, as Paxos counts, or a client id under the
 * `per-client-rate-limits` leniency (handle-request.ts decides).
 */
import type { RateClass } from '../domain/rate-classes.js';

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number; reason: string };

export interface RateLimiter {
  /** Counts the request against `client`'s budget for `rateClass`, or refuses it. */
  admit(client: string, rateClass: RateClass, nowMs: number): RateDecision;
}

/** Timestamps of admitted requests, oldest first; `head` skips expired ones without shifting. */
interface Window {
  times: number[];
  head: number;
}

export function createRateLimiter(options: { windowMs: number; lockoutMs: number }): RateLimiter {
  const windows = new Map<string, Window>();
  const lockedUntil = new Map<string, number>();
  const windowSeconds = options.windowMs / 1000;
  return {
    admit(client, rateClass, nowMs) {
      const until = lockedUntil.get(client);
      if (until !== undefined) {
        if (nowMs < until) return refuse(until - nowMs, `locked out after exceeding the ${rateClass.name} rate limit; every request from this address is refused until the lockout ends`);
        lockedUntil.delete(client);
        // A client that served its lockout starts afresh.
        for (const key of windows.keys()) if (key.startsWith(`${client}\u0000`)) windows.delete(key);
      }
      const key = `${client}\u0000${rateClass.name}`;
      let window = windows.get(key);
      if (!window) windows.set(key, (window = { times: [], head: 0 }));
      const cutoff = nowMs - options.windowMs;
      while (window.head < window.times.length && (window.times[window.head] ?? 0) <= cutoff) window.head++;
      if (window.head > 1024 && window.head * 2 > window.times.length) {
        window.times = window.times.slice(window.head);
        window.head = 0;
      }
      const budget = Math.max(1, Math.floor(rateClass.perSecond * windowSeconds));
      if (window.times.length - window.head >= budget) {
        lockedUntil.set(client, nowMs + options.lockoutMs);
        return refuse(
          options.lockoutMs,
          `rate limit exceeded: ${rateClass.perSecond} requests/s averaged over ${windowSeconds}s (${rateClass.name}); all requests are refused for ${options.lockoutMs / 1000}s`,
        );
      }
      window.times.push(nowMs);
      return { allowed: true };
    },
  };
}

function refuse(remainingMs: number, reason: string): RateDecision {
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(remainingMs / 1000)), reason };
}
