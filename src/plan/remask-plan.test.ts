import { describe, expect, it } from 'vitest';
import { mixedPlan, planOf, step } from '../../test/support/plan-builders.js';
import { looksMasked, remaskPlan } from './remask-plan.js';

describe('remaskPlan', () => {
  it('leaves a masked plan exactly as it is', () => {
    const plan = mixedPlan();
    expect(remaskPlan(plan)).toEqual(plan);
  });

  it('keeps a list the planner masked part by part (tax ids masked, countries not)', () => {
    const value = [{ tax_payer_id: '***-**-1111', tax_payer_country: 'USA' }];
    const plan = planOf([step('person.a', 'update', { changes: [{ path: '/tax_details', before: value, after: [], updatable: true, sensitive: true }] })]);
    expect(remaskPlan(plan).steps[0]?.changes?.[0]?.before).toEqual(value);
  });

  it('masks raw sensitive values, and the same values where a reason or warning quotes them', () => {
    const plan = planOf([
      step('person.alice', 'blocked', {
        changes: [
          { path: '/cip_id', before: '987-65-4321', after: '123-45-1127', updatable: false, sensitive: true },
          { path: '/date_of_birth', before: '1970-02-02', after: '1980-01-01', updatable: false, sensitive: true },
          { path: '/tax_details', after: [{ tax_payer_id: '123-45-1127', tax_payer_country: 'USA' }], updatable: true, sensitive: true },
          { path: '/email', before: 'a@example.com', after: 'b@example.com', updatable: true, sensitive: false },
        ],
        reason: '`/cip_id` ("987-65-4321" → "123-45-1127"), `/date_of_birth` ("1970-02-02" → "1980-01-01") cannot be changed in the USA',
        warnings: ['cip_id 123-45-1127 is also used by identity x'],
      }),
    ]);
    const alice = remaskPlan(plan).steps[0]!;
    expect(alice.changes).toEqual([
      { path: '/cip_id', before: '***-**-4321', after: '***-**-1127', updatable: false, sensitive: true },
      { path: '/date_of_birth', before: '****-**-**', after: '****-**-**', updatable: false, sensitive: true },
      { path: '/tax_details', after: [{ tax_payer_id: '***-**-1127', tax_payer_country: '****' }], updatable: true, sensitive: true },
      { path: '/email', before: 'a@example.com', after: 'b@example.com', updatable: true, sensitive: false },
    ]);
    expect(alice.reason).toBe('`/cip_id` ("***-**-4321" → "***-**-1127"), `/date_of_birth` ("****-**-**" → "****-**-**") cannot be changed in the USA');
    expect(alice.warnings).toEqual(['cip_id ***-**-1127 is also used by identity x']);
  });

  it('recognises what maskValue makes, and nothing raw', () => {
    for (const masked of ['***-**-1127', '****-**-**', '****', '*****-****-0001']) expect(looksMasked(masked)).toBe(true);
    for (const raw of ['123-45-1127', '1980-01-01', 'USA', '12*34567', 42, null]) expect(looksMasked(raw)).toBe(false);
  });
});
