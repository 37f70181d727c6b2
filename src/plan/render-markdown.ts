/**
 * The plan as a pull-request comment (GitOps review): a hidden marker a
 * workflow finds its comment by (`planMarker`), a heading, the summary
 * sentence, a table of counts per action, warnings, then one list item per
 * step with its field changes in a collapsed `diff` block. GitHub refuses a
 * comment over 65,536 characters, so the output stays under `maxLength`
 * (65,000): whole steps are left out from the end, and a closing note says how
 * many and how to see them. Pure: Plan in, string out; values are printed as
 * the plan holds them (masked unless it was made with `showSensitive`).
 */
import { createHash } from 'node:crypto';
import { escapeControl } from '../manifest/escape-control.js';
import {
  actionSymbols,
  formatValue,
  isShown,
  noChangesSentence,
  depositOrphanNote,
  orphanDetails,
  orphansHeading,
  planWarnings,
  showBlockedBy,
  summaryCounts,
  summarySentence,
} from './render-common.js';
import type { FieldChange, Plan, PlanStep } from './plan-types.js';

export interface MarkdownRenderOptions {
  /** Upper bound on the output's length in characters; default 65,000. */
  maxLength?: number;
  /** List `noop` steps too (they are otherwise only counted). */
  showUnchanged?: boolean;
}

export const defaultMarkdownLimit = 65_000;
const targetWords: Readonly<Record<Plan['target']['kind'], string>> = {
  local: 'the local emulator',
  url: 'a Paxos-compatible server',
  sandbox: 'the Paxos sandbox',
  production: 'Paxos **production**',
};
/** Warnings listed before the rest are only counted: the steps matter more in a capped comment. */
const maxWarningsListed = 20;
/** Room kept for the closing note, so adding it never crosses the limit. */
const noteReserve = 600;

export function renderPlanMarkdown(plan: Plan, options: MarkdownRenderOptions = {}): string {
  const maxLength = options.maxLength ?? defaultMarkdownLimit;
  const steps = plan.steps.filter((step) => isShown(step, options.showUnchanged ?? false));
  let output = `${[...headLines(plan), ...orphanLines(plan), ...warningLines(plan)].join('\n')}\n`;
  if (steps.length === 0) return output;

  output += '\n#### Steps\n\n';
  let written = 0;
  for (const step of steps) {
    const block = stepBlock(step);
    if (output.length + block.length + noteReserve > maxLength) break;
    output += block;
    written += 1;
  }
  const left = steps.length - written;
  if (left > 0) output += `\n${truncationNote(plan, left, maxLength)}\n`;
  return output;
}

/** Files named in the head: a directory of thousands must not eat the comment's budget. */
const maxFilesListed = 10;

function listFiles(files: readonly string[]): string {
  if (files.length === 0) return '(none)';
  const listed = files.slice(0, maxFilesListed).map(codeSpan).join(', ');
  return files.length > maxFilesListed ? `${listed} and ${files.length - maxFilesListed} more files` : listed;
}

/**
 * The first line of every Markdown plan of this manifest file set: a hidden
 * HTML comment a workflow finds to update its one comment instead of adding
 * one per push. It depends on the files' names only (sorted), not on their
 * contents or the remote, so every push of the same pull request yields it.
 */
export function planMarker(files: readonly string[]): string {
  const names = [...files].map((file) => file.replace(/\\/g, '/')).sort();
  const digest = createHash('sha256').update(names.join('\n')).digest('hex').slice(0, 16);
  return `<!-- paxos-onboard plan: ${digest} -->`;
}

/** Where the plan was made, in words: the embedded emulator's URL changes every run (a random port), so it is not shown. */
function targetPhrase(target: Plan['target']): string {
  if (target.kind === 'local') return targetWords.local;
  return `${targetWords[target.kind]} at ${codeSpan(target.apiUrl)}`;
}

