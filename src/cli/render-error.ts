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

/** Where a user reports an error the tool did not expect. */
export const reportUrl = 'https://github.com/paxos-onboard/paxos-onboard/issues';

/** What every output format says about an error: a stable code, one message, what to do, and the trace only when asked. */
export interface ErrorDescription {
  code: string;
  message: string;
  hint?: string;
  /** Manifest problems, each with its position. */
  issues?: readonly Issue[];
  /** Support details of a Paxos answer (request id, problem type). */
  details?: Record<string, string>;
  /** A bug, not a problem with the input or the machine: says how to report it. */
  unexpected?: boolean;
  stack?: string;
}

/**
 * Errors of the machine, not of the tool: a port in use, a file that cannot
 * be read or written. Node's own messages name a syscall; these say what to
 * change. Keyed by the system error code, which is stable, never by message text.
 */
const systemErrors: Record<string, { code: string; say: (error: SystemError) => string; hint: string }> = {
  EADDRINUSE: { code: 'system.port_in_use', say: (e) => `${where(e, 'the port')} is already in use`, hint: 'stop what listens there, or choose another port (--port 0 takes any free one)' },
  EADDRNOTAVAIL: { code: 'system.address_unavailable', say: (e) => `cannot listen on ${where(e, 'that address')}: the address is not on this machine`, hint: 'use --host 127.0.0.1, or an address of this machine' },
  ERR_SOCKET_BAD_PORT: { code: 'system.bad_port', say: () => 'that port does not exist', hint: 'a port is a whole number from 0 to 65535 (0: any free port)' },
  EACCES: { code: 'system.permission_denied', say: (e) => `permission denied${e.path ? ` on ${e.path}` : e.port !== undefined ? ` to listen on port ${e.port}` : ''}`, hint: 'check the file’s permissions, or use a port above 1023' },
  EPERM: { code: 'system.permission_denied', say: (e) => `operation not permitted${e.path ? ` on ${e.path}` : ''}`, hint: 'check the permissions of the file and its folder' },
  ENOENT: { code: 'system.not_found', say: (e) => `${e.path ?? 'a file'} does not exist`, hint: 'check the path (relative paths start from the working directory)' },
  EISDIR: { code: 'system.is_a_folder', say: (e) => `${e.path ?? 'the path'} is a folder, where a file was expected`, hint: 'name a file' },
  ENOTDIR: { code: 'system.not_a_folder', say: (e) => `a part of ${e.path ?? 'the path'} is a file, where a folder was expected`, hint: 'check the path' },
  EROFS: { code: 'system.read_only', say: (e) => `${e.path ?? 'the file'} is on a read-only file system`, hint: 'run from a writable folder' },
  ENOSPC: { code: 'system.disk_full', say: () => 'no space left on the device', hint: 'free some space and run again' },
  EMFILE: { code: 'system.too_many_files', say: () => 'too many open files', hint: 'raise the limit (ulimit -n) or lower --concurrency' },
};

/** A Node system error; a listen error also carries the address and port. */
type SystemError = NodeJS.ErrnoException & { address?: string; port?: number };

function where(error: SystemError, fallback: string): string {
  if (error.port !== undefined) return `${error.address ?? '127.0.0.1'}:${error.port}`;
  return fallback;
}

/** One description of any error that reaches the CLI's one catch, for the text and the JSON renderers alike. */
export function describeError(error: unknown): ErrorDescription {
  if (isManifestError(error)) {
    const errors = error.issues.filter((issue) => issue.severity !== 'warning').length;
    return { code: error.code, message: `${errors} problem${errors === 1 ? '' : 's'} in the manifest; nothing was sent`, issues: error.issues };
  }
  if (isPaxosOnboardError(error)) {
    const description: ErrorDescription = { code: error.code, message: error.message };
    const hint = (error as { hint?: unknown }).hint;
    if (typeof hint === 'string') description.hint = hint;
    const details = answerDetails(error);
    if (Object.keys(details).length > 0) description.details = details;
    return description;
  }
  const system = error instanceof Error ? systemErrors[(error as NodeJS.ErrnoException).code ?? ''] : undefined;
  if (system) return { code: system.code, message: system.say(error as SystemError), hint: system.hint };
  const description: ErrorDescription = {
    code: 'internal',
    message: error instanceof Error ? `${error.name}: ${error.message.split('\n')[0] ?? ''}` : String(error).split('\n')[0] ?? '',
    hint: `this is a bug in paxos-onboard: run again with --debug for the trace, and report it at ${reportUrl}`,
    unexpected: true,
  };
  if (error instanceof Error && error.stack) description.stack = error.stack;
  return description;
}

/** The text a user sees for any error that reaches the CLI's one catch; the stack only with `debug`. */
export function renderError(error: unknown, options: { debug?: boolean } = {}): string {
  const description = describeError(error);
  if (description.issues) {
    const lines = description.issues.map(formatIssue);
    const errors = description.issues.filter((issue) => issue.severity !== 'warning').length;
    lines.push(`\n${errors} error${errors === 1 ? '' : 's'}; nothing was sent.`);
    return lines.join('\n');
  }
  const head = `${description.unexpected ? 'unexpected error' : 'error'} ${escapeControl(description.code)}: ${escapeLines(description.message)}`;
  const lines = [head];
  for (const [name, value] of Object.entries(description.details ?? {})) lines.push(`  ${name.replace(/_/g, ' ')}: ${value}`);
  if (description.hint) lines.push(`  hint: ${escapeControl(description.hint)}`);
  if (options.debug && error instanceof Error && error.stack) lines.push(escapeLines(error.stack));
  return lines.join('\n');
}

/** The same, as the one JSON object `--format json` prints on stdout: `{ok: false, error: {code, message, hint?, issues?, ...}}`. */
export function renderErrorJson(error: unknown, options: { debug?: boolean } = {}): string {
  const { unexpected: _unexpected, stack, ...rest } = describeError(error);
  const body: Record<string, unknown> = { ...rest };
  if (options.debug && stack) body.stack = stack;
  return JSON.stringify({ ok: false, error: body });
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
function answerDetails(error: PaxosOnboardError): Record<string, string> {
  const answer = isPaxosApiError(error) ? error : isPaxosApiError(error.cause) ? error.cause : undefined;
  if (!answer) return {};
  const details: Record<string, string> = {};
  if (answer.requestId) details.request_id = printable(answer.requestId);
  if (answer.problem.type && answer.problem.type !== 'about:blank') details.problem_type = printable(answer.problem.type);
  return details;
}

function printable(text: string): string {
  const clean = escapeControl(text.trim());
  return clean.length > 200 ? `${clean.slice(0, 200)}…` : clean;
}
