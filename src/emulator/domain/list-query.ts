/**
 * The list endpoints' shared query language: `limit`, `page_cursor` →
 * `next_page_cursor`, `order` (ASC/DESC by creation), time ranges
 * (`created_at.lt|lte|eq|gte|gt`, `updated_at.*`) and repeatable filters
 * (`ids=a&ids=b` or `ids=a,b`). Cursors are opaque to clients: they hold the
 * `seq` of the last item served and the order they were made for.
 */
import { problems } from '../framework.js';

export interface Sequenced {
  seq: number;
}

export interface PageOptions {
  /** The endpoint's default order (the spec says per endpoint). */
  defaultOrder: 'ASC' | 'DESC';
  defaultLimit?: number;
  maxLimit?: number;
}

export interface Page<T> {
  items: T[];
  next_page_cursor?: string;
}

/** Values of a repeatable query parameter, comma-separated or repeated. */
export function readList(query: URLSearchParams, name: string): string[] {
  return query.getAll(name).flatMap((value) => value.split(',')).map((value) => value.trim()).filter(Boolean);
}

/** One enum-valued filter, refused with a 400 naming it when not one of `allowed`. */
export function readEnum(query: URLSearchParams, name: string, allowed: readonly string[]): string | undefined {
  const value = query.get(name);
  if (value === null || value === '') return undefined;
  if (!allowed.includes(value)) throw problems.invalidField(name, `must be one of ${allowed.join(', ')}`);
  return value;
}

/** Like `readEnum` for a repeatable filter. */
export function readEnumList(query: URLSearchParams, name: string, allowed: readonly string[]): string[] {
  const values = readList(query, name);
  const bad = values.find((value) => !allowed.includes(value));
  if (bad !== undefined) throw problems.invalidField(name, `'${bad}' must be one of ${allowed.join(', ')}`);
  return values;
}

/** A boolean query flag (`true`/`false`); absent is false. */
export function readBoolean(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  if (value === null || value === '' || value === 'false') return false;
  if (value === 'true') return true;
  throw problems.invalidField(name, 'must be true or false');
}

const operators = ['lt', 'lte', 'eq', 'gte', 'gt'] as const;

/**
 * A predicate over the RFC 3339 field `field` of a record for the `<param>.lt`
 * ... `<param>.gt` filters present; always true when none is.
 */
export function readTimeRange(query: URLSearchParams, param: string): (time: string | undefined) => boolean {
  const bounds: Array<[(typeof operators)[number], number]> = [];
  for (const operator of operators) {
    const text = query.get(`${param}.${operator}`);
    if (text === null) continue;
    bounds.push([operator, parseTime(text, `${param}.${operator}`)]);
  }
  if (bounds.length === 0) return () => true;
  return (time) => {
    if (time === undefined) return false;
    const at = Date.parse(time);
    return bounds.every(([operator, ms]) =>
      operator === 'lt' ? at < ms : operator === 'lte' ? at <= ms : operator === 'eq' ? at === ms : operator === 'gte' ? at >= ms : at > ms,
    );
  };
}

/** Milliseconds of an RFC 3339 time, or a 400 naming the parameter. */
export function parseTime(text: string, param: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}T/.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(ms)) throw problems.invalidField(param, `'${text}' is not an RFC 3339 time, e.g. 2006-01-02T15:04:05Z`);
  return ms;
}

function readLimit(query: URLSearchParams, defaultLimit: number, maxLimit: number): number {
  const text = query.get('limit');
  if (text === null || text === '') return defaultLimit;
  const limit = Number(text);
  if (!/^\d+$/.test(text) || limit < 1 || limit > maxLimit) throw problems.invalidField('limit', `must be a whole number from 1 to ${maxLimit}`);
  return limit;
}

interface Cursor {
  after: number;
  order: 'ASC' | 'DESC';
}

function readCursor(query: URLSearchParams): Cursor | undefined {
  const text = query.get('page_cursor');
  if (text === null || text === '') return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<Cursor>;
    if (typeof parsed.after === 'number' && (parsed.order === 'ASC' || parsed.order === 'DESC')) return { after: parsed.after, order: parsed.order };
  } catch {
    // Reported below.
  }
  throw problems.invalidField('page_cursor', 'is not a cursor this server returned; pass next_page_cursor as it came');
}

/**
 * One page of `records` (any order) that pass `keep`, sorted by creation in
 * the requested order. A cursor continues in the order it was made for.
 */
export function paginate<T extends Sequenced>(records: Iterable<T>, query: URLSearchParams, keep: (record: T) => boolean, options: PageOptions): Page<T> {
  const cursor = readCursor(query);
  const requested = readEnum(query, 'order', ['ASC', 'DESC']) as 'ASC' | 'DESC' | undefined;
  const order = cursor?.order ?? requested ?? options.defaultOrder;
  const limit = readLimit(query, options.defaultLimit ?? 100, options.maxLimit ?? 1000);
  const matching: T[] = [];
  for (const record of records) {
    if (cursor && (order === 'ASC' ? record.seq <= cursor.after : record.seq >= cursor.after)) continue;
    if (keep(record)) matching.push(record);
  }
  matching.sort((a, b) => (order === 'ASC' ? a.seq - b.seq : b.seq - a.seq));
  const items = matching.slice(0, limit);
  const last = items[items.length - 1];
  if (matching.length <= limit || !last) return { items };
  return { items, next_page_cursor: Buffer.from(JSON.stringify({ after: last.seq, order } satisfies Cursor)).toString('base64url') };
}
