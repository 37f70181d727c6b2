/**
 * Non-2xx answers as RFC 7807 problems, whatever the server actually sent,
 * with secrets scrubbed from everything we may print or keep.
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
    // meta is printed (JSON output, error rendering) and kept on the error: a server may echo what it was sent there too.
    if (typeof record.meta === 'object' && record.meta !== null && !Array.isArray(record.meta)) problem.meta = scrubValue(record.meta, secrets, 0) as Record<string, unknown>;
  } else if (answer.text.trim() !== '') {
    problem.detail = scrubSecrets(answer.text.trim().slice(0, 300), secrets);
  }
  problem.status ??= answer.status;
  return problem;
}

/**
 * Replaces each (non-trivial) secret in `text` with `***`: a server may echo
 * what it was sent, as it was sent. The token request carries the secret
 * form-encoded (`+` → `%2B`, `/` → `%2F`, `=` → `%3D`, space → `+`), so that
 * form is scrubbed too, and the percent-encoded one, in either hex case.
 */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const form of secretForms(secrets)) result = result.split(form).join('***');
  return result;
}

/** Every spelling of every secret worth scrubbing, longest first, so no shorter form leaves part of a longer one behind. */
function secretForms(secrets: readonly string[]): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    for (const encoded of [secret, new URLSearchParams({ s: secret }).toString().slice(2), encodeURIComponent(secret)]) {
      forms.add(encoded);
      forms.add(encoded.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()));
    }
  }
  return [...forms].sort((a, b) => b.length - a.length);
}

/** Beyond this depth a meta value is dropped rather than walked (a hostile server could nest without end). */
const maxMetaDepth = 16;

/** `value` with every string (and object key) scrubbed; numbers, booleans and null kept. */
function scrubValue(value: unknown, secrets: readonly string[], depth: number): unknown {
  if (typeof value === 'string') return scrubSecrets(value, secrets);
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= maxMetaDepth) return '***';
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, secrets, depth + 1));
  // fromEntries defines own properties: a `__proto__` key stays a key.
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [scrubSecrets(key, secrets), scrubValue(item, secrets, depth + 1)]));
}
