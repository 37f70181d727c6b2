import type { Issue } from '../errors.js';

/**
 * Issues about generated resources: each names its instance (the position is
 * the generator's, shared by all of them), and the same problem (code and
 * position) in many instances of one generator is said once, for the first,
 * with how many more share it: a slip in a `count: 200` generator is one
 * issue, not two hundred.
 */
export function nameInstances(issues: readonly Issue[]): Issue[] {
  if (!issues.some((issue) => issue.instance !== undefined)) return [...issues];
  const result: Issue[] = [];
  const groups = new Map<string, { issue: Issue; more: number; at: number }>();
  for (const issue of issues) {
    const { instance } = issue;
    if (instance === undefined) {
      result.push(issue);
      continue;
    }
    // One code at one spot of a generator is one slip, even where each instance's message names its own values.
    const group = `${issue.code}\u0000${issue.file}\u0000${issue.line}\u0000${issue.col}`;
    const seen = groups.get(group);
    if (seen) {
      seen.more += 1;
      continue;
    }
    const named = issue.message.includes(instance) ? issue.message : `${issue.message} (in generated \`${instance}\`)`;
    groups.set(group, { issue: { ...issue, message: named }, more: 0, at: result.length });
    result.push(issue);
  }
  for (const { issue, more, at } of groups.values()) {
    result[at] = more === 0 ? issue : { ...issue, message: `${issue.message}; and ${more} more instance${more === 1 ? '' : 's'} of the same generator` };
  }
  return result;
}
