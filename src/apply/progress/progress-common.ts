/**
 * What the progress renderers share, so a CI log and a terminal describe a
 * resource in the same words and with the plan's symbols: a step shown as
 * `+ person.alice` by `plan` is shown as `+ person.alice  creating` while it
 * runs and `+ person.alice  created  identity_id=…` once done.
 */
import { actionSymbols } from '../../plan/render-common.js';
import type { PlanAction } from '../../plan/plan-types.js';
import type { ApplyEvent, ApplyOutcome, ApplyPhase, ApplySummary } from '../apply-types.js';

/** What every renderer returns: feed it the executor's events, then wait for it to finish writing. */
export interface ApplyProgress {
  /** Never throws: a renderer's trouble must not stop an apply. */
  onEvent(event: ApplyEvent): void;
  /** Resolves once everything is written; never rejects. Does not end the stream (it is usually stderr). */
  close(): Promise<void>;
}

/** The words while a plan action runs. `noop` only reads: renderers do not show it starting. */
export const actionWords: Readonly<Record<PlanAction, string>> = {
  create: 'creating',
  update: 'updating',
  adopt: 'adopting',
  approve: 'approving',
  wait: 'waiting',
  noop: 'checking',
  blocked: 'blocked',
};

export const phaseWords: Readonly<Record<ApplyPhase, string>> = {
  approving: 'approving',
  'waiting-for-approval': 'waiting for approval',
  'waiting-for-fill': 'waiting for fill',
  'waiting-for-funds': 'waiting for the funds to arrive',
  reconciling: 'reconciling',
};

/** A phase takes the symbol of the plan action it carries out: approve `✓`, wait `…`, and reconciling is adopting what a lost answer created. */
export const phaseSymbols: Readonly<Record<ApplyPhase, string>> = {
  approving: actionSymbols.approve,
  'waiting-for-approval': actionSymbols.wait,
  'waiting-for-fill': actionSymbols.wait,
  'waiting-for-funds': actionSymbols.wait,
  reconciling: actionSymbols.adopt,
};

/**
 * An ending takes the symbol of the plan action that led to it, so `+` stays
 * "create" and `✓` stays "approve" as in the plan legend. `✗` (failed) and
 * `-` (skipped: a dependency failed) have no plan counterpart; `!` is
 * blocked, as in the plan.
 */
export const outcomeSymbols: Readonly<Record<ApplyOutcome, string>> = {
  created: actionSymbols.create,
  adopted: actionSymbols.adopt,
  updated: actionSymbols.update,
  unchanged: actionSymbols.noop,
  failed: '✗',
  blocked: actionSymbols.blocked,
  skipped: '-',
};

export const warningSymbol = '!';

/** The order outcomes are counted in, in the summary line. */
export const outcomeOrder: readonly ApplyOutcome[] = ['created', 'adopted', 'updated', 'unchanged', 'failed', 'blocked', 'skipped'];

type DoneEvent = Extract<ApplyEvent, { type: 'done' }>;
type SkippedEvent = Extract<ApplyEvent, { type: 'skipped' }>;

/** `created  identity_id=…  PENDING  <detail>`: what a done resource is known by now. */
export function doneText(event: DoneEvent): string {
  const ids = Object.entries(event.ids).map(([name, id]) => `${name}=${id}`);
  return [event.outcome, ...ids, ...(event.status === undefined ? [] : [event.status]), ...(event.detail === undefined ? [] : [event.detail])].join('  ');
}

/** Why a resource was skipped, naming the dependency unless the reason already does (as the plan's `blocked by` line). */
export function skipReason(event: SkippedEvent): string {
  // A step is never "blocked by" itself: the root of a chain carries its own reason.
  if (event.blockedBy === event.address || event.reason.includes(event.blockedBy)) return event.reason;
  return `${event.reason} (blocked by ${event.blockedBy})`;
}

/** `Apply: 3 created, 1 adopted, 0 updated, 2 unchanged, 1 failed, 0 blocked, 2 skipped in 12.3 s (41 calls, 0 × 429)` */
export function summaryLine(summary: ApplySummary): string {
  const counts = outcomeOrder.map((outcome) => `${summary.byOutcome[outcome] ?? 0} ${outcome}`).join(', ');
  return `Apply: ${counts} in ${seconds(summary.elapsedMs)} (${summary.calls} calls, ${summary.rateLimited} × 429)`;
}

/** `12.3 s`: tenths are enough for a run that waits on Paxos. */
export function seconds(ms: number): string {
  return `${(Math.max(0, ms) / 1000).toFixed(1)} s`;
}

/** `2 person, 1 account`, in the order the executor gave the kinds. */
export function kindCounts(byKind: Partial<Record<string, number>>): string {
  return Object.entries(byKind)
    .filter(([, count]) => (count ?? 0) > 0)
    .map(([kind, count]) => `${count} ${kind}`)
    .join(', ');
}


/** `! warning  person.alice: …`: a warning as both line renderers print it. */
export function warningLine(event: { address?: string; message: string }): string {
  return `${warningSymbol} warning  ${event.address === undefined ? '' : `${event.address}: `}${event.message}`;
}

/** The listener, made unable to throw: a display is never worth failing an apply over. */
export function neverThrowing(listener: (event: ApplyEvent) => void): (event: ApplyEvent) => void {
  return (event) => {
    try {
      listener(event);
    } catch {
      // A malformed event, a closed pipe: the outputs and the exit code still tell the result.
    }
  };
}
