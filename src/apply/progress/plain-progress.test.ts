import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ApplyEvent } from '../apply-types.js';
import { eventTime, summaryOf } from '../../../test/support/apply-events.js';
import { createPlainProgress } from './plain-progress.js';

const at = (second: number): string => eventTime(second, '.250');

const summary = summaryOf({ created: 2, adopted: 1, unchanged: 2, failed: 1, skipped: 1 }, { elapsedMs: 12_345, calls: 41, callsByClass: { default: 30, tenPerSecond: 11 }, retries: 1, writes: 9 });

/** A first apply of a small brokerage: two persons (one fails), their accounts, an order; a converged deposit. */
const run: ApplyEvent[] = [
  { type: 'run-start', at: at(0), target: 'local emulator at http://127.0.0.1:4010', total: 7, byKind: { person: 2, account: 2, deposit: 1, order: 2 }, concurrency: 8 },
  { type: 'start', at: at(1), address: 'person.alice', kind: 'person', action: 'create', description: 'ref_id=seed-person-alice' },
  { type: 'start', at: at(1), address: 'person.bob', kind: 'person', action: 'create' },
  { type: 'start', at: at(1), address: 'deposit.usd', kind: 'deposit', action: 'noop' },
  { type: 'done', at: at(1), address: 'deposit.usd', kind: 'deposit', outcome: 'unchanged', ids: { transfer_id: 'tr-1' }, status: 'COMPLETED' },
  { type: 'phase', at: at(2), address: 'person.alice', kind: 'person', phase: 'approving' },
  { type: 'phase', at: at(2), address: 'person.alice', kind: 'person', phase: 'approving' },
  { type: 'failed', at: at(2), address: 'person.bob', kind: 'person', error: { code: 'identity.cip_conflict', message: 'cip_id ***-**-1127 belongs to identity 9f1c…' } },
  { type: 'skipped', at: at(2), address: 'account.bob', kind: 'account', reason: 'depends on person.bob, which failed', blockedBy: 'person.bob' },
  { type: 'phase', at: at(3), address: 'person.alice', kind: 'person', phase: 'waiting-for-approval' },
  { type: 'done', at: at(5), address: 'person.alice', kind: 'person', outcome: 'created', ids: { identity_id: '34bc4c77-c502-4b6d-bb7a-82c355c5a475' }, status: 'APPROVED' },
  { type: 'start', at: at(5), address: 'account.alice', kind: 'account', action: 'adopt' },
  { type: 'warning', at: at(6), address: 'account.alice', message: 'adopted account found by its ref_id after a lost answer' },
  { type: 'done', at: at(6), address: 'account.alice', kind: 'account', outcome: 'adopted', ids: { account_id: 'acc-7', profile_id: 'prof-7' } },
  { type: 'start', at: at(7), address: 'order.buy', kind: 'order', action: 'create', description: 'BUY ETHUSD MARKET, spend 2000' },
  { type: 'phase', at: at(8), address: 'order.buy', kind: 'order', phase: 'waiting-for-fill' },
  { type: 'done', at: at(9), address: 'order.buy', kind: 'order', outcome: 'created', ids: { order_id: 'ord-1' }, status: 'FILLED' },
  { type: 'start', at: at(9), address: 'order.sell', kind: 'order', action: 'wait' },
  { type: 'done', at: at(10), address: 'order.sell', kind: 'order', outcome: 'unchanged', ids: { order_id: 'ord-2' }, status: 'FILLED' },
  { type: 'warning', at: at(11), message: 'the sandbox approves identities only in sandbox mode' },
  { type: 'run-end', at: at(12), summary },
];

function render(events: ApplyEvent[], options: Parameters<typeof createPlainProgress>[1] = {}): string {
  const stream = new PassThrough();
  const progress = createPlainProgress(stream, options);
  for (const event of events) progress.onEvent(event);
  return stream.read()?.toString() ?? '';
}

describe('createPlainProgress', () => {
  it('writes one timestamped line per change, the endings with their ids, and the summary', () => {
    expect(render(run)).toMatchInlineSnapshot(`
      "14:03:00 Applying 7 resources to local emulator at http://127.0.0.1:4010 (2 person, 2 account, 1 deposit, 2 order), 8 at a time
      14:03:01 + person.alice  creating  ref_id=seed-person-alice
      14:03:01 + person.bob  creating
      14:03:02 ✓ person.alice  approving
      14:03:02 ✗ person.bob  failed  identity.cip_conflict: cip_id ***-**-1127 belongs to identity 9f1c…
      14:03:02 - account.bob  skipped: depends on person.bob, which failed
      14:03:03 … person.alice  waiting for approval
      14:03:05 + person.alice  created  identity_id=34bc4c77-c502-4b6d-bb7a-82c355c5a475  APPROVED
      14:03:05 = account.alice  adopting
      14:03:06 ! warning  account.alice: adopted account found by its ref_id after a lost answer
      14:03:06 = account.alice  adopted  account_id=acc-7  profile_id=prof-7
      14:03:07 + order.buy  creating  BUY ETHUSD MARKET, spend 2000
      14:03:08 … order.buy  waiting for fill
      14:03:09 + order.buy  created  order_id=ord-1  FILLED
      14:03:09 … order.sell  waiting
      14:03:10 · order.sell  unchanged  order_id=ord-2  FILLED
      14:03:11 ! warning  the sandbox approves identities only in sandbox mode
      14:03:12 Apply: 2 created, 1 adopted, 0 updated, 2 unchanged, 1 failed, 0 blocked, 1 skipped in 12.3 s (41 calls, 0 × 429)
      "
    `);
  });

  it('lists converged resources too with verbose', () => {
    const text = render(run, { verbose: true });
    expect(text).toContain('14:03:01 · deposit.usd  unchanged  transfer_id=tr-1  COMPLETED\n');
    expect(text).not.toContain('checking');
  });

  it('falls back to the clock for an unreadable time, and ignores what it cannot print', () => {
    const stream = new PassThrough();
    const progress = createPlainProgress(stream, { now: () => new Date('2024-05-01T09:08:07Z') });
    progress.onEvent({ type: 'warning', at: 'not a time', message: 'x' });
    progress.onEvent({ type: 'mystery' } as unknown as ApplyEvent);
    progress.onEvent({ type: 'done', at: at(1) } as unknown as ApplyEvent);
    expect(stream.read()?.toString()).toBe('09:08:07 ! warning  x\n');
  });

});
