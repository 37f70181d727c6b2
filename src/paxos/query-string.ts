/**
 * Query strings the way Paxos reads them: arrays comma-separated
 * (`ids=a,b`), undefined values left out, everything else percent-encoded.
 */
import type { QueryValue } from './types.js';

/** `?a=1&ids=x,y`, or '' when nothing is left to send. */
export function encodeQuery(query: Readonly<Record<string, QueryValue>> | undefined): string {
  if (!query) return '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    // Commas stay literal between array items (Paxos splits on them); commas inside an item are encoded.
    const encoded = Array.isArray(value) ? value.map((item) => encodeURIComponent(item)).join(',') : encodeURIComponent(String(value));
    parts.push(`${encodeURIComponent(key)}=${encoded}`);
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

/** The query with every value that could be PII replaced by `***`; keys are kept so the log still says what was asked. */
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
