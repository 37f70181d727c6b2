/**
 * Manifest options with their defaults: the one place defaults live.
 */

export type Environment = 'local' | 'sandbox' | 'production';
export type CipIdConflictPolicy = 'fail' | 'adopt';
export type ApprovalMode = 'sandbox' | 'wait' | 'none';

export interface ManifestOptions {
  /** Prepended to derived ref_ids and nicknames: `<prefix><kind>-<key>`. */
  refIdPrefix: string;
  /** What to do when Paxos already has the legal entity under another ref_id. */
  onCipIdConflict: CipIdConflictPolicy;
  /** How identities get approved: via sandbox-status, by waiting for Paxos, or not at all. */
  approval: ApprovalMode;
  /** How long to wait for approvals, as written (`10m`). */
  approvalTimeout: string;
  /** The same, in milliseconds. */
  approvalTimeoutMs: number;
}

export const defaultOptions: Readonly<ManifestOptions> = {
  refIdPrefix: '',
  onCipIdConflict: 'fail',
  approval: 'sandbox',
  approvalTimeout: '10m',
  approvalTimeoutMs: 10 * 60_000,
};

/** Applies defaults to the written `options` (already schema-checked). */
export function resolveOptions(written: Readonly<Record<string, unknown>>): ManifestOptions {
  const approvalTimeout =
    typeof written.approval_timeout === 'string' ? written.approval_timeout : defaultOptions.approvalTimeout;
  return {
    refIdPrefix: typeof written.ref_id_prefix === 'string' ? written.ref_id_prefix : defaultOptions.refIdPrefix,
    onCipIdConflict: pick(written.on_cip_id_conflict, ['fail', 'adopt'], defaultOptions.onCipIdConflict),
    approval: pick(written.approval, ['sandbox', 'wait', 'none'], defaultOptions.approval),
    approvalTimeout,
    approvalTimeoutMs: parseDuration(approvalTimeout) ?? defaultOptions.approvalTimeoutMs,
  };
}

const unitMs: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `250ms`, `30s`, `10m`, `2h` → milliseconds; undefined when not of that form. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+)(ms|s|m|h)$/.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * (unitMs[match[2] ?? ''] ?? 0);
}

function pick<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback;
}
