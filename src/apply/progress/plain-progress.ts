/**
 * Progress for a pipe or a CI log: one timestamped line per event that
 * matters, no colour, no cursor movement, so the log reads the same in a
 * terminal, a file and a CI viewer:
 *
 *   14:03:00 Applying 3 resources to local emulator at http://127.0.0.1:4010 (2 person, 1 account), 8 at a time
 *   14:03:01 + person.alice  creating
 *   14:03:02 ✓ person.alice  approving
 *   14:03:03 + person.alice  created  identity_id=…  APPROVED
 *   14:03:03 ✗ person.bob  failed  identity.conflict: …
 *   14:03:03 - account.bob  skipped: depends on person.bob, which failed
 *   14:03:04 Apply: 1 created, 0 adopted, … in 4.0 s (12 calls, 0 × 429)
 *
 * Output stays proportional to what changes: a `noop` start prints nothing,
 * and an `unchanged` ending prints only when something was printed for that
 * resource before (an approval or a wait it carried out), or with `verbose`.
 */
import type { Writable } from 'node:stream';
import type { Address } from '../../manifest/kinds.js';
import { actionSymbols } from '../../plan/render-common.js';
import type { ApplyEvent } from '../apply-types.js';
import {
  type ApplyProgress,
  actionWords,
  doneText,
  kindCounts,
  outcomeSymbols,
  phaseSymbols,
  phaseWords,
  skipReason,
  summaryLine,
  neverThrowing,
  warningLine,
} from './progress-common.js';

export interface PlainProgressOptions {
  /** The clock for an event whose `at` cannot be read (default: the system clock). */
  now?: () => Date;
  /** Also print resources that were already converged (`· person.alice  unchanged  …`). */
  verbose?: boolean;
}

export function createPlainProgress(stream: Writable, options: PlainProgressOptions = {}): ApplyProgress {
  const now = options.now ?? (() => new Date());
  const verbose = options.verbose ?? false;
  // What was last printed per address: a phase repeating the start's words is not printed twice,
  // and an `unchanged` ending is printed only after something else about it was.
  const lastText = new Map<Address, string>();

  const write = (at: string, text: string): void => {
    try {
      stream.write(`${clock(at, now)} ${text}\n`);
    } catch {
      // A closed pipe must not stop the apply; the outputs and the exit code still tell the result.
    }
  };
  const resourceLine = (event: ApplyEvent & { address: Address }, symbol: string, text: string): void => {
    if (lastText.get(event.address) === text) return;
    lastText.set(event.address, text);
    write(event.at, `${symbol} ${event.address}  ${text}`);
  };

  const onEvent = (event: ApplyEvent): void => {
    switch (event.type) {
      case 'run-start': {
        const kinds = kindCounts(event.byKind);
        write(event.at, `Applying ${plural(event.total, 'resource')} to ${event.target}${kinds ? ` (${kinds})` : ''}, ${event.concurrency} at a time`);
        return;
      }
      case 'start':
        // A noop only reads; a blocked step has no work: its `blocked` event says why.
        if (event.action === 'noop' || event.action === 'blocked') return;
        resourceLine(event, actionSymbols[event.action], event.description === undefined ? actionWords[event.action] : `${actionWords[event.action]}  ${event.description}`);
        return;
      case 'phase':
        resourceLine(event, phaseSymbols[event.phase], phaseWords[event.phase]);
        return;
      case 'done':
        if (event.outcome === 'unchanged' && !verbose && !lastText.has(event.address)) return;
        resourceLine(event, outcomeSymbols[event.outcome], doneText(event));
        return;
      case 'failed':
        resourceLine(event, outcomeSymbols.failed, `failed  ${event.error.code}: ${event.error.message}`);
        return;
      case 'blocked':
        resourceLine(event, outcomeSymbols.blocked, `blocked: ${event.reason}`);
        return;
      case 'skipped':
        resourceLine(event, outcomeSymbols.skipped, `skipped: ${skipReason(event)}`);
        return;
      case 'warning':
        write(event.at, warningLine(event));
        return;
      case 'run-end':
        write(event.at, summaryLine(event.summary));
        return;
      default:
        // An event type this renderer does not know yet (a newer executor): nothing to say.
        return;
    }
  };

  return {
    onEvent: neverThrowing(onEvent),
    // Writes are handed to the stream as they come; there is nothing to wait for,
    // and the stream is not ended: it is usually the process's stderr.
    close: () => Promise.resolve(),
  };
}

/** `HH:MM:SS` in UTC: CI logs and the events' RFC 3339 times agree, whatever the runner's zone. */
function clock(at: string, now: () => Date): string {
  const parsed = new Date(at);
  const time = Number.isNaN(parsed.getTime()) ? now() : parsed;
  return time.toISOString().slice(11, 19);
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
