import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PaxosAmbiguousError, PaxosApiError, PaxosOnboardError } from '../errors.js';
import type { Address } from '../manifest/kinds.js';
import type { PlanStep } from '../plan/plan-types.js';
import type { Applied, ApplyContext, RemoteObject, ResourceHandler } from '../resources/resource-handler.js';
import { openJournal } from './journal.js';
import { createJournaledCreate } from './journaled-create.js';

let directory: string;
let file: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'journaled-create-'));
  file = join(directory, 'journal.local.jsonl');
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

const profiles: Record<string, RemoteObject> = {
  'profile.p': { id: 'prof-1', ids: { profile_id: 'prof-1' }, record: {}, matchedBy: 'remote-key' },
  'profile.q': { id: 'prof-2', ids: { profile_id: 'prof-2' }, record: {}, matchedBy: 'remote-key' },
};
const contextWith = (remotes: Record<string, RemoteObject>) =>
  ({
    remoteOf: (address: Address) => {
      const remote = remotes[address];
      if (!remote) throw new Error(`no remote for ${address}`);
      return remote;
    },
    phase: () => {},
    pollIntervalMs: 1,
    listingLagMs: 50,
  }) as unknown as ApplyContext;
const context = contextWith(profiles);

const deposit = (address: Address, options: { amount?: string; profile?: Address } = {}) => ({
  step: { address, kind: 'deposit', action: 'create', dependsOn: [options.profile ?? 'profile.p'] } satisfies PlanStep,
  resource: { address, kind: 'deposit', fields: { asset: 'USD', amount: options.amount ?? '100' }, dependsOn: [options.profile ?? 'profile.p'] } as never,
});

const transfer = (id: string): RemoteObject => ({ id, ids: { transfer_id: id }, record: {}, status: 'COMPLETED', matchedBy: 'transfer-match' });

/** A handler whose create and reconcile are plain closures that count their calls. */
function fakeHandler(behaviour: {
  create?: (call: number) => Promise<Applied>;
  reconcile?: (look: number, since: Date) => RemoteObject | undefined;
}) {
  const calls = { create: 0, reconcile: 0, since: [] as Date[] };
  const handler = {
    kind: 'deposit',
    create: async () => {
      calls.create++;
      return behaviour.create ? behaviour.create(calls.create) : { remote: transfer(`tr-${calls.create}`), outcome: 'created' };
    },
    reconcile: async (_resource: unknown, since: Date) => {
      calls.since.push(since);
      return behaviour.reconcile?.(++calls.reconcile, since);
    },
  } as unknown as ResourceHandler;
  return { handler, calls };
}

const lines = async () =>
  (await readFile(file, 'utf8'))
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as { type: string; id: string; address?: string; result?: string });

/** Addresses of the intents in the journal file that no done line closes: what a reopened journal finds open. */
const openAddresses = async () => {
  const records = await lines();
  const closed = new Set(records.filter((record) => record.type === 'done').map((record) => record.id));
  return records.filter((record) => record.type === 'intent' && !closed.has(record.id)).map((record) => record.address);
};

