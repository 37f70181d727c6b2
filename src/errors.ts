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
