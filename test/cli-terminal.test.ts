/** Issue 13: terminal conventions — NO_COLOR and FORCE_COLOR, a question that reads well, no step blocked by itself. */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { skipReason } from '../src/apply/progress/progress-common.js';
import { confirmationQuestion } from '../src/cli/commands/apply.js';
import { useColor } from '../src/cli/commands/plan.js';

const terminal = Object.assign(new PassThrough(), { isTTY: true });
const pipe = new PassThrough();

describe('colour', () => {
  it.each([
    [terminal, {}, true],
    [terminal, { NO_COLOR: '1' }, false],
    [terminal, { CI: 'true' }, false],
    [pipe, {}, false],
    [pipe, { FORCE_COLOR: '1' }, true],
    [pipe, { FORCE_COLOR: '' }, true],
    [terminal, { FORCE_COLOR: '0' }, false],
    [terminal, { FORCE_COLOR: 'false' }, false],
    [pipe, { CI: 'true', NO_COLOR: '1', FORCE_COLOR: '3' }, true],
  ] as const)('%#: a %s with %j colours: %s', (stdout, env, expected) => {
    expect(useColor({ stdout, env: { ...env } })).toBe(expected);
  });
});

describe('the confirmation question', () => {
  const local = { kind: 'local' as const, apiUrl: 'http://127.0.0.1:1/v2' };
  it('counts in words that agree, leaves out zeros, and names the target', () => {
    expect(confirmationQuestion({ create: 8, update: 0, adopt: 0, approve: 3 }, local)).toBe('Apply 8 creates and 3 approvals to the local emulator?');
    expect(confirmationQuestion({ create: 1, update: 2, adopt: 1, approve: 1 }, { kind: 'sandbox', apiUrl: '' })).toBe('Apply 1 create, 2 updates, 1 adoption and 1 approval to the Paxos sandbox?');
    expect(confirmationQuestion({ create: 0, update: 0, adopt: 0, approve: 0 }, { kind: 'url', apiUrl: 'http://127.0.0.1:4010/v2' })).toBe('Apply the plan to the server at http://127.0.0.1:4010/v2?');
  });
});

describe('a skipped step', () => {
  it('is never "blocked by" itself, and names another blocker', () => {
    const base = { type: 'skipped', at: '2024-01-01T00:00:00Z', kind: 'deposit', reason: 'identity person.a is not APPROVED' } as const;
    expect(skipReason({ ...base, address: 'deposit.d1', blockedBy: 'deposit.d1' })).toBe('identity person.a is not APPROVED');
    expect(skipReason({ ...base, address: 'order.o1', blockedBy: 'deposit.d1' })).toBe('identity person.a is not APPROVED (blocked by deposit.d1)');
  });
});
