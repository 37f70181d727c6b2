import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { formatIssue } from '../../src/cli/render-error.js';
import type { Issue } from '../../src/errors.js';

export interface TempManifestDir {
  dir: string;
  /** Absolute path of a file written into the directory. */
  path(name: string): string;
  remove(): Promise<void>;
}

/**
 * Writes `{ 'name.yaml': text }` into a fresh temporary directory. Each test
 * gets its own: no shared fixtures to drift.
 */
export async function writeTempManifests(files: Record<string, string>): Promise<TempManifestDir> {
  const dir = await mkdtemp(join(tmpdir(), 'paxos-onboard-manifest-'));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return { dir, path: (name) => join(dir, name), remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Strips the common indentation of a template literal, so YAML can be written indented in a test. */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = String.raw({ raw: strings }, ...values).replace(/^\n/, '');
  const indents = text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => /^ */.exec(line)?.[0].length ?? 0);
  const strip = Math.min(...indents);
  return text
    .split('\n')
    .map((line) => line.slice(strip))
    .join('\n')
    .replace(/[ \t]+$/, '');
}

/** Issues as the CLI prints them, with paths relative to `dir`: what a snapshot should show. */
export function renderIssuesRelative(issues: readonly Issue[], dir: string): string {
  return issues
    .map((issue) => formatIssue(issue.file === undefined ? issue : { ...issue, file: relative(dir, issue.file) }))
    .join('\n');
}
