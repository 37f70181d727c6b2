import { PassThrough } from 'node:stream';
import { setImmediate as tick } from 'node:timers/promises';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { ApplyEvent } from '../apply-types.js';
import { eventTime, summaryOf } from '../../../test/support/apply-events.js';
import { createListrProgress, type ListrProgressOptions } from './listr-progress.js';

const at = (second: number): string => eventTime(second);

const summary = summaryOf({ created: 2, adopted: 1, unchanged: 1, failed: 1, blocked: 1, skipped: 1 }, { elapsedMs: 9_000, calls: 23, callsByClass: { default: 23 }, rateLimited: 2, retries: 2, writes: 6 });

const runStart: ApplyEvent = {
  type: 'run-start',
  at: at(0),
  target: 'local emulator at http://127.0.0.1:4010',
  total: 7,
  byKind: { person: 2, institution: 1, account: 2, deposit: 1, order: 1 },
  concurrency: 8,
};

/** A first apply: persons, an institution the plan blocked, accounts (one skipped), a converged deposit, an order. */
const run: ApplyEvent[] = [
  runStart,
  { type: 'start', at: at(1), address: 'person.alice', kind: 'person', action: 'create' },
  { type: 'start', at: at(1), address: 'person.bob', kind: 'person', action: 'create' },
  { type: 'start', at: at(1), address: 'deposit.usd', kind: 'deposit', action: 'noop' },
  { type: 'done', at: at(1), address: 'deposit.usd', kind: 'deposit', outcome: 'unchanged', ids: { transfer_id: 'tr-1' } },
  { type: 'blocked', at: at(1), address: 'institution.acme', kind: 'institution', reason: '/cip_id cannot be changed' },
  { type: 'phase', at: at(2), address: 'person.alice', kind: 'person', phase: 'waiting-for-approval' },
  { type: 'failed', at: at(2), address: 'person.bob', kind: 'person', error: { code: 'identity.cip_conflict', message: 'cip_id belongs to identity 9f1c…' } },
  { type: 'skipped', at: at(2), address: 'account.bob', kind: 'account', reason: 'depends on person.bob, which failed', blockedBy: 'person.bob' },
  { type: 'done', at: at(4), address: 'person.alice', kind: 'person', outcome: 'created', ids: { identity_id: 'id-alice' }, status: 'APPROVED' },
  { type: 'start', at: at(4), address: 'account.alice', kind: 'account', action: 'adopt' },
  { type: 'warning', at: at(5), address: 'account.alice', message: 'adopted by its ref_id after a lost answer' },
  { type: 'done', at: at(5), address: 'account.alice', kind: 'account', outcome: 'adopted', ids: { account_id: 'acc-7' } },
  { type: 'start', at: at(6), address: 'order.buy', kind: 'order', action: 'create', description: 'BUY ETHUSD MARKET, spend 2000' },
  { type: 'phase', at: at(7), address: 'order.buy', kind: 'order', phase: 'waiting-for-fill' },
  { type: 'done', at: at(9), address: 'order.buy', kind: 'order', outcome: 'created', ids: { order_id: 'ord-1' }, status: 'FILLED' },
  { type: 'run-end', at: at(9), summary },
];

/** Runs events through listr2's line renderer into a stream, as the executor would, and returns what a user would read. */
async function render(events: ApplyEvent[], options: { pause?: boolean; close?: boolean } & ListrProgressOptions = {}): Promise<string> {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const progress = createListrProgress(stream, { renderer: 'simple', color: false, now: () => new Date(at(3)), ...options });
  for (const event of events) {
    expect(() => progress.onEvent(event)).not.toThrow();
    if (options.pause) await tick(); // let listr2 start its tasks between events, as a real run does
  }
  if (options.close !== false) await expect(progress.close()).resolves.toBeUndefined();
  return stripVTControlCharacters(text);
}

