/**
 * Non-2xx answers as RFC 7807 problems, whatever the server actually sent,
 * with secrets scrubbed from the text we will print.
 */
import type { PaxosProblem } from '../errors.js';
import type { HttpAnswer } from './send-attempt.js';

/** The problem fields that have the right type; a body that is not a problem becomes a detail (truncated). */
export function parseProblem(answer: HttpAnswer, secrets: readonly string[] = []): PaxosProblem {
  let parsed: unknown;
  try {
    parsed = answer.text === '' ? undefined : JSON.parse(answer.text);
  } catch {
    parsed = undefined;
  }
  const problem: PaxosProblem = {};
  if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
    const record = parsed as Record<string, unknown>;
    if (typeof record.type === 'string') problem.type = scrubSecrets(record.type, secrets);
    if (typeof record.title === 'string') problem.title = scrubSecrets(record.title, secrets);
    if (typeof record.status === 'number') problem.status = record.status;
    const detail = typeof record.detail === 'string' ? record.detail : typeof record.error_description === 'string' ? record.error_description : undefined;
    if (detail !== undefined) problem.detail = scrubSecrets(detail, secrets);
    if (typeof record.meta === 'object' && record.meta !== null && !Array.isArray(record.meta)) problem.meta = record.meta as Record<string, unknown>;
  } else if (answer.text.trim() !== '') {
    problem.detail = scrubSecrets(answer.text.trim().slice(0, 300), secrets);
  }
  problem.status ??= answer.status;
  return problem;
}

/** Replaces each (non-trivial) secret in `text` with `***`: a server may echo what it was sent. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) if (secret.length >= 4) result = result.split(secret).join('***');
  return result;
}
