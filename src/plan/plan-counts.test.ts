import { describe, expect, it } from 'vitest';
import { mixedPlan, planOf, step } from '../../test/support/plan-builders.js';
import type { Plan } from './plan-types.js';
import { renderPlanJson } from './render-json.js';
import { renderPlanMarkdown } from './render-markdown.js';
import { renderPlanText } from './render-text.js';

/** The counts a reader takes from the text plan's summary line: `3 create`, …, `then 2 approve`. */
function textCounts(text: string): Record<string, number> {
  const line = text.split('\n').find((each) => each.startsWith('Plan: '));
  if (line === undefined) throw new Error(`no summary line in:\n${text}`);
  const [main = '', then = ''] = line.slice('Plan: '.length, -1).split('; then ');
  const counts: Record<string, number> = {};
  for (const part of main.split(', ')) {
    const [count, ...name] = part.split(' ');
    counts[name.join(' ')] = Number(count);
  }
  for (const part of then.split(', ')) {
    const [count, ...name] = part.split(' ');
    counts[`then ${name.join(' ')}`] = Number(count);
  }
  return counts;
}

/** The counts of the Markdown table: `| \`+\` create | 3 |`. */
function markdownCounts(markdown: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const match of markdown.matchAll(/^\| (?:`[^`]+` )?([a-z ]+) \| (\d+) \|$/gm)) counts[match[1] as string] = Number(match[2]);
  return counts;
}

/** The counts of the JSON summary, under the same names. */
function jsonCounts(json: string): Record<string, number> {
  const { summary } = JSON.parse(json) as Plan;
  return { ...summary.byAction, skipped: summary.skipped, orphan: summary.orphan, 'then approve': summary.then.approve, 'then wait': summary.then.wait };
}

describe('plan counts', () => {
  const plans: Array<[string, Plan]> = [
    ['a plan with every action, a blocked chain and follow-ups', mixedPlan()],
    [
      'a first apply: creates approved and waited for after',
      planOf([
        step('person.a', 'create', { then: ['approve'] }),
        step('person.b', 'adopt', { remoteId: 'b', then: ['approve'] }),
        step('order.o', 'create', { then: ['wait'] }),
        step('account.x', 'noop', { remoteId: 'x' }),
      ]),
    ],
  ];

  it.each(plans)('are the same names and numbers in text, Markdown and JSON: %s', (_name, plan) => {
    const text = textCounts(renderPlanText(plan, { color: false }));
    const markdown = markdownCounts(renderPlanMarkdown(plan));
    const json = jsonCounts(renderPlanJson(plan));
    expect(text).toEqual(json);
    expect(markdown).toEqual(json);
    expect(Object.keys(json).sort()).toEqual(['adopt', 'approve', 'blocked', 'create', 'noop', 'orphan', 'skipped', 'then approve', 'then wait', 'update', 'wait']);
  });

  it('counts a step blocked by a dependency as skipped, as apply reports it, and approvals after a create under then', () => {
    const plan = planOf([
      step('person.alice', 'blocked', { reason: 'cip_id cannot be changed once the identity exists' }),
      step('account.main', 'blocked', { reason: 'depends on person.alice, which is blocked', blockedBy: 'person.alice' as never }),
      step('deposit.usd', 'blocked', { reason: 'depends on account.main, which is blocked', blockedBy: 'person.alice' as never }),
      step('person.bob', 'create', { then: ['approve'] }),
    ]);
    expect(plan.summary).toMatchObject({ byAction: { blocked: 1, create: 1, approve: 0 }, skipped: 2, then: { approve: 1, wait: 0 } });
    expect(renderPlanText(plan, { color: false })).toContain('Plan: 1 create, 0 update, 0 adopt, 0 approve, 0 wait, 1 blocked, 2 skipped, 0 noop, 0 orphan; then 1 approve, 0 wait.');
  });
});
