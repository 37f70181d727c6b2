/**
 * Query strings the way the Paxos spec declares them: array parameters are
 * `style: form, explode: true`, so each item repeats the key
 * (`type=CRYPTO_DEPOSIT&type=WIRE_DEPOSIT`); undefined values are left out,
 * everything else is percent-encoded.
 */
import type { QueryValue } from './types.js';

/** `?a=1&ids=x&ids=y`, or '' when nothing is left to send. An empty array sends nothing, as an absent filter. */
export function encodeQuery(query: Readonly<Record<string, QueryValue>> | undefined): string {
  if (!query) return '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    const name = encodeURIComponent(key);
    // A comma-joined list would be read as one value (`type=A,B` is no transfer type); explode: repeat the key.
    if (Array.isArray(value)) for (const item of value as readonly string[]) parts.push(`${name}=${encodeURIComponent(item)}`);
    else parts.push(`${name}=${encodeURIComponent(String(value))}`);
  }
  return parts.length === 0 ? '' : `?${parts.join('&')}`;
}

/**
 * Query keys whose values are safe to print in a `--verbose` log: ids,
 * paging, ordering, and enumerated type/status filters and timestamps.
 * Anything else (a nickname, a ref_id that may hold a person's name, a
 * free-text filter) is printed as `***`.
 */
const printableKey =
  /^(limit|page_cursor|order|order_by|ids|market|side|include_[a-z_]+|[a-z_]*types?|[a-z_]*status(es)?|(created_at|updated_at)\.[a-z]+|(identity|account|profile|order|transfer|event|member|customer|activity)_ids?)$/;

/**
 * The query with every value that could be PII replaced by `***`; keys are
 * kept so the log still says what was asked. Each `key=value` pair is judged
 * on its own, so every repeat of a repeated key (`ref_ids=a&ref_ids=b`) is hidden.
 */
export function redactQuery(queryString: string): string {
  if (queryString === '' || queryString === '?') return '';
  const body = queryString.startsWith('?') ? queryString.slice(1) : queryString;
  const parts = body.split('&').map((part) => {
    const equals = part.indexOf('=');
    if (equals === -1) return part;
    const key = part.slice(0, equals);
    let decodedKey: string;
    try {
      decodedKey = decodeURIComponent(key);
    } catch {
      return `${key}=***`;
    }
    return printableKey.test(decodedKey) ? part : `${key}=***`;
  });
  return `?${parts.join('&')}`;
}
