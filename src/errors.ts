/**
 * The typed error hierarchy. Every error the library throws carries a stable
 * `code` that callers (and the CLI's exit handling) branch on; messages are for
 * people and may change.
 */

/** A problem found in user input, located at a file position when known. */
export interface Issue {
  /** Stable machine code, e.g. `schema.required` or `ref.unresolved`. */
  code: string;
  message: string;
  file?: string;
  line?: number;
  col?: number;
  /** What to write instead, when we can tell. */
  hint?: string;
  severity?: 'error' | 'warning';
  /** The generated resource the issue is about, when a generator made it (`trader-17`): the position is the generator's. */
  instance?: string;
}

export class PaxosOnboardError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PaxosOnboardError';
    this.code = code;
  }
}

/** Input (manifests, flags, files) that cannot be used; nothing was sent. */
export class ManifestError extends PaxosOnboardError {
  readonly issues: readonly Issue[];

  constructor(issues: readonly Issue[], options?: { cause?: unknown }) {
    const first = issues[0];
    super(
      'manifest.invalid',
      issues.length === 1 && first ? first.message : `${issues.length} problems in the manifest`,
      options,
    );
    this.name = 'ManifestError';
    this.issues = issues;
  }
}

/** A command-line usage problem the user can fix by changing the invocation. */
export class UsageError extends PaxosOnboardError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('usage', message, options);
    this.name = 'UsageError';
  }
}

export function isPaxosOnboardError(error: unknown): error is PaxosOnboardError {
  return error instanceof PaxosOnboardError;
}

export function isManifestError(error: unknown): error is ManifestError {
  return error instanceof ManifestError;
}

/** An RFC 7807 problem as Paxos answers it. */
export interface PaxosProblem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  meta?: Record<string, unknown>;
}

/** Paxos answered, and not with a 2xx: the status and the problem it sent. Never carries the token. */
export class PaxosApiError extends PaxosOnboardError {
  readonly status: number;
  readonly problem: PaxosProblem;
  readonly method: string;
  readonly path: string;
  readonly requestId: string | undefined;
  /**
   * True when this answer came to a repeat of a request whose earlier attempt
   * ended without a clear answer (a 5xx, a lost connection): a 409 then most
   * likely names what that earlier attempt made.
   */
  readonly afterUncertainAttempt: boolean;

  constructor(init: { status: number; problem: PaxosProblem; method: string; path: string; requestId?: string | undefined; afterUncertainAttempt?: boolean }, options?: { cause?: unknown }) {
    const detail = init.problem.detail ?? init.problem.title ?? 'no detail';
    super(`paxos.http_${init.status}`, `${init.method} ${init.path} answered ${init.status}: ${detail}`, options);
    this.name = 'PaxosApiError';
    this.status = init.status;
    this.problem = init.problem;
    this.method = init.method;
    this.path = init.path;
    this.requestId = init.requestId;
    this.afterUncertainAttempt = init.afterUncertainAttempt ?? false;
  }

  /** What a 409 on our own key means for the outputs: made by this run's earlier attempt, or found. */
  get conflictOutcome(): 'created' | 'adopted' {
    return this.afterUncertainAttempt ? 'created' : 'adopted';
  }

  /** `meta.existing.id` of a 409 Already Exists, when present. */
  get existingId(): string | undefined {
    const existing = this.problem.meta?.existing;
    if (typeof existing !== 'object' || existing === null) return undefined;
    const id = (existing as Record<string, unknown>).id;
    return typeof id === 'string' ? id : undefined;
  }
}

/**
 * A write whose outcome is unknown: the connection failed (or a 5xx came)
 * after the request was sent, and the request is not safe to repeat. The
 * caller reconciles against the remote before anything is sent again.
 */
export class PaxosAmbiguousError extends PaxosOnboardError {
  readonly method: string;
  readonly path: string;
  /** The 5xx status that came instead of an answer; undefined when no answer came at all. */
  readonly status: number | undefined;
  /** What happened, for people: `503 (upstream timeout)`, or the transport error code (`UND_ERR_SOCKET`). */
  readonly failure: string | undefined;

  constructor(method: string, path: string, options?: { cause?: unknown; status?: number; failure?: string }) {
    const what = options?.status !== undefined ? `answered ${options.failure ?? options.status}` : `no answer${options?.failure ? ` (${options.failure})` : ''}`;
    super('paxos.ambiguous', `${method} ${path}: ${what}, so whether it took effect is unknown; reconcile before retrying`, options);
    this.name = 'PaxosAmbiguousError';
    this.method = method;
    this.path = path;
    this.status = options?.status;
    this.failure = options?.failure;
  }
}

/** A request that could not get an answer after its retries (connection refused, resets, timeouts, 5xx). */
export class PaxosNetworkError extends PaxosOnboardError {
  readonly method: string;
  readonly path: string;
  /** Attempts made, the first included; `cause` holds the last failure. */
  readonly attempts: number;
  /** The last failure, for people: `503 (upstream timeout)`, or the transport error code (`ECONNREFUSED`). */
  readonly lastFailure: string | undefined;

  constructor(method: string, path: string, attempts: number, options?: { cause?: unknown; lastFailure?: string }) {
    const last = options?.lastFailure === undefined ? '' : `; the last was ${options.lastFailure}`;
    super('paxos.unreachable', `${method} ${path}: no usable answer after ${attempts} attempt${attempts === 1 ? '' : 's'}${last}`, options);
    this.name = 'PaxosNetworkError';
    this.method = method;
    this.path = path;
    this.attempts = attempts;
    this.lastFailure = options?.lastFailure;
  }
}

/** The OAuth token could not be had (bad credentials, unreachable token endpoint). */
export class PaxosAuthError extends PaxosOnboardError {
  /** `paxos.auth`, or `paxos.missing_scope` when the key was not granted a scope the run needs. */
  constructor(message: string, options?: { cause?: unknown; code?: 'paxos.auth' | 'paxos.missing_scope' }) {
    super(options?.code ?? 'paxos.auth', message, options);
    this.name = 'PaxosAuthError';
  }
}

export function isPaxosApiError(error: unknown): error is PaxosApiError {
  return error instanceof PaxosApiError;
}
