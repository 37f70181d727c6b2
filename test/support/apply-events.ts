/**
 * Building blocks of the event streams the progress tests feed their
 * renderers: a clock of whole seconds and a run's summary.
 */
import type { ApplyOutcome, ApplySummary } from '../../src/apply/apply-types.js';

/** `2024-05-01T14:03:SS<fraction>Z`: events a given number of seconds into a run. */
export function eventTime(second: number, fraction = ''): string {
  return `2024-05-01T14:03:${String(second).padStart(2, '0')}${fraction}Z`;
}

/** A run's summary: the counts given, 0 for every other outcome, `failed` when anything did not go through. */
export function summaryOf(counts: Partial<Record<ApplyOutcome, number>>, rest: Partial<Omit<ApplySummary, 'byOutcome' | 'failed'>> = {}): ApplySummary {
  const byOutcome: Record<ApplyOutcome, number> = { created: 0, adopted: 0, updated: 0, unchanged: 0, failed: 0, blocked: 0, skipped: 0, ...counts };
  return {
    byOutcome,
    failed: byOutcome.failed + byOutcome.blocked + byOutcome.skipped > 0,
    elapsedMs: 5000,
    calls: 7,
    callsByClass: { default: 7 },
    rateLimited: 0,
    retries: 0,
    writes: 2,
    ...rest,
  };
}
