import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ApplyEvent } from '../apply-types.js';
import { eventTime, summaryOf } from '../../../test/support/apply-events.js';
import { createJsonProgress } from './json-progress.js';

const at = (second: number): string => eventTime(second);

const run: ApplyEvent[] = [
  { type: 'run-start', at: at(0), target: 'local emulator at http://127.0.0.1:4010', total: 3, byKind: { person: 2, account: 1 }, concurrency: 8 },
  { type: 'start', at: at(1), address: 'person.alice', kind: 'person', action: 'create', description: 'ref_id=seed-person-alice' },
  { type: 'phase', at: at(2), address: 'person.alice', kind: 'person', phase: 'waiting-for-approval' },
  { type: 'done', at: at(3), address: 'person.alice', kind: 'person', outcome: 'created', ids: { identity_id: 'id-alice' }, status: 'APPROVED' },
  { type: 'failed', at: at(3), address: 'person.bob', kind: 'person', error: { code: 'identity.cip_conflict', message: 'line one\nline "two"' } },
  { type: 'skipped', at: at(3), address: 'account.bob', kind: 'account', reason: 'depends on person.bob, which failed', blockedBy: 'person.bob' },
  { type: 'warning', at: at(4), message: 'adopted by cip_id' },
  {
    type: 'run-end',
    at: at(5),
    summary: summaryOf({ created: 1, failed: 1, skipped: 1 }),
  },
];

describe('createJsonProgress', () => {
  it('writes each event as one JSON line that reads back as the same event, and nothing else', async () => {
    const stream = new PassThrough();
    const progress = createJsonProgress(stream);
    for (const event of run) progress.onEvent(event);
    await progress.close();

    const text: string = stream.read()?.toString() ?? '';
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.slice(0, -1).split('\n');
    expect(lines).toHaveLength(run.length);
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual(run);
  });

});
