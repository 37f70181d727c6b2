/**
 * The identity status machine. Sub-statuses live in the details, as the API
 * shows them; the summary follows from them:
 * - disabled by the user or an admin → DISABLED;
 * - any sub-status DENIED → DENIED, DISABLED → DISABLED, ERROR → ERROR;
 * - a person → APPROVED once id verification and sanctions are APPROVED;
 * - an institution → APPROVED once sanctions are APPROVED (the spec's
 *   sandbox-status text); document verification blocks only when DENIED or
 *   ERROR, so a PENDING document review does not hold an approved institution;
 * - otherwise PENDING.
 * Every summary change to APPROVED, DENIED or DISABLED emits the matching
 * `identity.*` event (the webhook types Paxos has); other changes emit none.
 */
import { verifiedFields } from '../../domain/paxos-rules.js';
import type { ApprovalMode, RouteContext, Ticker } from '../framework.js';
import type { EmulatorState } from '../state.js';
import type { IdentityRecord } from './records.js';

type Clock = Pick<RouteContext, 'now' | 'newId' | 'emitEvent'>;

export const subStatusFields = {
  PERSON: ['id_verification_status', 'sanctions_verification_status', 'additional_screening_status'],
  INSTITUTION: ['sanctions_verification_status', 'document_verification_status', 'additional_screening_status'],
} as const;

/** The sub-statuses an automatic decision sets to APPROVED (`--approve auto|after:`). */
const approvedByDecision = {
  PERSON: ['id_verification_status', 'sanctions_verification_status'],
  INSTITUTION: ['sanctions_verification_status', 'document_verification_status'],
} as const;

const eventTypeBySummary: Record<string, string> = {
  APPROVED: 'identity.approved',
  DENIED: 'identity.denied',
  DISABLED: 'identity.disabled',
};

export function detailsOf(identity: IdentityRecord): Record<string, unknown> {
  if (identity.type === 'PERSON') return (identity.person_details ??= {});
  return (identity.institution_details ??= {});
}

/**
 * Sub-statuses of a new identity: all PENDING, except that a person verified
 * by a passthrough provider takes its id verification from
 * `passthrough_verification_status` (as the spec's passthrough example shows).
 */
export function setInitialSubStatuses(identity: IdentityRecord): void {
  const details = detailsOf(identity);
  for (const field of subStatusFields[identity.type]) details[field] = 'PENDING';
  if (identity.type === 'PERSON' && details.verifier_type === 'PASSTHROUGH' && typeof details.passthrough_verification_status === 'string') {
    details.id_verification_status = details.passthrough_verification_status;
  }
}

export function computeSummary(identity: IdentityRecord): string {
  if (identity.user_disabled || identity.admin_disabled) return 'DISABLED';
  const details = detailsOf(identity);
  const statuses = subStatusFields[identity.type].map((field) => details[field]);
  for (const decisive of ['DENIED', 'DISABLED', 'ERROR']) if (statuses.includes(decisive)) return decisive;
  const approved = identity.type === 'PERSON'
    ? details.id_verification_status === 'APPROVED' && details.sanctions_verification_status === 'APPROVED'
    : details.sanctions_verification_status === 'APPROVED';
  return approved ? 'APPROVED' : 'PENDING';
}

/** Recomputes the summary; on a change, stamps `updated_at` and emits the event. */
export function refreshSummary(state: EmulatorState, identity: IdentityRecord, clock: Clock): void {
  const next = computeSummary(identity);
  const previous = identity.summary_status;
  if (next === previous) return;
  identity.summary_status = next;
  identity.updated_at = clock.now().toISOString();
  if (next !== 'PENDING') delete state.identityDecideAt[identity.id];
  const type = eventTypeBySummary[next];
  if (type) clock.emitEvent(type, { id: clock.newId(), identity_id: identity.id, old_summary_status: previous, new_summary_status: next });
}

export interface SandboxStatusInput {
  id_verification_status?: string;
  sanctions_verification_status?: string;
  document_verification_status?: string;
  additional_screening_status?: string;
  user_disabled?: { disabled?: boolean };
  admin_disabled?: { disabled?: boolean };
}

/**
 * `PUT .../sandbox-status`: sets the sub-statuses given (those that do not
 * apply to the identity's type are ignored, having nowhere to live) and the
 * disabled flags, then lets the summary follow.
 */
export function applySandboxStatus(state: EmulatorState, identity: IdentityRecord, input: SandboxStatusInput, clock: Clock): void {
  const details = detailsOf(identity);
  for (const field of subStatusFields[identity.type]) {
    const value = input[field as keyof SandboxStatusInput];
    if (typeof value === 'string') details[field] = value;
  }
  if (input.user_disabled?.disabled !== undefined) identity.user_disabled = input.user_disabled.disabled;
  if (input.admin_disabled?.disabled !== undefined) identity.admin_disabled = input.admin_disabled.disabled;
  identity.updated_at = clock.now().toISOString();
  refreshSummary(state, identity, clock);
}

/** What the emulator decides by itself about a PENDING identity: approve it. */
function decide(state: EmulatorState, identity: IdentityRecord, clock: Clock): void {
  const details = detailsOf(identity);
  for (const field of approvedByDecision[identity.type]) if (details[field] === 'PENDING') details[field] = 'APPROVED';
  delete state.identityDecideAt[identity.id];
  refreshSummary(state, identity, clock);
}

/**
 * An APPROVED identity whose verified details changed goes back to PENDING:
 * the sub-statuses of each verification to redo become PENDING (a passthrough
 * person's id verification is again the provider's answer, as at creation),
 * and the approval mode decides it again as it would a new identity. Paxos
 * has no event for a return to PENDING (no such webhook type), so none is
 * emitted; `updated_at` moves, and the next decision emits its own event.
 */
export function reopenVerification(state: EmulatorState, identity: IdentityRecord, changedFields: readonly string[], approval: ApprovalMode, clock: Clock): void {
  if (identity.summary_status !== 'APPROVED') return;
  const table = verifiedFields[identity.type];
  const redo = new Set(changedFields.flatMap((field) => table[field] ?? []));
  if (redo.size === 0) return;
  const details = detailsOf(identity);
  for (const field of redo) details[field] = 'PENDING';
  if (redo.has('id_verification_status') && details.verifier_type === 'PASSTHROUGH' && typeof details.passthrough_verification_status === 'string') {
    details.id_verification_status = details.passthrough_verification_status;
  }
  refreshSummary(state, identity, clock);
  scheduleDecision(state, identity, approval, clock);
}

/** Applies the approval mode to a freshly created identity. */
export function scheduleDecision(state: EmulatorState, identity: IdentityRecord, approval: ApprovalMode, clock: Clock): void {
  if (identity.summary_status !== 'PENDING' || approval.kind === 'manual') return;
  if (approval.kind === 'auto') decide(state, identity, clock);
  else state.identityDecideAt[identity.id] = new Date(clock.now().getTime() + approval.delayMs).toISOString();
}

/** `--approve after:<duration>`: decides every identity whose delay has passed. */
export const identityDecisionTicker: Ticker = (context) => {
  const due = Object.entries(context.state.identityDecideAt);
  if (due.length === 0) return false;
  const nowMs = context.now().getTime();
  let changed = false;
  for (const [id, at] of due) {
    if (Date.parse(at) > nowMs) continue;
    const identity = context.state.identities[id];
    if (identity?.summary_status === 'PENDING') decide(context.state, identity, context);
    delete context.state.identityDecideAt[id];
    changed = true;
  }
  return changed;
};
