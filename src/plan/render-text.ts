/**
 * The plan for a terminal, in the manner of `terraform plan`: a legend of the
 * symbols used, one line per step, the field differences under an update or
 * a blocked step, the reason under a blocked one, warnings, and a summary
 * sentence. Pure: Plan in, string out. The plan's values are already masked
 * (unless it was made with `showSensitive`); this prints them as they are.
 */
import {
  painter,
  type Style,
  actionLegend,
  actionOrder,
  actionSymbols,
  formatChange,
  isShown,
  noChangesSentence,
  depositOrphanNote,
  orphanDetails,
  orphansHeading,
  planWarnings,
  showBlockedBy,
  stepDetails,
  summarySentence,
} from './render-common.js';
import { escapeControl } from '../manifest/escape-control.js';
import type { Plan, PlanAction, PlanStep } from './plan-types.js';

export interface TextRenderOptions {
  /** ANSI colours: the CLI passes true only for a TTY with neither `NO_COLOR` nor `CI` set. */
  color: boolean;
  /** List `noop` steps too (they are otherwise only counted). */
  showUnchanged?: boolean;
}


const actionStyles: Readonly<Record<PlanAction, Style>> = {
  create: 'green',
  update: 'yellow',
  adopt: 'cyan',
  approve: 'magenta',
  wait: 'blue',
  blocked: 'red',
  noop: 'dim',
};

const changeStyles = { '+': 'green', '-': 'red', '~': 'yellow' } as const;

/** Longer addresses are not padded to: one long key should not push every line right. */
const maxAddressColumn = 40;

export function renderPlanText(plan: Plan, options: TextRenderOptions): string {
  const paint = painter(options.color);
  const showUnchanged = options.showUnchanged ?? false;
  const steps = plan.steps.filter((step) => isShown(step, showUnchanged));
  const lines: string[] = [paint('dim', refreshLine(plan)), ''];

  if (steps.length > 0) {
    const used = actionOrder.filter((action) => steps.some((step) => step.action === action));
    lines.push(`Symbols: ${used.map((action) => `${paint(actionStyles[action], actionSymbols[action])} ${actionLegend[action]}`).join('   ')}`, '');
    const column = Math.min(maxAddressColumn, Math.max(...steps.map((step) => step.address.length)));
    for (const step of steps) lines.push(...stepLines(step, column, paint));
    lines.push('');
  }

  const orphans = plan.orphans ?? [];
  if (orphans.length > 0) {
    lines.push(orphansHeading);
    for (const orphan of orphans) lines.push(`  ${paint('red', '- orphan')}  ${paint('dim', orphanDetails(orphan).map(escapeControl).join('  '))}`);
    lines.push(paint('dim', `  ${depositOrphanNote}`), '');
  }

  const warnings = planWarnings(plan);
  if (warnings.length > 0) {
    lines.push(paint('yellow', 'Warnings:'));
    for (const warning of warnings) lines.push(`  - ${escapeControl(warning.address)}: ${escapeControl(warning.message)}`);
    lines.push('');
  }

  lines.push(plan.summary.hasChanges ? paint('bold', summarySentence(plan)) : paint('green', noChangesSentence));
  return `${lines.join('\n')}\n`;
}

function refreshLine(plan: Plan): string {
  const resources = plan.steps.length;
  const { calls, retries, rateLimited } = plan.refresh;
  const troubles = [
    ...(retries ? [`${retries} repeated after a failure`] : []),
    ...(rateLimited ? [`${rateLimited} rate-limited (429)`] : []),
  ];
  return `Refreshed ${resources} resource${resources === 1 ? '' : 's'} with ${calls} API call${calls === 1 ? '' : 's'}${troubles.length > 0 ? ` (${troubles.join(', ')})` : ''}.`;
}

function stepLines(step: PlanStep, column: number, paint: (style: Style, text: string) => string): string[] {
  const style = actionStyles[step.action];
  // Keys, values and server answers are escaped before painting: only the painter writes escape sequences.
  const details = stepDetails(step).map(escapeControl);
  const symbolAndAddress = `${actionSymbols[step.action]} ${escapeControl(step.address)}`;
  const lines = [
    details.length > 0
      ? `  ${paint(style, symbolAndAddress.padEnd(column + 2))}  ${paint('dim', details.join('  '))}`
      : `  ${paint(style, symbolAndAddress)}`,
  ];
  for (const change of step.changes ?? []) {
    const { symbol, text } = formatChange(change);
    lines.push(`      ${paint(change.updatable ? changeStyles[symbol] : 'red', `${symbol} ${escapeControl(text)}`)}`);
  }
  if (step.reason !== undefined) lines.push(`      ${paint('red', `reason: ${escapeControl(step.reason)}`)}`);
  if (showBlockedBy(step)) lines.push(`      ${paint('red', `blocked by: ${escapeControl(step.blockedBy)}`)}`);
  return lines;
}
