/**
 * The teardown plan of `destroy` and `apply --prune` for a terminal: one line
 * per object in the order it will be torn down, what it takes, and a summary
 * with the same names as the JSON (`byAction`). Pure: plan in, string out.
 */
import { escapeControl } from '../manifest/escape-control.js';
import { painter } from './render-common.js';
import { teardownActions, type TeardownPlan, type TeardownStep } from './teardown-plan.js';

export function renderTeardownText(plan: TeardownPlan, options: { color: boolean; showUnchanged?: boolean }): string {
  const paint = painter(options.color);
  const shown = plan.steps.filter((step) => options.showUnchanged === true || step.action !== 'noop');
  const lines: string[] = [];
  for (const step of shown) lines.push(stepLine(step, paint));
  if (shown.length > 0) lines.push('');
  lines.push(plan.summary.hasChanges ? paint('bold', teardownSentence(plan)) : paint('green', `Nothing to ${plan.mode}: everything of this manifest's making is down already.`));
  return `${lines.join('\n')}\n`;
}

/** `Destroy: 1 cancel, 0 deactivate, 4 disable, 2 noop.` */
export function teardownSentence(plan: TeardownPlan): string {
  const counts = teardownActions.map((action) => `${plan.summary.byAction[action]} ${action}`);
  return `${plan.mode === 'destroy' ? 'Destroy' : 'Prune'}: ${counts.join(', ')}.`;
}

function stepLine(step: TeardownStep, paint: ReturnType<typeof painter>): string {
  const name = step.address ?? `orphan ${step.kind}`;
  const details = [...(step.remoteKey !== undefined ? [step.remoteKey] : []), `id ${step.remoteId}`, ...(step.remoteStatus !== undefined ? [step.remoteStatus] : []), ...(step.reason !== undefined ? [`(${step.reason})`] : [])];
  const style = step.action === 'noop' ? 'dim' : 'red';
  return `  ${paint(style, `- ${step.action.padEnd(10)} ${escapeControl(name)}`)}  ${paint('dim', details.map(escapeControl).join('  '))}`;
}
