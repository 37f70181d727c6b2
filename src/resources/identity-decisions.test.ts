import { describe, expect, it } from 'vitest';
import type { PaxosClient, PaxosRequest } from '../paxos/types.js';
import { createDecisionWatcher } from './identity-decisions.js';
import type { Json } from './identity-fields.js';

/** A remote of identities and decision events, read the way Paxos answers the two list calls. */
function fakeRemote() {
  const identities = new Map<string, Json>();
  const events: Json[] = [];
  const calls: string[] = [];
  const queries: Array<PaxosRequest['query']> = [];
  let emitsEvents = true;
  const client = {
    // The feed as the spec has it: one page of at most `limit`, ascending, no cursor.
    async request(request: PaxosRequest) {
      calls.push(request.path);
      queries.push(request.query);
      const query = request.query ?? {};
      const since = String(query['created_at.gte']);
      return { events: events.filter((event) => String(event.created_at) >= since).slice(0, Number(query.limit ?? 100)) };
    },
    async listAll(request: PaxosRequest) {
      calls.push(request.path);
      const query = request.query ?? {};
      return [...identities.values()].filter((identity) => String(identity.updated_at) >= String(query['updated_at.gte']));
    },
  } as unknown as PaxosClient;
  const base = Date.parse('2026-11-23T10:00:00.000Z');
  return {
    client,
    calls,
    queries,
    /** A sandbox that emits no events: decisions show only in the identities. */
    silence() {
      emitsEvents = false;
    },
    /** Noise of other types in the feed, as a busy Paxos account has. */
    noise(count: number, atMs: number) {
      for (let index = 0; index < count; index++) events.push({ id: `noise-${atMs}-${index}`, type: 'transfer.deposit.completed', created_at: new Date(base + atMs).toISOString(), object: {} });
    },
    add(id: string) {
      identities.set(id, { id, summary_status: 'PENDING', updated_at: new Date(base).toISOString() });
    },
    /** The decision, with the identity stamped a millisecond before its event, as the emulator (and nothing at Paxos forbids) does. */
    decide(id: string, status: string, atMs: number) {
      identities.set(id, { id, summary_status: status, updated_at: new Date(base + atMs - 1).toISOString() });
      if (emitsEvents) events.push({ id: `event-${id}`, type: `identity.${status.toLowerCase()}`, created_at: new Date(base + atMs).toISOString(), object: { identity_id: id, new_summary_status: status } });
    },
    since: new Date(base),
  };
}

describe('createDecisionWatcher', () => {
  it('sees a decision whose identity was stamped just before its event', async () => {
    const remote = fakeRemote();
    remote.add('a');
    const watcher = createDecisionWatcher(remote.client, { pollIntervalMs: 5, since: remote.since });
    const decided = watcher.waitFor('a', 5_000);
    remote.decide('a', 'APPROVED', 1_000);
    await expect(decided).resolves.toMatchObject({ id: 'a', summary_status: 'APPROVED' });
  });

  it('reads the events feed once per poll however many identities wait, and resolves each with its own decision', async () => {
    const remote = fakeRemote();
    const ids = Array.from({ length: 50 }, (_, index) => `id-${index}`);
    for (const id of ids) remote.add(id);
    const watcher = createDecisionWatcher(remote.client, { pollIntervalMs: 5, since: remote.since });
    const waits = ids.map((id) => watcher.waitFor(id, 5_000));
    ids.forEach((id, index) => remote.decide(id, index === 7 ? 'DENIED' : 'APPROVED', 100 + index));
    const records = await Promise.all(waits);
    expect(records.map((record) => record.summary_status).filter((status) => status === 'DENIED')).toHaveLength(1);
    const feedReads = remote.calls.filter((path) => path === '/v2/events').length;
    expect(feedReads).toBeLessThan(5);
  });

  it('resolves an identity that starts waiting after its event was already read', async () => {
    const remote = fakeRemote();
    remote.add('early');
    remote.add('late');
    const watcher = createDecisionWatcher(remote.client, { pollIntervalMs: 5, since: remote.since });
    remote.decide('late', 'APPROVED', 500);
    // 'early' keeps the loop polling; the feed shows 'late' decided before anyone waits for it.
    const early = watcher.waitFor('early', 5_000);
    await new Promise((resolve) => setTimeout(resolve, 30));
    await expect(watcher.waitFor('late', 5_000)).resolves.toMatchObject({ summary_status: 'APPROVED' });
    remote.decide('early', 'APPROVED', 900);
    await expect(early).resolves.toMatchObject({ summary_status: 'APPROVED' });
  });

  it('asks the feed with single-valued parameters only: no type list, no cursor', async () => {
    const remote = fakeRemote();
    remote.add('a');
    const watcher = createDecisionWatcher(remote.client, { pollIntervalMs: 5, since: remote.since });
    const decided = watcher.waitFor('a', 5_000);
    remote.decide('a', 'APPROVED', 200);
    await decided;
    for (const query of remote.queries) {
      expect(Object.keys(query ?? {}).sort()).toEqual(['created_at.gte', 'limit']);
      for (const value of Object.values(query ?? {})) expect(Array.isArray(value)).toBe(false);
    }
  });

  it('pages through a feed fuller than one page of other events to the decision behind them', async () => {
    const remote = fakeRemote();
    remote.add('a');
    remote.noise(250, 100);
    remote.decide('a', 'DENIED', 300);
    const watcher = createDecisionWatcher(remote.client, { pollIntervalMs: 5, since: remote.since });
    await expect(watcher.waitFor('a', 5_000)).resolves.toMatchObject({ summary_status: 'DENIED' });
  });

  it('settles from the identity listing when the sandbox emits no event at all', async () => {
    const remote = fakeRemote();
    remote.silence();
    remote.add('quiet');
    const watcher = createDecisionWatcher(remote.client, { pollIntervalMs: 5, since: remote.since });
    const decided = watcher.waitFor('quiet', 5_000);
    remote.decide('quiet', 'APPROVED', 400);
    await expect(decided).resolves.toMatchObject({ id: 'quiet', summary_status: 'APPROVED' });
  });

  it('gives up after the timeout with approval.timeout', async () => {
    const remote = fakeRemote();
    remote.add('slow');
    const watcher = createDecisionWatcher(remote.client, { pollIntervalMs: 5, since: remote.since });
    await expect(watcher.waitFor('slow', 30)).rejects.toMatchObject({ code: 'approval.timeout' });
  });
});
