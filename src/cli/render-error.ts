import { isManifestError, isPaxosApiError, isPaxosOnboardError, type Issue, type PaxosOnboardError } from '../errors.js';
import { escapeControl } from '../manifest/escape-control.js';

/**
 * `file:line:col  code  message` then an indented hint: the format editors
 * and CI logs link. Messages quote keys and values from the manifest, and
 * file names come from the user: control characters in any of them are
 * shown escaped (`\x1b`), never sent to the terminal.
 */
export function formatIssue(issue: Issue): string {
  const where = issue.file
    ? `${escapeControl(issue.file)}${issue.line !== undefined ? `:${issue.line}:${issue.col ?? 1}` : ''}`
    : '<input>';
  const severity = issue.severity === 'warning' ? 'warning ' : '';
  const head = `${where}  ${severity}${escapeControl(issue.code)}  ${escapeControl(issue.message)}`;
  return issue.hint ? `${head}\n    hint: ${escapeControl(issue.hint)}` : head;
}

/** The text a user sees for any error that reaches the CLI's one catch. */
export function renderError(error: unknown): string {
  if (isManifestError(error)) {
    const lines = error.issues.map(formatIssue);
    const errors = error.issues.filter((issue) => issue.severity !== 'warning').length;
    lines.push(`\n${errors} error${errors === 1 ? '' : 's'}; nothing was sent.`);
    return lines.join('\n');
  }
  if (isPaxosOnboardError(error)) return [`error ${escapeControl(error.code)}: ${escapeLines(error.message)}`, ...answerDetails(error)].join('\n');
  if (error instanceof Error) return `unexpected error: ${escapeLines(error.stack ?? error.message)}`;
  return `unexpected error: ${escapeLines(String(error))}`;
}

/** Multi-line text (a stack, a message the tool wrote over lines) with its lines kept and every other control character escaped. */
function escapeLines(text: string): string {
  return text.split('\n').map(escapeControl).join('\n');
}

/**
 * What Paxos support asks for: the request id and problem type of the answer
 * (a PaxosApiError, or the last 5xx behind a network or ambiguous error).
 * Headers and types come from the server, so they are shown one line each,
 * control characters dropped; tokens and secrets are never in them (the
 * client scrubs what a server echoes).
 */
function answerDetails(error: PaxosOnboardError): string[] {
  const answer = isPaxosApiError(error) ? error : isPaxosApiError(error.cause) ? error.cause : undefined;
  if (!answer) return [];
  const lines: string[] = [];
  if (answer.requestId) lines.push(`  request id: ${printable(answer.requestId)}`);
  if (answer.problem.type && answer.problem.type !== 'about:blank') lines.push(`  problem type: ${printable(answer.problem.type)}`);
  return lines;
}

function printable(text: string): string {
  const clean = escapeControl(text.trim());
  return clean.length > 200 ? `${clean.slice(0, 200)}…` : clean;
}
