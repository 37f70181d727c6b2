/**
 * The table printed after an apply: one row per resource with its outcome,
 * its status and its main Paxos id, in the outputs' (plan) order, and why
 * under a row that did not go through:
 *
 *   ADDRESS           OUTCOME  STATUS    ID
 *   person.alice      created  APPROVED  34bc4c77-c502-4b6d-bb7a-82c355c5a475
 *   order.buy         failed   -         -
 *       order.rejected: insufficient funds
 *
 * Pure: outputs in, string out. It prints only what the outputs hold (ids,
 * statuses, masked reasons; no PII by contract) and ids in full: they are
 * what a user copies from here.
 */
import { painter, type Style } from '../../plan/render-common.js';
import type { ApplyOutcome, ApplyOutputs, ResourceOutput } from '../apply-types.js';

export interface OutputsTableOptions {
  /** ANSI colours: the CLI passes true only for a TTY with neither `NO_COLOR` nor `CI` set. */
  color: boolean;
  /**
   * The terminal's width, when known: a table wider than it would wrap mid-id,
   * so it becomes a list (each id on a line of its own, whole). Unset (a pipe,
   * a file): always the table.
   */
  width?: number;
}

/** The plan renderer's colours for the action each outcome comes from; red for what did not go through. */
const outcomeStyles: Readonly<Record<ApplyOutcome, Style>> = {
  created: 'green',
  adopted: 'cyan',
  updated: 'yellow',
  unchanged: 'dim',
  failed: 'red',
  blocked: 'red',
  skipped: 'yellow',
};

const header = ['ADDRESS', 'OUTCOME', 'STATUS', 'ID'] as const;
const none = '-';

export function renderOutputsTable(outputs: ApplyOutputs, options: OutputsTableOptions): string {
  const paint = painter(options.color);
  const entries = Object.entries(outputs.resources);
  if (entries.length === 0) return 'No resources.\n';

  const rows = entries.map(([address, output]) => ({ cells: [address, output.outcome, output.status ?? none, mainId(output)] as const, output }));
  // Widths from the unpainted text, so colour codes do not push columns apart.
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row.cells[column]?.length ?? 0)));
  const line = (cells: readonly string[], style?: (column: number, text: string) => string): string =>
    cells
      .map((cell, column) => {
        const padded = column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0);
        return style ? style(column, padded) : padded;
      })
      .join('  ');

  const tableWidth = widths.reduce((sum, width) => sum + width, 0) + 2 * (widths.length - 1);
  const asList = options.width !== undefined && tableWidth > options.width;
  const lines = asList ? [] : [paint('bold', line(header))];
  for (const [address, { cells, output }] of rows.map((row, index) => [entries[index]?.[0] ?? '', row] as const)) {
    if (asList) {
      lines.push(`${paint('bold', address)}  ${paint(outcomeStyles[output.outcome], output.outcome)}${output.status === undefined ? '' : `  ${output.status}`}`);
      if (output.id !== undefined) lines.push(`    id          ${output.id}`);
    } else {
      lines.push(line(cells, (column, text) => (column === 1 ? paint(outcomeStyles[output.outcome], text) : text)));
    }
    // An account's profile is where its deposits and orders go: its id is the one a test or a script needs next.
    const profileId = output.ids.profile_id;
    if (profileId !== undefined && profileId !== output.id) lines.push(`    profile_id  ${profileId}`);
    const reason = reasonOf(output, address);
    if (reason !== undefined) lines.push(`    ${paint('red', reason)}`);
    for (const warning of output.warnings ?? []) lines.push(`    ${paint('yellow', `warning: ${warning}`)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The object's own Paxos id: what a user copies. */
function mainId(output: ResourceOutput): string {
  return output.id ?? none;
}

/**
 * Why a resource did not go through: a failure with its code (what to look
 * up), a blocked or skipped one with its reason, naming the dependency unless
 * the reason already does (as the plan's `blocked by` line).
 */
function reasonOf(output: ResourceOutput, address: string): string | undefined {
  if (output.outcome === 'failed') return output.error ? `${output.error.code}: ${output.error.message}` : undefined;
  if (output.outcome !== 'blocked' && output.outcome !== 'skipped') return undefined;
  const reason = output.error?.message;
  // Never "blocked by" itself: the root of a chain carries its own reason.
  const by = output.blockedBy !== undefined && output.blockedBy !== address && !(reason ?? '').includes(output.blockedBy) ? output.blockedBy : undefined;
  if (reason === undefined && by === undefined) return undefined;
  return `${output.outcome}: ${[reason, by === undefined ? undefined : `(blocked by ${by})`].filter((part) => part !== undefined).join(' ')}`;
}
