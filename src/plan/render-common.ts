/**
 * What the text and Markdown renderers share, so a reviewer reading a pull
 * request comment and a user at a terminal see the same symbols, the same
 * change lines and the same summary sentence.
 */
import type { FieldChange, Plan, PlanAction, PlanOrphan, PlanStep } from './plan-types.js';

/**
 * One symbol per action. `✓` is approve (the sandbox-status call that turns a
 * PENDING identity APPROVED), not "already fine": a converged resource is a
 * `noop`, hidden unless asked for, and shown as `·`.
 */
export const actionSymbols: Readonly<Record<PlanAction, string>> = {
  create: '+',
  update: '~',
  adopt: '=',
  approve: '✓',
  wait: '…',
  blocked: '!',
  noop: '·',
};

/** The words after each symbol in the legend. */
export const actionLegend: Readonly<Record<PlanAction, string>> = {
  create: 'create',
  update: 'update in place',
  adopt: 'adopt (exists remotely)',
  approve: 'approve (sandbox-status)',
  wait: 'wait (for Paxos)',
  blocked: 'blocked',
  noop: 'noop (unchanged)',
};

/** The order actions are listed in, in the legend, the summary and the Markdown table. */
export const actionOrder: readonly PlanAction[] = ['create', 'update', 'adopt', 'approve', 'wait', 'blocked', 'noop'];

/**
 * Approvals this run will make: steps whose action is `approve`, plus steps
 * created or adopted PENDING and then approved: the sandbox-status calls a
 * user will see (the confirmation question counts them).
 */
export function countApprovals(plan: Plan): number {
  return plan.summary.byAction.approve + plan.summary.then.approve;
}

/**
 * Every count of the summary under the name JSON gives it (`byAction.*`,
 * `skipped`, `then.*`), in the order the text and Markdown print them: one
 * vocabulary and one set of numbers for every format.
 */
export function summaryCounts(plan: Plan): Array<{ name: string; count: number }> {
  const { byAction, skipped, then } = plan.summary;
  const counts = actionOrder.map((action) => ({ name: action as string, count: byAction[action] }));
  const blockedAt = counts.findIndex((entry) => entry.name === 'blocked');
  counts.splice(blockedAt + 1, 0, { name: 'skipped', count: skipped });
  counts.push({ name: 'orphan', count: plan.summary.orphan });
  counts.push({ name: 'then approve', count: then.approve }, { name: 'then wait', count: then.wait });
  return counts;
}

/**
 * `Plan: 1 create, 0 update, 0 adopt, 1 approve, 0 wait, 1 blocked, 2 skipped, 4 noop; then 3 approve, 0 wait.`
 * The names are the JSON summary's keys; `then` counts what follows a create or an adopt in the same run.
 */
export function summarySentence(plan: Plan): string {
  const counts = summaryCounts(plan);
  const main = counts.filter((entry) => !entry.name.startsWith('then ')).map((entry) => `${entry.count} ${entry.name}`);
  const then = counts.filter((entry) => entry.name.startsWith('then ')).map((entry) => `${entry.count} ${entry.name.slice('then '.length)}`);
  return `Plan: ${main.join(', ')}; then ${then.join(', ')}.`;
}

export const noChangesSentence = 'No changes. The remote matches the manifest.';

/** The heading sentence of the orphans list, the same in text and Markdown. */
export const orphansHeading = 'Orphans: made under this manifest\'s ref_id prefix, no longer declared (apply --prune or destroy removes them):';

/** Deposits cannot be orphans, and the plan says why where it lists orphans. */
export const depositOrphanNote = 'Deposits have no key in the API: one dropped from the manifest is not listed here, and nothing undoes it.';

/** What follows `- orphan` on an orphan's line: kind, remote key, id, status, and what removing it takes. */
export function orphanDetails(orphan: PlanOrphan): string[] {
  return [orphan.kind, orphan.remoteKey, `id ${orphan.remoteId}`, ...(orphan.remoteStatus !== undefined ? [orphan.remoteStatus] : []), `(${orphan.teardown})`];
}

/** Whether a renderer should show a step: noops only on request. */
export function isShown(step: PlanStep, showUnchanged: boolean): boolean {
  return showUnchanged || step.action !== 'noop';
}

/**
 * What follows the address on a step line: how it is known remotely (its id
 * once it exists, else the key it will be created under), its status, and
 * what follows the main action: `ref_id=seed-person-alice  (then approve)`.
 */
export function stepDetails(step: PlanStep): string[] {
  const details: string[] = [];
  if (step.remoteId !== undefined) details.push(`id ${step.remoteId}`);
  else if (step.remoteKey !== undefined) details.push(step.remoteKey);
  if (step.description !== undefined) details.push(step.description);
  if (step.remoteStatus !== undefined) details.push(step.remoteStatus);
  if (step.then && step.then.length > 0) details.push(`(then ${step.then.join(', then ')})`);
  return details;
}

/**
 * A value as it appears in a change line: JSON, so strings are quoted and an
 * empty string is visible. Values arrive already masked; nothing here unmasks.
 */
export function formatValue(value: unknown): string {
  if (value === undefined) return '(none)';
  return JSON.stringify(value) ?? String(value);
}

/**
 * One change: `~ /address/city: "New York" → "Boston"`, `+ /email: "..."`
 * for a field the remote lacks, `- /email: "..."` for one the manifest drops.
 */
export function formatChange(change: FieldChange): { symbol: '~' | '+' | '-'; text: string } {
  const hasBefore = 'before' in change && change.before !== undefined;
  const hasAfter = 'after' in change && change.after !== undefined;
  const immutable = change.updatable ? '' : '  (cannot be changed: blocks this step)';
  if (!hasBefore) return { symbol: '+', text: `${change.path}: ${formatValue(change.after)}${immutable}` };
  if (!hasAfter) return { symbol: '-', text: `${change.path}: ${formatValue(change.before)}${immutable}` };
  return { symbol: '~', text: `${change.path}: ${formatValue(change.before)} → ${formatValue(change.after)}${immutable}` };
}

/** The `blockedBy` line, unless the reason already names that address ("depends on person.alice, which is blocked"). */
export function showBlockedBy(step: PlanStep): step is PlanStep & { blockedBy: string } {
  return step.blockedBy !== undefined && !(step.reason ?? '').includes(step.blockedBy);
}

/** Every warning of the plan with the address it belongs to, noops included: a warning is never hidden. */
export function planWarnings(plan: Plan): Array<{ address: string; message: string }> {
  return plan.steps.flatMap((step) => (step.warnings ?? []).map((message) => ({ address: step.address, message })));
}

const ansi = { reset: '\u001b[0m', bold: '\u001b[1m', dim: '\u001b[2m', red: '\u001b[31m', green: '\u001b[32m', yellow: '\u001b[33m', blue: '\u001b[34m', magenta: '\u001b[35m', cyan: '\u001b[36m' } as const;
export type Style = Exclude<keyof typeof ansi, 'reset'>;

/** `paint(style, text)`: ANSI colour when `color` (a terminal), the text as it is otherwise. */
export function painter(color: boolean): (style: Style, text: string) => string {
  return (style, text) => (color ? `${ansi[style]}${text}${ansi.reset}` : text);
}