function headLines(plan: Plan): string[] {
  const rows = summaryCounts(plan).map(({ name, count }) => {
    const symbol = (actionSymbols as Readonly<Record<string, string>>)[name];
    return `| ${symbol !== undefined ? `\`${symbol}\` ` : ''}${name} | ${count} |`;
  });
  const files = listFiles(plan.manifest.files);
  return [
    planMarker(plan.manifest.files),
    '### paxos-onboard plan',
    '',
    plan.summary.hasChanges ? `**${summarySentence(plan)}**` : `**${noChangesSentence}**`,
    '',
    `Manifest ${files} (environment \`${plan.manifest.environment}\`), planned against ${targetPhrase(plan.target)} with ${plan.refresh.calls} API call${plan.refresh.calls === 1 ? '' : 's'}.`,
    '',
    '| action | count |',
    '|---|---:|',
    ...rows,
  ];
}

/** Orphans, all of them: each is a change a reviewer must see (they are few; a world dropped whole is `destroy`'s). */
function orphanLines(plan: Plan): string[] {
  const orphans = plan.orphans ?? [];
  if (orphans.length === 0) return [];
  const lines = ['', '#### Orphans', '', orphansHeading, ''];
  for (const orphan of orphans) lines.push(`- \`-\` **orphan** ${orphanDetails(orphan).map(codeSpan).join(' · ')}`);
  lines.push('', `_${depositOrphanNote}_`);
  return lines;
}

function warningLines(plan: Plan): string[] {
  const warnings = planWarnings(plan);
  if (warnings.length === 0) return [];
  const lines = ['', '#### Warnings', ''];
  for (const warning of warnings.slice(0, maxWarningsListed)) lines.push(`- ${codeSpan(warning.address)}: ${inlineWithCode(warning.message)}`);
  if (warnings.length > maxWarningsListed) lines.push(`- … and ${warnings.length - maxWarningsListed} more (see \`--format text\`)`);
  return lines;
}

/** One list item; a step with changes carries them in a collapsed diff, HTML indented into the item. */
function stepBlock(step: PlanStep): string {
  const details = markdownDetails(step).join(' · ');
  const lines = [`- \`${actionSymbols[step.action]}\` **${step.action}** ${codeSpan(step.address)}${details ? ` — ${details}` : ''}`];
  if (step.reason !== undefined) lines.push(`  <br>reason: ${inlineWithCode(step.reason)}`);
  if (showBlockedBy(step)) lines.push(`  <br>blocked by ${codeSpan(step.blockedBy)}`);
  const changes = step.changes ?? [];
  if (changes.length > 0) {
    const diff = changes.flatMap(diffLines);
    const fence = fenceFor(diff.join('\n'));
    lines.push(
      '',
      `  <details><summary>${changes.length} field change${changes.length === 1 ? '' : 's'}</summary>`,
      '',
      `  ${fence}diff`,
      ...diff.map((line) => `  ${line}`),
      `  ${fence}`,
      '',
      '  </details>',
      '',
    );
  }
  return `${lines.join('\n')}\n`;
}

/** As in the text plan, with ids and keys as code so they copy cleanly. */
function markdownDetails(step: PlanStep): string[] {
  const details: string[] = [];
  if (step.remoteId !== undefined) details.push(`id ${codeSpan(step.remoteId)}`);
  else if (step.remoteKey !== undefined) details.push(codeSpan(step.remoteKey));
  if (step.description !== undefined) details.push(escapeInline(step.description));
  if (step.remoteStatus !== undefined) details.push(escapeInline(step.remoteStatus));
  if (step.then && step.then.length > 0) details.push(`then ${step.then.join(', then ')}`);
  return details;
}

/** `-` the remote value, `+` the manifest's: what GitHub colours red and green in a diff block. */
function diffLines(change: FieldChange): string[] {
  const note = change.updatable ? '' : '   # cannot be changed: blocks this step';
  const lines: string[] = [];
  if (change.before !== undefined) lines.push(escapeControl(`- ${change.path}: ${formatValue(change.before)}${change.after === undefined ? note : ''}`));
  if (change.after !== undefined) lines.push(escapeControl(`+ ${change.path}: ${formatValue(change.after)}${note}`));
  return lines;
}

function truncationNote(plan: Plan, left: number, maxLength: number): string {
  const files = plan.manifest.files.join(' ');
  const command = `paxos-onboard plan ${files.length > 0 && files.length <= 200 ? files : '<manifest...>'} --format text`;
  return `> **${left.toLocaleString('en-US')} more step${left === 1 ? '' : 's'} not shown**: a pull-request comment holds at most ${maxLength.toLocaleString('en-US')} characters. See every step with \`${command.replace(/`/g, "'")}\`.`;
}

/** A code span that survives backticks in its text (CommonMark: a longer fence, padded). */
function codeSpan(raw: string): string {
  const text = escapeControl(raw);
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return longest > 0 ? `${fence} ${text} ${fence}` : `${fence}${text}${fence}`;
}

function fenceFor(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  return '`'.repeat(Math.max(3, longest + 1));
}

/**
 * A reason or warning: the planner quotes fields and addresses in backticks
 * (`` `/cip_id` ``), which stay code spans; everything else is escaped.
 */
export function inlineWithCode(text: string): string {
  return text
    .split(/(`[^`\n]+`)/)
    .map((part) => (part.length > 2 && part.startsWith('`') && part.endsWith('`') ? codeSpan(part.slice(1, -1)) : escapeInline(part)))
    .join('');
}

/** Free text (reasons, warnings, keys) as inert Markdown: no links, emphasis or HTML from data. */
export function escapeInline(text: string): string {
  return escapeControl(text.replace(/[\r\n]+/g, ' '))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|~#!])/g, '\\$1');
}
