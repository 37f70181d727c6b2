/**
 * What the token source and the request loop share within one client: the
 * connection pool, the pacer, the clock, the counters and the log.
 */
import type { Dispatcher } from 'undici';
import { rateClasses } from '../domain/rate-classes.js';
import type { Clock } from './clock.js';
import { defaultRateLimitPauseMs } from './client-options.js';
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
 * A 429: Paxos locks out the whole client, so nothing of this client starts
 * until Retry-After has passed. Counts it; returns the pause in ms.
 */
export function honourRateLimit(runtime: ClientRuntime, answer: HttpAnswer): number {
  runtime.stats.rateLimited += 1;
  const pauseMs = retryAfterMs(headerValue(answer, 'retry-after'), Math.max(defaultRateLimitPauseMs, runtime.retry.maxDelayMs));
  runtime.pacer.pauseUntil(runtime.clock.now() + pauseMs);
  return pauseMs;
}

/** `1.5s` or `250ms`, for log notes. */
export function describeDelay(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10}s` : `${Math.round(ms)}ms`;
}
