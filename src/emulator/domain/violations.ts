/**
 * Business-rule failures collected in one pass, then answered as one 400
 * problem naming every field — the same `meta: {field, violations}` shape the
 * platform gives schema violations, so clients read both the same way.
 */
import { ProblemError } from '../framework.js';

export interface Violation {
  /** Dotted path in the request body, e.g. `person_details.address.zip_code`. */
  field: string;
  message: string;
}

/** Throws a 400 listing every violation; does nothing when there is none. */
export function throwIfViolated(violations: readonly Violation[]): void {
  const first = violations[0];
  if (!first) return;
  throw new ProblemError({
    status: 400,
    title: 'Bad Request',
    detail: violations.map((violation) => `${violation.field}: ${violation.message}`).join('; '),
    meta: { field: first.field, violations: [...violations] },
  });
}

/** Whether an optional field was given a value (empty strings count as missing, as Paxos treats them). */
export function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

export function asObject(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
