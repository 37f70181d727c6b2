/**
 * `GET /v2/events` and `GET /v2/events/{id}`: the events feed, ascending by
 * `created_at`. Paginated by `created_at.*` + `limit` as the spec documents:
 * the spec declares no cursor here, so none is answered (and `page_cursor`,
 * an undeclared parameter, is ignored) unless `event-cursors` is on, which
 * adds `page_cursor` → `next_page_cursor` like the other list endpoints.
 */
import { problems, type Route, type RouteContext } from '../framework.js';
import { renderEvent } from '../event-feed.js';
import type { EventRecord } from '../state.js';

const maxLimit = 100;
const timeFilters = ['lt', 'lte', 'gt', 'gte', 'eq'] as const;

function parseLimit(query: URLSearchParams): number {
  const text = query.get('limit');
  if (text === null) return maxLimit;
  const limit = Number(text);
  if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit) throw problems.invalidField('limit', `limit must be between 1 and ${maxLimit}`);
  return limit;
}

function parseCursor(query: URLSearchParams, cursors: boolean): number {
  const cursor = cursors ? query.get('page_cursor') : null;
  if (cursor === null || cursor === '') return 0;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof parsed.after === 'number' && Number.isInteger(parsed.after) && parsed.after >= 0) return parsed.after;
  } catch {
    // Falls through to the problem below.
  }
  throw problems.invalidField('page_cursor', 'is not a cursor this server returned; pass next_page_cursor as is');
}

function encodeCursor(after: number): string {
  return Buffer.from(JSON.stringify({ after })).toString('base64url');
}

/**
 * A predicate for every filter given: `type`, `created_at.*`, `is_test`. The
 * spec's `type` is one string: a repeated `type` is refused before this unless
 * `repeated-query-params` is on, and a comma is part of the type name (so
 * `a,b` matches nothing) unless that leniency reads it as a list too.
 */
function buildFilter(query: URLSearchParams, lists: boolean): (event: EventRecord) => boolean {
  const given = query.getAll('type');
  const types = new Set((lists ? given.flatMap((value) => value.split(',')) : given).map((value) => value.trim()).filter(Boolean));
  const bounds: Array<[(typeof timeFilters)[number], number]> = [];
  for (const operator of timeFilters) {
    const text = query.get(`created_at.${operator}`);
    if (text === null) continue;
    const ms = Date.parse(text);
    if (Number.isNaN(ms)) throw problems.invalidField(`created_at.${operator}`, `'${text}' is not an RFC 3339 time, e.g. 2006-01-02T15:04:05Z`);
    bounds.push([operator, ms]);
  }
  // The emulator's events are real events (see the webhook payload's is_test); `is_test=true` asks for test events only.
  const testOnly = query.get('is_test') === 'true';
  return (event) => {
    if (testOnly) return false;
    if (types.size > 0 && !types.has(event.type)) return false;
    if (bounds.length === 0) return true;
    const at = Date.parse(event.created_at);
    return bounds.every(([operator, ms]) => {
      switch (operator) {
        case 'lt': return at < ms;
        case 'lte': return at <= ms;
        case 'gt': return at > ms;
        case 'gte': return at >= ms;
        case 'eq': return at === ms;
      }
    });
  };
}

function listEvents(context: RouteContext) {
  const limit = parseLimit(context.query);
  const cursors = context.lenient.has('event-cursors');
  const start = parseCursor(context.query, cursors);
  const matches = buildFilter(context.query, context.lenient.has('repeated-query-params'));
  const undelivered = context.undeliveredWebhooks ?? (() => 0);
  const events: Record<string, unknown>[] = [];
  const all = context.state.events;
  let index = start;
  for (; index < all.length && events.length < limit; index++) {
    const event = all[index] as EventRecord;
    if (matches(event)) events.push(renderEvent(event, undelivered(event.id)));
  }
  // A cursor only when another match exists, so the last page says it is the last.
  let nextMatch = index;
  if (events.length === limit) while (nextMatch < all.length && !matches(all[nextMatch] as EventRecord)) nextMatch++;
  const more = events.length === limit && nextMatch < all.length;
  return { body: more && cursors ? { events, next_page_cursor: encodeCursor(nextMatch) } : { events } };
}

function getEvent(context: RouteContext) {
  const id = context.params.id ?? '';
  const event = context.state.events.find((candidate) => candidate.id === id);
  if (!event) throw problems.notFound(`event ${id} not found`);
  return { body: renderEvent(event, (context.undeliveredWebhooks ?? (() => 0))(event.id)) };
}

export const eventRoutes: Route[] = [
  { method: 'GET', path: '/v2/events', operationId: 'ListEvents', handler: listEvents },
  { method: 'GET', path: '/v2/events/:id', operationId: 'GetEvent', handler: getEvent },
];
