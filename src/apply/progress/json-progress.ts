/**
 * Progress for machines (`--format json`): each event as one line of JSON,
 * exactly as the executor reported it, and nothing else, so `jq -c` or a
 * line-by-line reader can follow a run. Events hold no secret and no PII by
 * contract (see `apply-types.ts`), so they are written as they are.
 */
import type { Writable } from 'node:stream';
import type { ApplyEvent } from '../apply-types.js';
import { neverThrowing, type ApplyProgress } from './progress-common.js';

export function createJsonProgress(stream: Writable): ApplyProgress {
  return {
    onEvent: neverThrowing((event: ApplyEvent) => stream.write(`${JSON.stringify(event)}\n`)),
    // Nothing is buffered here, and the stream is not ended: it is usually stdout or stderr.
    close: () => Promise.resolve(),
  };
}
