import { isManifestError, isPaxosOnboardError, type Issue } from '../errors.js';

/** `file:line:col  code  message` then an indented hint: the format editors and CI logs link. */
export function formatIssue(issue: Issue): string {
  const where = issue.file
    ? `${issue.file}${issue.line !== undefined ? `:${issue.line}:${issue.col ?? 1}` : ''}`
    : '<input>';
  const severity = issue.severity === 'warning' ? 'warning ' : '';
  const head = `${where}  ${severity}${issue.code}  ${issue.message}`;
  return issue.hint ? `${head}\n    hint: ${issue.hint}` : head;
}

/** The text a user sees for any error that reaches the CLI's one catch. */
export function renderError(error: unknown): string {
  if (isManifestError(error)) {
    const lines = error.issues.map(formatIssue);
    const errors = error.issues.filter((issue) => issue.severity !== 'warning').length;
    lines.push(`\n${errors} error${errors === 1 ? '' : 's'}; nothing was sent.`);
    return lines.join('\n');
  }
  if (isPaxosOnboardError(error)) return `error ${error.code}: ${error.message}`;
  if (error instanceof Error) return `unexpected error: ${error.stack ?? error.message}`;
  return `unexpected error: ${String(error)}`;
}
