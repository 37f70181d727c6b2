import { describe, expect, it } from 'vitest';
import { mixedPlan, planOf, step } from '../../test/support/plan-builders.js';
import { renderPlanText } from './render-text.js';

describe('renderPlanText', () => {
  it('shows one line per step with its symbol, diffs under updates, reasons under blocked steps, warnings, and the summary', () => {
    expect(renderPlanText(mixedPlan(), { color: false })).toMatchInlineSnapshot(`
      "Refreshed 8 resources with 4 API calls.

      Symbols: + create   ~ update in place   = adopt (exists remotely)   ✓ approve (sandbox-status)   … wait (for Paxos)   ! blocked

        + person.alice      ref_id=seed-person-alice  (then approve)
        = person.bob        id id-bob  APPROVED
        ~ person.carol      id id-carol  APPROVED
            ~ /address/city: "New York" → "Boston"
            + /email: "carol@example.com"
        ✓ person.dave       id id-dave  PENDING
        ! institution.acme  id id-acme
            ~ /cip_id: "***-**-1127" → "***-**-2222"  (cannot be changed: blocks this step)
            reason: cip_id cannot be changed once the identity exists
        ! account.main
            reason: depends on a blocked resource
            blocked by: institution.acme
        … order.buy         id id-order  SUBMITTED

      Warnings:
        - deposit.usd: matched an existing deposit of 100 USD

      Plan: 1 create, 1 update, 1 adopt, 1 approve, 1 wait, 1 blocked, 1 skipped, 1 noop, 0 orphan; then 1 approve, 0 wait.
      "
    `);
  });

  it('lists unchanged steps on request', () => {
    const text = renderPlanText(mixedPlan(), { color: false, showUnchanged: true });
    expect(text).toContain('· deposit.usd');
    expect(text).toContain('· noop (unchanged)');
  });

  it('says so when nothing changes, and still prints warnings', () => {
    const plan = planOf([step('person.alice', 'noop', { remoteId: 'id-alice', warnings: ['adopted identity id-x by its cip_id'] })]);
    expect(renderPlanText(plan, { color: false })).toMatchInlineSnapshot(`
      "Refreshed 1 resource with 4 API calls.

      Warnings:
        - person.alice: adopted identity id-x by its cip_id

      No changes. The remote matches the manifest.
      "
    `);
  });

  it('says when the refresh had to repeat requests or was rate limited', () => {
    const plan = planOf([], { refresh: { calls: 9, callsByKind: { person: 9 }, retries: 2, rateLimited: 1 } });
    expect(renderPlanText(plan, { color: false })).toContain('Refreshed 0 resources with 9 API calls (2 repeated after a failure, 1 rate-limited (429)).');
    expect(renderPlanText(planOf([]), { color: false })).toContain('Refreshed 0 resources with 4 API calls.\n');
  });

  it('says so for an empty manifest', () => {
    expect(renderPlanText(planOf([]), { color: false })).toContain('No changes. The remote matches the manifest.');
  });

  it('colours only when asked', () => {
    expect(renderPlanText(mixedPlan(), { color: false })).not.toContain('\u001b[');
    const coloured = renderPlanText(mixedPlan(), { color: true });
    expect(coloured).toContain('\u001b[32m+ person.alice');
    expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe(renderPlanText(mixedPlan(), { color: false }));
  });

  it('prints values exactly as the plan holds them: masked stays masked', () => {
    const text = renderPlanText(mixedPlan(), { color: false });
    expect(text).toContain('"***-**-1127" → "***-**-2222"');
  });

  it('names a blocking address once when the reason already does', () => {
    const plan = planOf([step('account.b', 'blocked', { reason: 'depends on person.a, which is blocked', blockedBy: 'person.a' as never })]);
    expect(renderPlanText(plan, { color: false })).not.toContain('blocked by:');
  });

  it('counts approvals that follow a create or an adopt', () => {
    const plan = planOf([
      step('person.a', 'create', { then: ['approve'] }),
      step('person.b', 'adopt', { then: ['approve'] }),
      step('person.c', 'approve'),
      step('order.o', 'create', { then: ['wait'] }),
    ]);
    expect(renderPlanText(plan, { color: false })).toContain('Plan: 2 create, 0 update, 1 adopt, 1 approve, 0 wait, 0 blocked, 0 skipped, 0 noop, 0 orphan; then 2 approve, 1 wait.');
  });
});
