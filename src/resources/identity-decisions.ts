/**
 * Waiting for Paxos's decision on many identities at once (DESIGN.md
 * "Performance model": O(1) calls per poll, not N). One loop per run reads
 * the events feed for identity decisions after a cursor; only when an event
 * names an identity someone waits for does it confirm, with one list call of
 * the identities updated since that event, the status the identity now has
 * (the feed says something happened; the identity says where it stands).
 * Both reads are in the default rate class, so waiting never competes with
 * the identity-item class that creates and approvals need.
 */
import { PaxosOnboardError } from '../errors.js';
import type { PaxosClient } from '../paxos/types.js';
import type { Json } from './identity-fields.js';
import { listPageSize } from './remote-reads.js';

export const decisionEventTypes = ['identity.approved', 'identity.denied', 'identity.disabled'] as const;

/** Events are read from this long before the run started: our clock and Paxos's need not agree. */
export const clockSkewMarginMs = 5 * 60_000;

/** How far before its event an identity's `updated_at` may be stamped. */
const stampMarginMs = 5_000;

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
  /** Identities the feed has shown a decision for, and when: one may start waiting after its event was read. */
  const decidedAt = new Map<string, string>();
  /** Waiting identities the feed named, with the time of the event: each poll confirms them until the listing shows the decision. */
  const toConfirm = new Map<string, string>();
  const noteDecision = (identityId: string, createdAt: string) => {
    const known = toConfirm.get(identityId);
    if (known === undefined || createdAt < known) toConfirm.set(identityId, createdAt);
  };
  let cursor = new Date(options.since.getTime() - clockSkewMarginMs).toISOString();
  let loop: Promise<void> | undefined;

  async function poll(): Promise<void> {
    const events = await client.listAll<Json>(
      { method: 'GET', path: '/v2/events', query: { type: decisionEventTypes, 'created_at.gte': cursor } },
      { listKey: 'events', pageSize: 100 },
    );
    for (const event of events) {
      const id = String(event.id);
      const createdAt = String(event.created_at);
      // `gte` and a set of seen ids: events of the cursor's own millisecond are neither lost nor counted twice.
      if (seenEvents.has(id)) continue;
      seenEvents.add(id);
      if (createdAt > cursor) cursor = createdAt;
      const identityId = String(((event.object ?? {}) as Json).identity_id);
      decidedAt.set(identityId, createdAt);
      if (waiting.has(identityId)) noteDecision(identityId, createdAt);
    }
    for (const identityId of toConfirm.keys()) if (!waiting.has(identityId)) toConfirm.delete(identityId);
    if (toConfirm.size === 0) return;
    // The identity's updated_at and its event's created_at are stamped apart (Paxos promises no order between them): list from a margin before.
    const earliest = Math.min(...[...toConfirm.values()].map((at) => Date.parse(at)));
    const since = new Date(earliest - stampMarginMs).toISOString();
    const identities = await client.listAll<Json>({ method: 'GET', path: '/v2/identity/identities', query: { 'updated_at.gte': since } }, { pageSize: listPageSize });
    for (const identity of identities) {
      const id = String(identity.id);
      const waiter = waiting.get(id);
      if (waiter === undefined || identity.summary_status === 'PENDING') continue;
      waiting.delete(id);
      toConfirm.delete(id);
      waiter.resolve(identity);
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
        waiting.set(identityId, { resolve, reject, deadline: Date.now() + timeoutMs });
        const decided = decidedAt.get(identityId);
        if (decided !== undefined) noteDecision(identityId, decided);
        loop ??= run();
      });
    },
  };
}
