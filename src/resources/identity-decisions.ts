/**
 * Waiting for Paxos's decision on many identities at once (DESIGN.md
 * "Performance model": O(1) calls per poll, not N). One loop per run, two
 * reads a poll whatever the number waiting:
 * - the events feed, for every event since a time cursor, filtered here:
 *   the spec gives `type` one value, so asking for the three decision types
 *   at once is not something Paxos is bound to understand, and one call per
 *   type would triple the reads. It pages by `created_at.gte` and `limit`,
 *   as the spec declares no cursor for it;
 * - the identity listing, for the identities updated since a time cursor:
 *   the word that counts (the feed says something happened; the identity
 *   says where it stands), and the one that still settles a wait when a
 *   sandbox emits no event.
 * Both are in the default rate class, so waiting never competes with the
 * identity-item class that creates and approvals need.
 */
import { PaxosOnboardError } from '../errors.js';
import type { PaxosClient } from '../paxos/types.js';
import type { Json } from './identity-fields.js';
import { listPageSize } from './remote-reads.js';

export const decisionEventTypes = ['identity.approved', 'identity.denied', 'identity.disabled'] as const;

/** Events and updates are read from this long before the run started: our clock and Paxos's need not agree. */
export const clockSkewMarginMs = 5 * 60_000;

/** How far before the newest update already seen the next listing starts: an identity and its event are stamped apart, and not in order. */
const stampMarginMs = 5_000;

/** The events feed's largest page (the spec's maximum `limit`). */
const eventsPageSize = 100;

export interface DecisionWatcher {
  /**
   * Resolves with the identity's record once its `summary_status` is no
   * longer PENDING; rejects with `approval.timeout` after `timeoutMs`.
   */
  waitFor(identityId: string, timeoutMs: number): Promise<Json>;
}

interface Waiter {
  resolve(record: Json): void;
  reject(error: Error): void;
  deadline: number;
}

export function createDecisionWatcher(client: PaxosClient, options: { pollIntervalMs: number; since: Date }): DecisionWatcher {
  const waiting = new Map<string, Waiter>();
  const seenEvents = new Set<string>();
  const start = new Date(options.since.getTime() - clockSkewMarginMs).toISOString();
  let eventCursor = start;
  let listedFrom = start;
  /** Decisions seen in the feed or the listing before anyone waited for them. */
  const decided = new Map<string, Json>();
  let loop: Promise<void> | undefined;

  /** Every event since the cursor; a full page means more may follow from the newest one read. */
  async function readEvents(): Promise<Json[]> {
    const fresh: Json[] = [];
    for (;;) {
      const page = await client.request<{ events?: Json[] }>({ method: 'GET', path: '/v2/events', query: { 'created_at.gte': eventCursor, limit: eventsPageSize } });
      const events = Array.isArray(page?.events) ? page.events : [];
      let added = 0;
      for (const event of events) {
        const id = String(event.id);
        // `gte` and a set of seen ids: events of the cursor's own millisecond are neither lost nor counted twice.
        if (seenEvents.has(id)) continue;
        seenEvents.add(id);
        added += 1;
        fresh.push(event);
        const createdAt = String(event.created_at);
        if (createdAt > eventCursor) eventCursor = createdAt;
      }
      if (events.length < eventsPageSize || added === 0) return fresh;
    }
  }

  async function poll(): Promise<void> {
    const events = await readEvents();
    const named = events.filter((event) => (decisionEventTypes as readonly string[]).includes(String(event.type)));
    // The feed only says where to look: a decision counts once the listing shows it.
    const earliestNamed = named.map((event) => Date.parse(String(event.created_at)) - stampMarginMs).filter(Number.isFinite);
    if (earliestNamed.length > 0) {
      const from = new Date(Math.min(...earliestNamed)).toISOString();
      if (from < listedFrom) listedFrom = from;
    }
    const identities = await client.listAll<Json>({ method: 'GET', path: '/v2/identity/identities', query: { 'updated_at.gte': listedFrom } }, { pageSize: listPageSize });
    let newest = '';
    for (const identity of identities) {
      const updatedAt = String(identity.updated_at ?? '');
      if (updatedAt > newest) newest = updatedAt;
      if (identity.summary_status === 'PENDING') continue;
      const id = String(identity.id);
      const waiter = waiting.get(id);
      if (waiter === undefined) {
        decided.set(id, identity);
        continue;
      }
      waiting.delete(id);
      waiter.resolve(identity);
    }
    if (newest !== '') {
      const next = new Date(Date.parse(newest) - stampMarginMs).toISOString();
      if (next > listedFrom) listedFrom = next;
    }
  }

  function expire(now: number): void {
    for (const [id, waiter] of waiting) {
      if (now < waiter.deadline) continue;
      waiting.delete(id);
      waiter.reject(new PaxosOnboardError('approval.timeout', `identity ${id} is still PENDING: no Paxos decision came within approval_timeout`));
    }
  }

  async function run(): Promise<void> {
    while (waiting.size > 0) {
      try {
        await poll();
      } catch (error) {
        // The feed failed for good (the client retried already): every waiter fails with it, rather than hang.
        for (const waiter of waiting.values()) waiter.reject(error instanceof Error ? error : new Error(String(error)));
        waiting.clear();
      }
      expire(Date.now());
      if (waiting.size > 0) await new Promise((resolve) => setTimeout(resolve, options.pollIntervalMs));
    }
    loop = undefined;
  }

  return {
    waitFor(identityId, timeoutMs) {
      return new Promise<Json>((resolve, reject) => {
        const known = decided.get(identityId);
        if (known !== undefined) {
          decided.delete(identityId);
          resolve(known);
          return;
        }
        waiting.set(identityId, { resolve, reject, deadline: Date.now() + timeoutMs });
        loop ??= run();
      });
    },
  };
}
