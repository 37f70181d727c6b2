import type { Issue } from '../errors.js';

/**
 * Values shorter than this are not searched for: a 3-letter value (`USD`,
 * `USA`) would blank unrelated words of every message, and says little.
 */
export const minScrubbedLength = 4;

/** What a scrubbed value is replaced by: fixed, so its length is not shown either. */
export const scrubbedText = '****';

/**
 * Replaces every occurrence of the given values in `text`. Longest first, so
 * a value that contains another is replaced whole.
 */
export function scrubValues(text: string, values: Iterable<string>): string {
  return createScrubber(values)(text);
}

/** `scrubValues` with the values sorted once, for many texts. */
export function createScrubber(values: Iterable<string>): (text: string) => string {
  const sorted = [...new Set(values)].filter((value) => value.length >= minScrubbedLength).sort((a, b) => b.length - a.length);
  return (text) => {
    let result = text;
    for (const value of sorted) if (result.includes(value)) result = result.split(value).join(scrubbedText);
    return result;
  };
}

/**
 * The last line of defence for "no interpolated value in any output": every
 * rule already avoids naming an interpolated value, and fields that are
 * printed as written (addresses, ref_ids, options) refuse interpolation; a
 * value that still reaches a message or hint is replaced here.
 */
export function scrubIssues(issues: readonly Issue[], substituted: ReadonlySet<string>): Issue[] {
  if (substituted.size === 0) return [...issues];
  const scrub = createScrubber(substituted);
  return issues.map((issue) => {
    const message = scrub(issue.message);
    const hint = issue.hint === undefined ? undefined : scrub(issue.hint);
    if (message === issue.message && hint === issue.hint) return issue;
    return { ...issue, message, ...(hint !== undefined ? { hint } : {}) };
  });
}
