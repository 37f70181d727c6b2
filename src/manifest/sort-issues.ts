import type { Issue } from '../errors.js';

/**
 * Sorts issues by file (in the order the files were read), then line and
 * column; issues without a file come first. Where a semantic check and a
 * schema pattern both flag the same spot, the semantic one says more.
 */
export function sortIssues(issues: readonly Issue[], files: readonly string[]): Issue[] {
  const fileOrder = new Map(files.map((file, index) => [file, index]));
  const semanticAt = new Set(issues.filter((issue) => issue.code.startsWith('ref.')).map(positionKey));
  return issues
    .filter((issue) => !(issue.code === 'schema.pattern' && semanticAt.has(positionKey(issue))))
    .map((issue, order) => ({ issue, order }))
    .sort(
      (a, b) =>
        rank(a.issue, fileOrder) - rank(b.issue, fileOrder) ||
        (a.issue.line ?? 0) - (b.issue.line ?? 0) ||
        (a.issue.col ?? 0) - (b.issue.col ?? 0) ||
        a.order - b.order,
    )
    .map(({ issue }) => issue);
}

function rank(issue: Issue, fileOrder: Map<string, number>): number {
  if (issue.file === undefined) return -1;
  return fileOrder.get(issue.file) ?? fileOrder.size;
}

function positionKey(issue: Issue): string {
  return `${issue.file}|${issue.line}|${issue.col}`;
}
