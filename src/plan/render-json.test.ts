import { describe, expect, it } from 'vitest';
import { mixedPlan, planOf, step } from '../../test/support/plan-builders.js';
import { renderPlanJson } from './render-json.js';

describe('renderPlanJson', () => {
  it('prints the plan itself, formatVersion 1, parseable and equal to the plan', () => {
    const plan = mixedPlan();
    const parsed = JSON.parse(renderPlanJson(plan)) as typeof plan;
    expect(parsed.formatVersion).toBe(1);
    expect(parsed).toEqual(JSON.parse(JSON.stringify(plan)));
  });

  it('is deterministic: key order and change order do not depend on how the plan was built', () => {
    const a = planOf([
      step('person.carol', 'update', {
        changes: [
          { path: '/email', after: 'c@example.com', updatable: true, sensitive: false },
          { path: '/address/city', before: 'A', after: 'B', updatable: true, sensitive: false },
        ],
      }),
    ]);
    const b = structuredClone(a);
    const carol = b.steps[0]!;
    b.steps[0] = { dependsOn: carol.dependsOn, changes: [...carol.changes!].reverse(), action: carol.action, kind: carol.kind, address: carol.address };
    expect(renderPlanJson(b)).toBe(renderPlanJson(a));
    expect(renderPlanJson(a).indexOf('/address/city')).toBeLessThan(renderPlanJson(a).indexOf('/email'));
  });

  it('sorts keys at every depth and ends with a newline', () => {
    const text = renderPlanJson(planOf([step('person.alice', 'create', { remoteKey: 'ref_id=x' })]));
    expect(text.endsWith('}\n')).toBe(true);
    const topKeys = Object.keys(JSON.parse(text) as object);
    expect(topKeys).toEqual([...topKeys].sort());
    expect(text).toMatch(/"action": "create",\n\s+"address": "person.alice",\n\s+"dependsOn": \[\],\n\s+"kind": "person",\n\s+"remoteKey": "ref_id=x"/);
  });

  it('leaves out absent fields rather than writing null', () => {
    expect(renderPlanJson(planOf([step('person.alice', 'create', { reason: undefined as unknown as string })]))).not.toContain('reason');
  });
});
