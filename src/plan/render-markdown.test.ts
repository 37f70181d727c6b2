import { describe, expect, it } from 'vitest';
import { mixedPlan, planOf, step } from '../../test/support/plan-builders.js';
import { renderPlanMarkdown } from './render-markdown.js';

describe('renderPlanMarkdown', () => {
  it('has a heading, the summary table and one item per step, diffs collapsed', () => {
    expect(renderPlanMarkdown(mixedPlan())).toMatchInlineSnapshot(`
      "<!-- paxos-onboard plan: dee81db38628d4a3 -->
      ### paxos-onboard plan

      **Plan: 1 create, 1 update, 1 adopt, 1 approve, 1 wait, 1 blocked, 1 skipped, 1 noop, 0 orphan; then 1 approve, 0 wait.**

      Manifest \`fixtures/example.yaml\` (environment \`sandbox\`), planned against the local emulator with 4 API calls.

      | action | count |
      |---|---:|
      | \`+\` create | 1 |
      | \`~\` update | 1 |
      | \`=\` adopt | 1 |
      | \`✓\` approve | 1 |
      | \`…\` wait | 1 |
      | \`!\` blocked | 1 |
      | skipped | 1 |
      | \`·\` noop | 1 |
      | orphan | 0 |
      | then approve | 1 |
      | then wait | 0 |

      #### Warnings

      - \`deposit.usd\`: matched an existing deposit of 100 USD

      #### Steps

      - \`+\` **create** \`person.alice\` — \`ref_id=seed-person-alice\` · then approve
      - \`=\` **adopt** \`person.bob\` — id \`id-bob\` · APPROVED
      - \`~\` **update** \`person.carol\` — id \`id-carol\` · APPROVED

        <details><summary>2 field changes</summary>

        \`\`\`diff
        - /address/city: "New York"
        + /address/city: "Boston"
        + /email: "carol@example.com"
        \`\`\`

        </details>

      - \`✓\` **approve** \`person.dave\` — id \`id-dave\` · PENDING
      - \`!\` **blocked** \`institution.acme\` — id \`id-acme\`
        <br>reason: cip\\_id cannot be changed once the identity exists

        <details><summary>1 field change</summary>

        \`\`\`diff
        - /cip_id: "***-**-1127"
        + /cip_id: "***-**-2222"   # cannot be changed: blocks this step
        \`\`\`

        </details>

      - \`!\` **blocked** \`account.main\`
        <br>reason: depends on a blocked resource
        <br>blocked by \`institution.acme\`
      - \`…\` **wait** \`order.buy\` — id \`id-order\` · SUBMITTED
      "
    `);
  });

  it('says when nothing changes', () => {
    const markdown = renderPlanMarkdown(planOf([step('person.alice', 'noop')]));
    expect(markdown).toContain('**No changes. The remote matches the manifest.**');
    expect(markdown).not.toContain('#### Steps');
  });

  it('keeps data from turning into Markdown or HTML', () => {
    const plan = planOf([step('person.x', 'blocked', { reason: 'see [here](http://evil) <img src=x> *now*' })]);
    const markdown = renderPlanMarkdown(plan);
    expect(markdown).toContain('reason: see \\[here\\](http://evil) &lt;img src=x&gt; \\*now\\*');
  });

  it('keeps the backticked fields of a reason as code, and names a blocking address once', () => {
    const plan = planOf([
      step('person.a', 'blocked', { reason: '`/cip_id` ("***-**-1111" → "***-**-1127") cannot be changed' }),
      step('account.b', 'blocked', { reason: 'depends on person.a, which is blocked', blockedBy: 'person.a' as never }),
    ]);
    const markdown = renderPlanMarkdown(plan);
    expect(markdown).toContain('<br>reason: `/cip_id` ("\\*\\*\\*-\\*\\*-1111" → "\\*\\*\\*-\\*\\*-1127") cannot be changed');
    expect(markdown).not.toContain('blocked by `person.a`');
  });

  it('stays under 65,000 characters for a 5,000-step plan, leaving out whole steps and saying how to see them', () => {
    const steps = Array.from({ length: 5_000 }, (_, index) =>
      step(`person.p${index}`, 'update', {
        remoteId: `id-${index}`,
        changes: [{ path: '/address/city', before: 'New York', after: `Boston ${index}`, updatable: true, sensitive: false }],
      }),
    );
    const markdown = renderPlanMarkdown(planOf(steps, { manifest: { environment: 'sandbox', files: ['seed/people.yaml'], digest: 'd' } }));
    expect(markdown.length).toBeLessThanOrEqual(65_000);
    const shown = markdown.match(/^- `~` \*\*update\*\* /gm)?.length ?? 0;
    expect(shown).toBeGreaterThan(100);
    // Whole steps only: every listed step has its closed details block.
    expect(markdown.match(/<\/details>/g)?.length).toBe(shown);
    expect(markdown).toContain(`**${(5_000 - shown).toLocaleString('en-US')} more steps not shown**`);
    expect(markdown).toContain('`paxos-onboard plan seed/people.yaml --format text`');
    expect(markdown).toContain('| `~` update | 5000 |');
  });

  it('names at most ten manifest files, so a directory of thousands stays within the limit', () => {
    const files = Array.from({ length: 2_000 }, (_, index) => `manifests/customer-${index}.yaml`);
    const markdown = renderPlanMarkdown(planOf([step('person.a', 'create')], { manifest: { environment: 'sandbox', files, digest: 'd' } }), { maxLength: 4_000 });
    expect(markdown.length).toBeLessThanOrEqual(4_000);
    expect(markdown).toContain('`manifests/customer-9.yaml` and 1990 more files');
    expect(markdown).not.toContain('customer-10.yaml');
  });

  it('adds no note when everything fits', () => {
    expect(renderPlanMarkdown(mixedPlan())).not.toContain('not shown');
  });

  it('fences values that contain backticks', () => {
    const plan = planOf([step('person.x', 'update', { changes: [{ path: '/name', before: 'a```b', after: 'c', updatable: true, sensitive: false }] })]);
    expect(renderPlanMarkdown(plan)).toContain('  ````diff\n  - /name: "a```b"\n  + /name: "c"\n  ````');
  });
});
