/**
 * The contract of `src/paxos/`: the only code that speaks HTTP to Paxos. The
 * planner, the resource kinds and the executor see this interface, never
 * undici; tests point it at the emulator.
 */
import type { Environment } from '../manifest/options.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/**
 * What the client may do when a request fails without a clear answer (a 5xx,
 * a reset connection, a timeout):
 * - `safe`: repeat it (reads; idempotent PUTs such as sandbox-status);
 * - `natural-key`: a create that carries its remote key (`ref_id`,
 *   `nickname`): repeat it; if the first attempt did land, the repeat answers
 *   409 with `meta.existing.id`, which the caller adopts;
 * - `never`: a write with no key (a sandbox deposit): never repeated; the
 *   failure surfaces as `PaxosAmbiguousError` so the caller reconciles first.
 */
export type RetryPolicy = 'safe' | 'natural-key' | 'never';

export type QueryValue = string | number | boolean | readonly string[] | undefined;

export interface PaxosRequest {
  method: HttpMethod;
  /** Path under the API base, ids already encoded: `/v2/identity/identities/abc`, or relative to the target's `/v2` (`identity/identities/abc`, `/identity/identities/abc`). */
  path: string;
  /** Array values repeat the key (`ids=a&ids=b`, the spec's `form`/`explode: true`); undefined values are left out. */
  query?: Readonly<Record<string, QueryValue>>;
  body?: unknown;
  /** Defaults: `safe` for GET, `never` for everything else. */
  retry?: RetryPolicy;
}

/** Options of `PaxosClient.listAll`. */
export interface ListOptions {
  /** The key holding the page's items: `items`, or `events` for `/v2/events`. */
  listKey?: 'items' | 'events';
  /** `limit` sent with each page; the client's default page size when absent. */
  pageSize?: number;
}

/** Counters a run reports (plan's refresh call count, the bench). */
export interface ClientStats {
  /** HTTP requests sent to the API (not the token endpoint), retries included. */
  calls: number;
  /** The same, per rate class name (`default`, `ten-per-second`, ...). */
  callsByClass: Record<string, number>;
  /** Of `calls`, the writes (POST, PUT, DELETE): what a converged re-run sends none of. */
  writes: number;
  /** Requests repeated after a 5xx, a lost connection, a 429, or a 401 that renewed the token. */
  retries: number;
  /** 429 answers received (a paced run receives none). */
  rateLimited: number;
  /** Token requests sent (one per run, unless the run outlives the token). */
  tokenFetches: number;
}

/** Where a run goes. Never holds a secret. */
export interface Target {
  kind: 'local' | 'sandbox' | 'production' | 'url';
  /** Which environment the target counts as, for the manifest's `environment:` guard. */
  environment: Environment;
  /** API base, ending `/v2`. */
  apiUrl: string;
  tokenUrl: string;
  /** One line for the user: `local emulator at http://127.0.0.1:53211 (state in .paxos-onboard/...)`. */
  description: string;
}

export interface PaxosClient {
  readonly target: Target;
  /**
   * Sends one request, paced, authenticated, retried per its policy, and
   * returns the parsed JSON body of a 2xx answer. Anything else throws a
   * `PaxosApiError` (an answer), `PaxosAmbiguousError` (a write that may or may
   * not have happened) or `PaxosNetworkError` (a safe request that kept failing).
   */
  request<T = unknown>(request: PaxosRequest): Promise<T>;
  /** Follows `next_page_cursor` to the end and returns every item. */
  listAll<T = unknown>(request: PaxosRequest & { method: 'GET' }, options?: ListOptions): Promise<T[]>;
  /** A snapshot of the counters. */
  stats(): ClientStats;
  /** Releases connections (and stops the local emulator when the client started it). */
  close(): Promise<void>;
}

/** The OAuth scopes a run that writes needs (PAXOS-API-NOTES.md, "Hosts and auth"). */
export const runScopes = [
  'identity:read_identity',
  'identity:write_identity',
  'identity:read_account',
  'identity:write_account',
  'funding:read_profile',
  'funding:write_profile',
  'exchange:read_order',
  'exchange:write_order',
  'transfer:read_transfer',
  'events:read_event',
] as const;

/**
 * The scopes of a run that only reads (plan's refresh): identities (deep
 * reads included), accounts, profiles, orders and transfers. No write scope,
 * so a plan cannot change anything however it goes wrong; events are not read.
 */
export const readScopes = [
  'identity:read_identity',
  'identity:read_account',
  'funding:read_profile',
  'exchange:read_order',
  'transfer:read_transfer',
] as const;
