/**
 * Masks a plan again before it is written to a file. A plan made with
 * `showSensitive` holds raw PII in its sensitive field changes, and in the
 * reasons that quote them (a blocked step names the old and new `cip_id`).
 * The plan does not say whether it was masked, so this works value by value:
 * a value the planner already masked is left exactly as it is (so a masked
 * plan is written unchanged), anything else is masked, and every raw string
 * found that way is also masked wherever a reason or warning quotes it.
 */
import { maskValue } from './mask.js';
import type { FieldChange, Plan, PlanStep } from './plan-types.js';

export function remaskPlan(plan: Plan): Plan {
  const replacements = new Map<string, string>();
  const steps = plan.steps.map((step) => (step.changes ? { ...step, changes: step.changes.map((change) => remaskChange(change, replacements)) } : step));
  if (replacements.size === 0) return { ...plan, steps };
  // Longest first, so a value containing another is replaced whole.
  const raws = [...replacements.keys()].sort((a, b) => b.length - a.length);
  const scrub = (text: string): string => raws.reduce((result, raw) => result.split(raw).join(replacements.get(raw) ?? ''), text);
  return { ...plan, steps: steps.map((step) => scrubStep(step, scrub)) };
}

function remaskChange(change: FieldChange, replacements: Map<string, string>): FieldChange {
  if (!change.sensitive) return change;
  const result: FieldChange = { path: change.path, updatable: change.updatable, sensitive: true };
  for (const side of ['before', 'after'] as const) {
    const value = change[side];
    if (value === undefined) continue;
    if (leaves(value).some(looksMasked)) {
      result[side] = value;
      continue;
    }
    const masked = maskValue(value, change.path);
    collectReplacements(value, masked, replacements);
    result[side] = masked;
  }
  return result;
}

/**
 * What `maskValue` makes of a string: at least one `*`, no letter or digit
 * before the last `*`, and at most the 4 kept at the end (`***-**-1127`,
 * `****-**-**`, `****`). A raw cip_id, date or tax id never looks like that.
 */
export function looksMasked(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const lastStar = value.lastIndexOf('*');
  if (lastStar === -1 || /[0-9A-Za-z]/.test(value.slice(0, lastStar))) return false;
  return value.slice(lastStar).replace(/[^0-9A-Za-z]/g, '').length <= 4;
}

function leaves(value: unknown): unknown[] {
  if (Array.isArray(value)) return value.flatMap(leaves);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(leaves);
  return [value];
}

/**
 * Shorter raw values are not searched for in text: they are the country codes
 * and enum values masked along with a list (`USA`, `SSN`), which occur in
 * reasons for other reasons; every cip_id, tax id and date is longer.
 */
const minQuotedLength = 6;

/** Raw → masked, leaf by leaf (both sides have the same shape), for quoting in text. */
function collectReplacements(raw: unknown, masked: unknown, replacements: Map<string, string>): void {
  if ((typeof raw === 'string' || typeof raw === 'number') && typeof masked === 'string') {
    const text = String(raw);
    if (text.length >= minQuotedLength && text !== masked) replacements.set(text, masked);
  } else if (raw !== null && masked !== null && typeof raw === 'object' && typeof masked === 'object') {
    for (const [key, item] of Object.entries(raw)) collectReplacements(item, (masked as Record<string, unknown>)[key], replacements);
  }
}

function scrubStep(step: PlanStep, scrub: (text: string) => string): PlanStep {
  const scrubbed: PlanStep = { ...step };
  if (step.reason !== undefined) scrubbed.reason = scrub(step.reason);
  if (step.warnings !== undefined) scrubbed.warnings = step.warnings.map(scrub);
  return scrubbed;
}
