/**
 * What the token source and the request loop share within one client: the
 * connection pool, the pacer, the clock, the counters and the log.
 */
import type { Dispatcher } from 'undici';
import { rateClasses } from '../domain/rate-classes.js';
import type { Clock } from './clock.js';
import type { Pacer } from './pacer.js';
import type { RequestLogEntry } from './request-log.js';
import { retryAfterMs, type RetryOptions } from './retry-timing.js';
import { headerValue, type HttpAnswer } from './send-attempt.js';
import type { ClientStats } from './types.js';

export interface ClientRuntime {
  dispatcher: Dispatcher;
  pacer: Pacer;
  clock: Clock;
  retry: RetryOptions;
  random: () => number;
  stats: ClientStats;
  log(entry: RequestLogEntry): void;
  /** The pause after a 429 without Retry-After (`PaxosClientOptions.rateLimitLockoutMs`). */
  lockoutMs: number;
  notice(message: string): void;
}

export function createStats(): ClientStats {
  const callsByClass: Record<string, number> = {};
  for (const rateClass of Object.values(rateClasses)) if (rateClass.name !== rateClasses.token.name) callsByClass[rateClass.name] = 0;
  return { calls: 0, callsByClass, writes: 0, retries: 0, rateLimited: 0, tokenFetches: 0 };
}

export function snapshotStats(stats: ClientStats): ClientStats {
  return { ...stats, callsByClass: { ...stats.callsByClass } };
}

/**
 * A 429: Paxos locks out every client of this address, so nothing of this
 * client starts until the lockout is over: Retry-After when the answer has
 * one, else the documented lockout. Says so (once per pause), counts it, and
 * returns the pause in ms. A 429 never fails a request by itself: the
 * request waits and is sent again.
 */
export function honourRateLimit(runtime: ClientRuntime, answer: HttpAnswer): number {
  runtime.stats.rateLimited += 1;
  const header = headerValue(answer, 'retry-after');
  const pauseMs = retryAfterMs(header, runtime.lockoutMs);
  const until = runtime.clock.now() + pauseMs;
  if (runtime.pacer.pausedUntil() < until - 1000) {
    const resumeAt = new Date(Date.now() + pauseMs).toISOString().slice(11, 19);
    const why = header === undefined ? `no Retry-After, so the documented lockout of ${describeDelay(pauseMs)}` : `Retry-After ${describeDelay(pauseMs)}`;
    runtime.notice(`Paxos rate limit hit (429, ${why}): every request of this run is paused until ${resumeAt} UTC, then goes on`);
  }
  runtime.pacer.pauseUntil(until);
  return pauseMs;
}

/** `1.5s` or `250ms`, for log notes. */
export function describeDelay(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10}s` : `${Math.round(ms)}ms`;
}
