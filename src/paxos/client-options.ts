/**
 * What `createPaxosClient` takes, with the defaults in one place.
 */
import type { Clock } from './clock.js';
import type { RequestLogEntry } from './request-log.js';
import type { RetryOptions } from './retry-timing.js';
import type { Target } from './types.js';

/** OAuth client credentials. The secret is sent to the token endpoint and nowhere else, and never printed. */
export interface PaxosCredentials {
  clientId: string;
  clientSecret: string;
}

export interface PaxosClientOptions {
  target: Target;
  credentials: PaxosCredentials;
  /** Scopes asked for in the token request (default `runScopes`). */
  scopes?: readonly string[];
  /** Why those scopes, for the message when the key lacks one: `apply of this manifest needs identity:write_identity (person), …`. */
  scopePurpose?: string;
  /** `limit` of each list page (default 1000, the Paxos maximum; `/v2/events` is capped at 100). */
  pageSize?: number;
  /** `paxos` (default): keep every rate class under its Paxos limit; `off`: send at once (tests of the 429 path). */
  pacing?: 'paxos' | 'off';
  retry?: Partial<RetryOptions>;
  /** Source of backoff jitter (default `Math.random`); inject for reproducible tests. */
  random?: () => number;
  /** Called after every HTTP attempt, token requests included: the `--verbose` log. */
  onRequest?: (entry: RequestLogEntry) => void;
  /** Runs after `close()` released the connections (the local target stops its emulator here). */
  onClose?: () => Promise<void> | void;
  /** Time for pacing, backoff and token expiry (default: the system clock); tests pass a fake one. */
  clock?: Clock;
  /**
   * How long Paxos refuses every request from this address after a rate limit
   * was exceeded, when its 429 says nothing (Paxos documents no Retry-After):
   * default 5 minutes, the documented lockout.
   */
  rateLimitLockoutMs?: number;
  /** Things the user must hear while a run goes on (a lockout pause and when it ends): the CLI prints them on stderr. */
  onNotice?: (message: string) => void;
  /**
   * Where the time of the last token request per target is kept, so that two
   * runs in a row (plan, then apply) do not ask twice within the token
   * endpoint's one-per-second limit; default: the user's cache folder. `false`: kept nowhere.
   */
  tokenTimesDir?: string | false;
}

export const defaultPageSize = 1000;
/** `GET /v2/events` takes at most 100 per page. */
export const maxEventsPageSize = 100;
/** A token is replaced this long before Paxos says it expires (or at half its life, if that is sooner). */
export const tokenRefreshMarginMs = 60_000;
/** The pause after a 429 that came without a usable Retry-After: Paxos's documented lockout. */
export const defaultRateLimitLockoutMs = 300_000;
