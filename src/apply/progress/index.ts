/**
 * The progress renderers of `apply`, chosen by where the output goes: listr2
 * for a terminal, timestamped lines for a pipe or CI, JSON lines for
 * machines. Each takes the executor's events (`ApplyEvent`) through
 * `onEvent` and is closed after the run; none of them ever throws into it.
 */
import type { Writable } from 'node:stream';
import { createJsonProgress } from './json-progress.js';
import { createListrProgress, type ListrProgressOptions } from './listr-progress.js';
import { createPlainProgress, type PlainProgressOptions } from './plain-progress.js';
import type { ApplyProgress } from './progress-common.js';

export type { ApplyProgress } from './progress-common.js';
export type { ListrProgressOptions, ListrRendererName } from './listr-progress.js';
export type { PlainProgressOptions } from './plain-progress.js';
export { createJsonProgress, createListrProgress, createPlainProgress };
export { renderOutputsTable, type OutputsTableOptions } from './outputs-table.js';

export type ProgressKind = 'listr' | 'plain' | 'json';

/** The options of every renderer; each reads the ones it has (plain lines are never coloured, JSON takes none). */
export type ProgressOptions = PlainProgressOptions & ListrProgressOptions;

/**
 * `listr` only for a TTY: the caller decides (it knows which stream is a
 * terminal, and whether `CI` is set); `plain` otherwise; `json` for `--format json`.
 */
export function createProgress(kind: ProgressKind, stream: Writable, options: ProgressOptions = {}): ApplyProgress {
  switch (kind) {
    case 'listr':
      return createListrProgress(stream, options);
    case 'json':
      return createJsonProgress(stream);
    case 'plain':
      return createPlainProgress(stream, options);
  }
}
