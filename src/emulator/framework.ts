/**
 * The contract between the emulator's server (transport, auth, rate limits,
 * faults, persistence, events delivery) and its domain routes (identities,
 * accounts, profiles, money). Routes are plain functions that read and write
 * the state and throw `ProblemError`s; the server maps those to RFC 7807 JSON in
 * one place.
 */
import type { MoneySettings } from './domain/money-settings.js';
import type { Leniency } from './leniency.js';
import type { EmulatorState } from './state.js';

/** An RFC 7807 problem: thrown by handlers, rendered once by the server. */
export class ProblemError extends Error {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string;
  readonly meta: Record<string, unknown> | undefined;

  constructor(init: { status: number; title: string; detail: string; type?: string; meta?: Record<string, unknown> }) {
    super(init.detail);
    this.name = 'ProblemError';
    this.status = init.status;
    this.title = init.title;
    this.detail = init.detail;
    this.type = init.type ?? `https://developer.paxos.com/docs/v2/problems/${slug(init.title)}`;
    this.meta = init.meta;
  }

  toJSON(): Record<string, unknown> {
    return {
      type: this.type,
      title: this.title,
      status: this.status,
      detail: this.detail,
      ...(this.meta ? { meta: this.meta } : {}),
    };
  }
}

function slug(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/(^-|-$)/g, '');
}

export const problems = {
  badRequest: (detail: string, meta?: Record<string, unknown>) =>
    new ProblemError({ status: 400, title: 'Bad Request', detail, ...(meta ? { meta } : {}) }),
  /** A 400 naming the offending field, as Paxos does for missing or invalid details. */
  invalidField: (field: string, detail: string) =>
    new ProblemError({ status: 400, title: 'Bad Request', detail: `${field}: ${detail}`, meta: { field } }),
  unauthorized: (detail = 'missing or invalid access token') =>
    new ProblemError({ status: 401, title: 'Unauthorized', detail }),
  forbidden: (detail: string, meta?: Record<string, unknown>) =>
    new ProblemError({ status: 403, title: 'Forbidden', detail, ...(meta ? { meta } : {}) }),
  insufficientFunds: (meta: { profile_id: string; asset: string; available: string; needed: string }) =>
    new ProblemError({ status: 403, title: 'Insufficient Funds', detail: 'insufficient funds', meta }),
  notFound: (detail: string) => new ProblemError({ status: 404, title: 'Not Found', detail }),
  /** 409 with `meta.existing.id`, the record that already exists. */
  alreadyExists: (detail: string, existingId: string, existing: Record<string, unknown> = {}) =>
    new ProblemError({ status: 409, title: 'Already Exists', detail, meta: { existing: { ...existing, id: existingId } } }),
  tooManyRequests: (detail: string) => new ProblemError({ status: 429, title: 'Too Many Requests', detail }),
};

/** Decisions for new identities: stay PENDING (as the real sandbox), decide at once, or after a delay. */
export type ApprovalMode = { kind: 'manual' } | { kind: 'auto' } | { kind: 'after'; delayMs: number };

export interface RouteContext {
  /** Path parameters, by the `:name`s of the route pattern. */
  params: Record<string, string>;
  query: URLSearchParams;
  /** Parsed JSON body (or form fields for the token endpoint); `undefined` when none. */
  body: unknown;
  state: EmulatorState;
  /** The emulator's clock: use it for every timestamp so tests can control time. */
  now(): Date;
  /** New unique id (UUID v4 shaped). */
  newId(): string;
  approval: ApprovalMode;
  /** The kindnesses switched on (`leniency.ts`); empty by default: as strict as documented Paxos. */
  lenient: ReadonlySet<Leniency>;
  /** Order and deposit delays and the price-walk seed; defaults (`money-settings.ts`) when absent. */
  money?: MoneySettings;
  /**
   * Records an event (e.g. `identity.approved`) in the events feed and queues a
   * webhook delivery when one is configured. Returns the event id.
   */
  emitEvent(type: string, object: Record<string, unknown>): string;
  /** Webhook deliveries of an event not yet acknowledged (the `Event`'s `undelivered_webhooks`); set by the server. */
  undeliveredWebhooks?: (eventId: string) => number;
}

export interface RouteResult {
  status?: number;
  body: unknown;
}

export type RouteHandler = (context: RouteContext) => RouteResult | Promise<RouteResult>;

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Full path, e.g. `/v2/identity/identities/:id`. */
  path: string;
  /** The spec's operationId: scopes and response schemas are looked up by it. */
  operationId: string;
  handler: RouteHandler;
  /** True for the public market-data endpoints that need no token. */
  public?: boolean;
}

/**
 * Time-driven work (delayed approvals, resting limit orders that now cross):
 * the server calls every registered ticker before each request and on a timer.
 * Return `true` when the tick changed the state without emitting an event, so
 * `--data` persistence writes it (emitting an event already does).
 */
export type Ticker = (context: Omit<RouteContext, 'params' | 'query' | 'body'>) => void | boolean;
