/**
 * The `--verbose` request log: one entry per HTTP attempt, token endpoint
 * included. Entries never hold bodies, headers or the token, and their query
 * values are already redacted (see `redactQuery`), so a consumer can print or
 * store them as they are.
 */
import { redactQuery } from './query-string.js';

export interface RequestLogEntry {
  method: string;
  /** The path with its query string, values that could be PII shown as `***`: `/v2/profiles?nickname=***&limit=1000`. */
  path: string;
  /** The HTTP status, or `error` when no answer came (refused, reset, timeout). */
  status: number | 'error';
  durationMs: number;
  /** 1 for the first attempt of a request, 2 for its first repeat, ... */
  attempt: number;
  /** The rate class the request counted against (`default`, `token`, ...). */
  rateClass: string;
  /** What the client did about it: `retrying in 180ms`, `rate limited: paused 5s`, the connection error's code. */
  note?: string;
}

/** `GET /v2/identity/identities?limit=1000 200 12ms`, with the attempt and the note when there is one. */
export function formatRequestLogLine(entry: RequestLogEntry): string {
  const queryStart = entry.path.indexOf('?');
  const path = queryStart === -1 ? entry.path : entry.path.slice(0, queryStart) + redactQuery(entry.path.slice(queryStart));
  const attempt = entry.attempt > 1 ? ` (attempt ${entry.attempt})` : '';
  const note = entry.note ? ` - ${entry.note}` : '';
  return `${entry.method} ${path} ${entry.status} ${Math.round(entry.durationMs)}ms${attempt}${note}`;
}