/** A run that crashed while its create was in flight: the intent is on disk, its done never will be. */
async function crashedRun(address: Address, options: { amount?: string; profile?: Address; context?: ApplyContext } = {}) {
  const { step, resource } = deposit(address, options);
  const { handler, calls } = fakeHandler({ create: () => new Promise<never>(() => {}) });
  void createJournaledCreate(await openJournal(file))(step, resource, handler, options.context ?? context);
  await vi.waitFor(() => expect(calls.create).toBe(1));
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

describe('createJournaledCreate', () => {
  it('journals an intent before the call and its done after, and leaves nothing open', async () => {
    const { step, resource } = deposit('deposit.d1');
    const onDiskAtCall: string[] = [];
    const { handler, calls } = fakeHandler({
      create: async () => {
        onDiskAtCall.push(...(await lines()).map((record) => record.type));
        return { remote: transfer('tr-1'), outcome: 'created' };
      },
    });

    const applied = await createJournaledCreate(await openJournal(file))(step, resource, handler, context);

    expect(applied).toEqual({ remote: transfer('tr-1'), outcome: 'created' });
    expect(calls).toMatchObject({ create: 1, reconcile: 0 });
    expect(onDiskAtCall).toEqual(['intent']);
    const [intent, done] = await lines();
    expect(intent).toMatchObject({ type: 'intent', address: 'deposit.d1' });
    expect(done).toEqual({ type: 'done', id: intent?.id, result: 'tr-1' });
    expect(await openAddresses()).toEqual([]);
  });

  describe('an intent a previous run left open', () => {
    it('is reconciled before anything is sent, and adopts what it finds without sending', async () => {
      await crashedRun('deposit.d1');
      const { step, resource } = deposit('deposit.d1');
      const { handler, calls } = fakeHandler({ reconcile: () => transfer('tr-landed') });

      const applied = await createJournaledCreate(await openJournal(file))(step, resource, handler, context);

      expect(applied).toEqual({ remote: transfer('tr-landed'), outcome: 'adopted' });
      expect(calls).toMatchObject({ create: 0, reconcile: 1 });
      expect(await openAddresses()).toEqual([]);
      expect((await lines()).at(-1)).toMatchObject({ type: 'done', result: 'tr-landed' });
    });

    it('reconciles for objects made since the intent was written, less some clock skew', async () => {
      const before = Date.now();
      await crashedRun('deposit.d1');
      const { step, resource } = deposit('deposit.d1');
      const { handler, calls } = fakeHandler({ reconcile: () => transfer('tr-landed') });

      await createJournaledCreate(await openJournal(file))(step, resource, handler, context);

      const intentAt = Date.parse(((await lines())[0] as { at?: string } | undefined)?.at ?? '');
      expect(intentAt).toBeGreaterThanOrEqual(before);
      expect(calls.since[0]?.getTime()).toBeLessThan(intentAt);
    });

    it('is closed absent when reconciling finds nothing, and the create is sent exactly once', async () => {
      await crashedRun('deposit.d1');
      const { step, resource } = deposit('deposit.d1');
      const order: string[] = [];
      const { handler, calls } = fakeHandler({
        reconcile: () => {
          order.push('reconcile');
          return undefined;
        },
        create: async () => {
          order.push('create');
          return { remote: transfer('tr-new'), outcome: 'created' };
        },
      });

      const applied = await createJournaledCreate(await openJournal(file))(step, resource, handler, context);

      expect(applied.remote.id).toBe('tr-new');
      expect(order).toEqual(['reconcile', 'create']);
      expect(calls.create).toBe(1);
      expect((await lines()).map((record) => [record.type, record.result])).toEqual([
        ['intent', undefined],
        ['done', 'absent'],
        ['intent', undefined],
        ['done', 'tr-new'],
      ]);
      expect(await openAddresses()).toEqual([]);
    });

    it.each([
      ['another amount', { amount: '250' }],
      ['another profile', { profile: 'profile.q' as Address }],
      ['the same profile address made anew (another remote id)', { context: contextWith({ 'profile.p': { ...profiles['profile.p'], id: 'prof-old' } as RemoteObject }) }],
    ])('is not this resource’s when it asked for %s', async (_what, options) => {
      await crashedRun('deposit.d1', options);
      const { step, resource } = deposit('deposit.d1');
      const { handler, calls } = fakeHandler({ reconcile: () => transfer('tr-other') });

      const applied = await createJournaledCreate(await openJournal(file))(step, resource, handler, context);

      expect(applied.outcome).toBe('created');
      expect(calls).toMatchObject({ create: 1, reconcile: 0 });
      expect(await openAddresses()).toEqual(['deposit.d1']);
    });

    it('is closed with the id of what the plan found already made (resolveOpen)', async () => {
      await crashedRun('deposit.d1');
      const { step, resource } = deposit('deposit.d1');

      await createJournaledCreate(await openJournal(file)).resolveOpen(step, resource, transfer('tr-found'), context);

      expect(await openAddresses()).toEqual([]);
      expect((await lines()).at(-1)).toMatchObject({ type: 'done', result: 'tr-found' });
    });
  });

  describe('a create whose answer was lost', () => {
    const lost = () => Promise.reject(new PaxosAmbiguousError('POST', '/transfer/deposits', { failure: 'UND_ERR_SOCKET' }));

    it('is found by reconciling on a later look: created, sent once, its intent closed with the found id', async () => {
      const { step, resource } = deposit('deposit.d1');
      const { handler, calls } = fakeHandler({ create: lost, reconcile: (look) => (look === 2 ? transfer('tr-late') : undefined) });

      const applied = await createJournaledCreate(await openJournal(file))(step, resource, handler, context);

      expect(applied).toEqual({ remote: transfer('tr-late'), outcome: 'created' });
      expect(calls).toMatchObject({ create: 1, reconcile: 2 });
      expect(await openAddresses()).toEqual([]);
      expect((await lines()).at(-1)).toMatchObject({ type: 'done', result: 'tr-late' });
    });

    it('fails apply.unconfirmed_write once the listing lag has passed without it, sends nothing again, and leaves its intent open for the next run', async () => {
      const { step, resource } = deposit('deposit.d1');
      const { handler, calls } = fakeHandler({ create: lost, reconcile: () => undefined });

      const started = Date.now();
      const error: unknown = await createJournaledCreate(await openJournal(file))(step, resource, handler, context).catch((caught: unknown) => caught);
      // Looked for until the listing could no longer be lagging (the context's listingLagMs), not given up at once.
      expect(Date.now() - started).toBeGreaterThanOrEqual(context.listingLagMs - 5);

      expect(error).toBeInstanceOf(PaxosOnboardError);
      expect(error).toMatchObject({ code: 'apply.unconfirmed_write' });
      expect((error as Error).cause).toBeInstanceOf(PaxosAmbiguousError);
      expect(calls.create).toBe(1);
      expect(calls.reconcile).toBeGreaterThanOrEqual(2);
      expect(await openAddresses()).toEqual(['deposit.d1']);

      // The next run reconciles that intent before sending anything.
      const next = fakeHandler({ reconcile: () => transfer('tr-landed-later') });
      const applied = await createJournaledCreate(await openJournal(file))(step, resource, next.handler, context);
      expect(applied.outcome).toBe('adopted');
      expect(next.calls.create).toBe(0);
    });
  });

  it.each([
    ['a 400 from Paxos', () => new PaxosApiError({ status: 400, problem: { title: 'Bad Request' }, method: 'POST', path: '/transfer/deposits' })],
    ['a PaxosOnboardError', () => new PaxosOnboardError('deposit.invalid', 'no such asset')],
  ])('rethrows a clear error (%s) and closes its intent absent', async (_what, make) => {
    const { step, resource } = deposit('deposit.d1');
    const thrown = make();
    const { handler, calls } = fakeHandler({ create: () => Promise.reject(thrown), reconcile: () => transfer('tr-wrong') });

    await expect(createJournaledCreate(await openJournal(file))(step, resource, handler, context)).rejects.toBe(thrown);

    expect(calls).toMatchObject({ create: 1, reconcile: 0 });
    expect(await openAddresses()).toEqual([]);
    expect((await lines()).at(-1)).toMatchObject({ type: 'done', result: 'absent' });
  });

  describe('creates of one dependency group', () => {
    it('run one after the other, while another group overlaps them', async () => {
      const journaledCreate = createJournaledCreate(await openJournal(file));
      const started: string[] = [];
      const answers = new Map<string, ReturnType<typeof deferred<Applied>>>();
      const handler = {
        kind: 'deposit',
        create: (resource: { address: string }) => {
          started.push(resource.address);
          const answer = deferred<Applied>();
          answers.set(resource.address, answer);
          return answer.promise;
        },
        reconcile: async () => undefined,
      } as unknown as ResourceHandler;
      const a = deposit('deposit.a');
      const b = deposit('deposit.b');
      const c = deposit('deposit.c', { profile: 'profile.q' });

      const first = journaledCreate(a.step, a.resource, handler, context);
      const second = journaledCreate(b.step, b.resource, handler, context);
      const other = journaledCreate(c.step, c.resource, handler, context);

      await vi.waitFor(() => expect(started).toEqual(expect.arrayContaining(['deposit.a', 'deposit.c'])));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(started).not.toContain('deposit.b');

      answers.get('deposit.a')?.resolve({ remote: transfer('tr-a'), outcome: 'created' });
      await expect(first).resolves.toMatchObject({ remote: { id: 'tr-a' } });
      await vi.waitFor(() => expect(started).toContain('deposit.b'));
      expect(started.indexOf('deposit.b')).toBeGreaterThan(started.indexOf('deposit.a'));

      answers.get('deposit.b')?.resolve({ remote: transfer('tr-b'), outcome: 'created' });
      answers.get('deposit.c')?.resolve({ remote: transfer('tr-c'), outcome: 'created' });
      await expect(second).resolves.toMatchObject({ remote: { id: 'tr-b' } });
      await expect(other).resolves.toMatchObject({ remote: { id: 'tr-c' } });
    });

    it('go on after one of them fails', async () => {
      const journaledCreate = createJournaledCreate(await openJournal(file));
      let calls = 0;
      const handler = {
        kind: 'deposit',
        create: async () => {
          calls++;
          if (calls === 1) throw new PaxosOnboardError('deposit.invalid', 'refused');
          return { remote: transfer('tr-b'), outcome: 'created' };
        },
        reconcile: async () => undefined,
      } as unknown as ResourceHandler;
      const a = deposit('deposit.a');
      const b = deposit('deposit.b');

      const results = await Promise.allSettled([journaledCreate(a.step, a.resource, handler, context), journaledCreate(b.step, b.resource, handler, context)]);

      expect(results.map((result) => result.status)).toEqual(['rejected', 'fulfilled']);
      expect(await openAddresses()).toEqual([]);
    });
  });
});
