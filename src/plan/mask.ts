/**
 * PII masking for everything a plan shows (DESIGN.md "Safety": PII masked by
 * default everywhere it is printed). A path is sensitive when it, or a field
 * containing it, matches one of the kind's `sensitiveFields` patterns or came
 * from `${env:}`/`${file:}` (`resource.sensitivePaths`). The renderers reuse
 * these functions; nothing here unmasks.
 */
import { joinPointer, splitPointer } from '../manifest/locate-node.js';
import type { Model, Resource } from '../manifest/model.js';
import { createScrubber } from '../manifest/scrub-issues.js';
import type { Plan, PlanStep } from './plan-types.js';
import type { ResourceHandler } from '../resources/resource-handler.js';

type SensitiveSource = Pick<Resource, 'sensitivePaths'>;
type SensitiveKind = Pick<ResourceHandler, 'sensitiveFields'>;

/** Fewer letters and digits than this are masked entirely: keeping 4 of 6 would show most of it. */
const minLengthToKeepTail = 8;
const keptTail = 4;

/**
 * The only fields whose mask keeps a tail: cip ids and tax ids, whose last 4
 * digits reviewers match against records, as Paxos dashboards show them.
 * Everything else (a password, a verification id, an address) is masked
 * whole: a tail of a secret is part of the secret.
 */
const tailKeepingFields: ReadonlySet<string> = new Set(['cip_id', 'tax_payer_id']);

/** A whole date or date-time: its format is no secret, its digits are. */
const dateForm = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** What any other masked value becomes: fixed, so not even its length shows. */
export const wholeMask = '****';

/**
 * A masked copy of `value`, found at `path`. A cip id or tax id keeps its
 * separators and last 4 letters or digits (`111-11-1127` → `***-**-1127`)
 * when it has at least 8; a date (and anything at a `date_of_birth`) loses
 * every digit (`****-**-**`); every other string, number and boolean becomes
 * `****`; arrays and objects are masked leaf by leaf.
 */
export function maskValue(value: unknown, path = ''): unknown {
  if (value === null || value === undefined) return value;
  if (Array.isArray(value)) return value.map((item, index) => maskValue(item, `${path}/${index}`));
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, maskValue(item, `${path}${joinPointer([key])}`)]));
  }
  if (typeof value !== 'string') return wholeMask;
  const last = splitPointer(path).findLast((segment) => !/^\d+$/.test(segment));
  if (dateForm.test(value)) return value.replace(/\d/g, '*');
  if (last === 'date_of_birth' || last === undefined || !tailKeepingFields.has(last)) return wholeMask;
  // Separators stay (the shape of an SSN or EIN is public); every other character counts and is masked.
  const characters = [...value.replace(/[-\s./]/g, '')].length;
  if (characters < minLengthToKeepTail) return wholeMask;
  let toMask = characters - keptTail;
  return value.replace(/[^-\s./]/gu, (character) => (toMask-- > 0 ? '*' : character));
}

/** Whether the value at `path` (a JSON pointer into the resource's fields) is PII or a secret. */
export function isSensitivePath(resource: SensitiveSource, handler: SensitiveKind, path: string): boolean {
  return isSensitiveSegments(resource, handler, splitPointer(path));
}

/** `isSensitivePath` for a path already split into segments (walks over every field: no pointer to join and split again). */
export function isSensitiveSegments(resource: SensitiveSource, handler: SensitiveKind, segments: readonly string[]): boolean {
  const covers = (pattern: readonly string[]) => coversPath(pattern, segments);
  return splitOnce(handler.sensitiveFields).some(covers) || splitOnce(resource.sensitivePaths).some(covers);
}

/**
 * `value` (found at `path`) with exactly its sensitive parts masked: the whole
 * value when the path is sensitive, else each sensitive field inside it (a
 * `tax_details` list keeps its countries and masks its `tax_payer_id`s).
 */
export function maskSensitiveParts(resource: SensitiveSource, handler: SensitiveKind, path: string, value: unknown): unknown {
  const patterns = patternsOf(resource, handler);
  const walk = (item: unknown, at: string[]): unknown => {
    if (patterns.some((pattern) => coversPath(pattern, at))) return maskValue(item, joinPointer(at));
    if (item === null || typeof item !== 'object') return item;
    if (Array.isArray(item)) return item.map((entry, index) => walk(entry, [...at, String(index)]));
    return Object.fromEntries(Object.entries(item).map(([key, entry]) => [key, walk(entry, [...at, key])]));
  };
  return walk(value, splitPointer(path));
}

/** Whether `path` or anything inside it is sensitive: the `sensitive` flag of a change at `path`. */
export function touchesSensitive(resource: SensitiveSource, handler: SensitiveKind, path: string): boolean {
  const segments = splitPointer(path);
  return patternsOf(resource, handler).some((pattern) => coversPath(pattern, segments) || (pattern.length > segments.length && coversPath(pattern.slice(0, segments.length), segments)));
}

function patternsOf(resource: SensitiveSource, handler: SensitiveKind): string[][] {
  return [...splitOnce(handler.sensitiveFields), ...splitOnce(resource.sensitivePaths)];
}

/**
 * Pointer lists split once per list, not once per value looked at: the
 * manifest digest asks for every field of every resource, and splitting anew
 * each time was a third of planning a 1,000-identity manifest. A list that
 * grew since is split again.
 */
const splitLists = new WeakMap<readonly string[], string[][]>();
function splitOnce(pointers: readonly string[]): string[][] {
  let split = splitLists.get(pointers);
  if (split === undefined || split.length !== pointers.length) {
    split = pointers.map(splitPointer);
    splitLists.set(pointers, split);
  }
  return split;
}

/** True when `pattern` names `segments` or one of its ancestors (`*` matches one segment). */
function coversPath(pattern: readonly string[], segments: readonly string[]): boolean {
  if (pattern.length > segments.length) return false;
  return pattern.every((part, index) => part === '*' || part === segments[index]);
}

/**
 * The plan with every interpolated value taken out of its free text (remote
 * keys, descriptions, reasons, warnings), whatever put it there: a kind's
 * description of a deposit whose amount came from `${env:}`, a reason quoting
 * a field. Changes are masked already, field by field. The last line of
 * defence of "no interpolated value in any output"; a plan made with
 * `showSensitive` is left as it is.
 */
export function scrubPlanText(plan: Plan, model: Pick<Model, 'resources' | 'interpolatedValues'>): Plan {
  const values = new Set<string>(model.interpolatedValues ?? []);
  for (const resource of model.resources.values()) {
    for (const path of resource.sensitivePaths) {
      const value = readPointer(resource.fields, path);
      if (typeof value === 'string') values.add(value);
    }
  }
  if (values.size === 0) return plan;
  const scrub = createScrubber(values);
  const steps = plan.steps.map((step): PlanStep => {
    const next: PlanStep = { ...step };
    if (step.remoteKey !== undefined) next.remoteKey = scrub(step.remoteKey);
    if (step.description !== undefined) next.description = scrub(step.description);
    if (step.reason !== undefined) next.reason = scrub(step.reason);
    if (step.warnings !== undefined) next.warnings = step.warnings.map(scrub);
    return next;
  });
  return { ...plan, steps };
}

function readPointer(value: unknown, pointer: string): unknown {
  let current = value;
  for (const segment of splitPointer(pointer)) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}
