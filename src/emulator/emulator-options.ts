/**
 * The emulator's options, and the parsers that turn flag strings into them.
 * Bad values throw `UsageError`s that say what to write instead.
 */
import { UsageError } from '../errors.js';
import type { ApprovalMode, Route, Ticker } from './framework.js';
import type { Leniency } from './leniency.js';

/** Fault injection: probabilities in [0, 1] and a latency jitter in ms. */
export interface FaultSpec {
  /** Chance of a 503 problem before the handler runs (nothing written). */
  serverError: number;
  /** Chance, for write methods, of destroying the connection after the handler committed. */
  resetAfterCommit: number;
  /** Uniform ± jitter added to the latency, in ms. */
  latencyJitterMs: number;
}

export interface WebhookRetryOptions {
  /** Attempts in all, the first included (default 8; the real Paxos retries for 24 h). */
  attempts: number;
  /** Delay before the first retry; doubles each time, with jitter (default 1000 ms). */
  baseDelayMs: number;
  /** Cap on one delay (default 60 s). */
  maxDelayMs: number;
}

export interface EmulatorOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** Added before every answer. */
  latencyMs?: number;
  /** Kindnesses beyond documented Paxos, each named (`leniency.ts`); none by default. */
  lenient?: readonly Leniency[];
  /** `manual` (default, as the real sandbox), `auto`, `after:<duration>`, or a parsed mode. */
  approve?: string | ApprovalMode;
  /** `paxos` enforces the Paxos rate-limit table (the `emulator` command's default); `off` (the library's default) disables it. */
  rateLimits?: 'paxos' | 'off';
  /** The averaging window of the rate limits (default 300 s). */
  rateWindowMs?: number;
  /** How long a client that exceeded a limit gets 429 for everything (default 300 s). */
  lockoutMs?: number;
  /** `5xx=0.05,reset-after-commit=0.02,latency-jitter=20`, or a parsed spec. */
  faults?: string | FaultSpec;
  /** Seed of the fault PRNG, so a failing run replays (default 1). */
  seed?: number;
  /** Persist the whole state to this JSON file; reloaded on start. */
  dataFile?: string;
  /** POST a webhook for every event to this URL, with retries. */
  webhookUrl?: string;
  webhookRetry?: Partial<WebhookRetryOptions>;
  /** When set (both), the token endpoint accepts only these credentials. */
  clientId?: string;
  clientSecret?: string;
  /** The scopes the credential may ask for; a token request asking for another gets 400 invalid_scope. Default: every scope. */
  clientScopes?: readonly string[];
  /** Lifetime of issued tokens (default 3599, as Paxos). */
  tokenTtlSeconds?: number;
  /** The emulator's clock (tests control time with it). Default: the system clock. */
  now?: () => Date;
  /** Interval of the time-driven tickers (default 200 ms). */
  tickIntervalMs?: number;
  /** Serve these routes instead of `allRoutes()` (tests of the platform, extensions). */
  routes?: readonly Route[];
  /** Run these tickers instead of `allTickers()`. */
  tickers?: readonly Ticker[];

  // Money and markets (orders, deposits, prices).
  /** How long a SUBMITTED order waits for the book (a MARKET order fills then; default 0: at the next request or tick; the `emulator` command's 500 ms). */
  orderFillDelayMs?: number;
  /** How long a sandbox deposit stays out of the transfer listing and the balance (default 0: until the next request or tick; the `emulator` command's 3000 ms). */
  transferListingDelayMs?: number;
}

export const defaultSeed = 1;

const durationUnits: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `500ms`, `2s`, `5m`, `1h`; a bare number is seconds. */
export function parseDuration(text: string, flag = 'duration'): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!match) throw new UsageError(`${flag}: '${text}' is not a duration; write e.g. 500ms, 2s, 5m or 1h`);
  return Math.round(Number(match[1]) * (durationUnits[match[2] ?? 's'] ?? 1000));
}

/** `manual`, `auto` or `after:<duration>`. */
export function parseApprovalMode(text: string): ApprovalMode {
  if (text === 'manual' || text === 'auto') return { kind: text };
  if (text.startsWith('after:')) return { kind: 'after', delayMs: parseDuration(text.slice('after:'.length), '--approve after:') };
  throw new UsageError(`--approve: '${text}' is not an approval mode; write manual, auto or after:<duration> (e.g. after:2s)`);
}

const faultKeys = { '5xx': 'serverError', 'reset-after-commit': 'resetAfterCommit', 'latency-jitter': 'latencyJitterMs' } as const;

/** `5xx=0.05,reset-after-commit=0.02,latency-jitter=20` (any subset; empty: no faults). */
export function parseFaultSpec(text: string): FaultSpec {
  const spec: FaultSpec = { serverError: 0, resetAfterCommit: 0, latencyJitterMs: 0 };
  const hint = 'write e.g. 5xx=0.05,reset-after-commit=0.02,latency-jitter=20 (probabilities in 0..1, jitter in ms)';
  for (const part of text.split(',').map((piece) => piece.trim()).filter(Boolean)) {
    const [key, value, extra] = part.split('=');
    const field = faultKeys[key as keyof typeof faultKeys];
    const number = Number(value);
    if (!field || value === undefined || extra !== undefined || value.trim() === '' || !Number.isFinite(number) || number < 0) {
      throw new UsageError(`--faults: '${part}' is not a fault; ${hint}`);
    }
    if (field !== 'latencyJitterMs' && number > 1) throw new UsageError(`--faults: ${key} is a probability, got ${value}; ${hint}`);
    spec[field] = number;
  }
  return spec;
}

/** A non-negative integer flag (`--port`, `--latency`, `--seed`). */
export function parseNonNegativeInteger(text: string, flag: string): number {
  if (!/^\d+$/.test(text.trim())) throw new UsageError(`${flag}: '${text}' is not a whole number; write e.g. ${flag} 4010`);
  return Number(text);
}