describe('createListrProgress', () => {
  for (const pause of [false, true]) {
    it(`shows each resource's ending, the kinds' counts and the summary (events ${pause ? 'spread out' : 'all at once'})`, async () => {
      const text = await render(run, { pause });
      expect(text).toContain('Applying to local emulator at http://127.0.0.1:4010  0/7  3 s');
      expect(text).toContain('person.alice  created  identity_id=id-alice  APPROVED');
      expect(text).toMatch(/person\.bob {2}failed.*identity\.cip_conflict: cip_id belongs to identity 9f1c…/);
      expect(text).toMatch(/institution\.acme {2}blocked.*\/cip_id cannot be changed/);
      expect(text).toMatch(/account\.bob {2}skipped.*depends on person\.bob, which failed/);
      expect(text).toContain('account.alice  adopted  account_id=acc-7');
      expect(text).toContain('! warning  account.alice: adopted by its ref_id after a lost answer');
      expect(text).toContain('order.buy  created  order_id=ord-1  FILLED');
      expect(text).toContain('✖ person  2/2 [FAILED: 1 failed]');
      expect(text).toContain('↓ account  2/2 [SKIPPED: 1 skipped]');
      expect(text).toContain('deposit  1/1');
      expect(text).not.toContain('deposit.usd'); // converged: counted, not listed
      expect(text.trimEnd().split('\n').at(-1)).toContain('Apply: 2 created, 1 adopted, 0 updated, 1 unchanged, 1 failed, 1 blocked, 1 skipped in 9.0 s (23 calls, 2 × 429)');
    });
  }

  it('never puts a ✔ over a kind or a run with failures: the kind with a failed resource fails, one only skipped is not ticked', async () => {
    const text = await render(run);
    expect(text).toContain('✖ person  2/2 [FAILED: 1 failed]');
    expect(text).toContain('↓ institution  1/1 [SKIPPED: 1 blocked]');
    expect(text).toContain('↓ account  2/2 [SKIPPED: 1 skipped]');
    expect(text).toMatch(/✖ Apply: 2 created, .* 1 failed, .*\[FAILED: 1 failed, 1 blocked, 1 skipped\]/);
    expect(text).not.toMatch(/✔ .*failed/);
    expect(text).toContain('✔ deposit  1/1');
  });

  it('lists converged resources too with verbose', async () => {
    expect(await render(run, { verbose: true })).toContain('deposit.usd  unchanged  transfer_id=tr-1');
  });

  it('takes in stride events it cannot place: before run-start, of addresses never started, of kinds it was not told of, after run-end', async () => {
    const odd: ApplyEvent[] = [
      { type: 'start', at: at(0), address: 'person.early', kind: 'person', action: 'create' },
      runStart,
      runStart,
      { type: 'failed', at: at(1), address: 'order.ghost', kind: 'order', error: { code: 'order.rejected', message: 'never started' } },
      { type: 'done', at: at(1), address: 'profile.unknown', kind: 'profile', outcome: 'created', ids: {} },
      { type: 'phase', at: at(1), address: 'order.ghost', kind: 'order', phase: 'waiting-for-fill' },
      { type: 'done', at: at(1), address: 'order.ghost', kind: 'order', outcome: 'created', ids: {} },
      { type: 'done', at: at(1), address: 'order.extra', kind: 'order', outcome: 'created', ids: {} },
      { type: 'nonsense' } as unknown as ApplyEvent,
      { type: 'done', at: at(1) } as unknown as ApplyEvent,
      { type: 'run-end', at: at(2), summary },
      { type: 'start', at: at(3), address: 'person.late', kind: 'person', action: 'create' },
    ];
    const text = await render(odd, { pause: true });
    expect(text).toMatch(/order\.ghost {2}failed.*order\.rejected: never started/);
    expect(text).not.toMatch(/person\.early|person\.late|profile\.unknown|order\.extra/);
    expect(text).toContain('Apply: ');
  });

  it('finishes on close when run-end never came, marking what was in flight', async () => {
    const text = await render(run.slice(0, 8), { pause: true });
    expect(text).toMatch(/person\.alice {2}waiting for approval.*did not finish/);
    expect(text).toContain('Apply stopped  3/7');
  });

  it('closes at once when nothing ran', async () => {
    expect(await render([])).toBe('');
  });
});
