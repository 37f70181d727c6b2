/**
 * PII masking for everything a plan shows (DESIGN.md "Safety": PII masked by
 * default everywhere it is printed). A path is sensitive when it, or a field
 * containing it, matches one of the kind's `sensitiveFields` patterns or came
 * from `${env:}`/`${file:}` (`resource.sensitivePaths`). The renderers reuse
 * these functions; nothing here unmasks.
 */
import { joinPointer, splitPointer } from '../manifest/locate-node.js';
import type { Resource } from '../manifest/model.js';
import type { ResourceHandler } from '../resources/resource-handler.js';

type SensitiveSource = Pick<Resource, 'sensitivePaths'>;
type SensitiveKind = Pick<ResourceHandler, 'sensitiveFields'>;

/** Fewer letters and digits than this are masked entirely: keeping 4 of 6 would show most of it. */
const minLengthToKeepTail = 8;
const keptTail = 4;

/**
 * A masked copy of `value`, found at `path`. Strings keep their separators and
 * their last 4 letters or digits (`111-11-1127` → `***-**-1127`); dates (and
 * anything at a `date_of_birth`) lose every digit (`****-**-**`); short
 * strings, numbers and booleans become `****`; arrays and objects are masked
 * leaf by leaf.
 */
export function maskValue(value: unknown, path = ''): unknown {
  if (value === null || value === undefined) return value;
  if (Array.isArray(value)) return value.map((item, index) => maskValue(item, `${path}/${index}`));
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, maskValue(item, `${path}${joinPointer([key])}`)]));
  }
  if (typeof value !== 'string') return '****';
  const last = splitPointer(path).at(-1);
  if (last === 'date_of_birth' || /^\d{4}-\d{2}-\d{2}/.test(value)) return value.replace(/\d/g, '*');
  const alphanumerics = value.replace(/[^0-9A-Za-z]/g, '').length;
  if (alphanumerics < minLengthToKeepTail) return value.replace(/[0-9A-Za-z]/g, '*').padEnd(4, '*');
  let toMask = alphanumerics - keptTail;
  return value.replace(/[0-9A-Za-z]/g, (character) => (toMask-- > 0 ? '*' : character));
}

/** Whether the value at `path` (a JSON pointer into the resource's fields) is PII or a secret. */
export function isSensitivePath(resource: SensitiveSource, handler: SensitiveKind, path: string): boolean {
  const segments = splitPointer(path);
  return patternsOf(resource, handler).some((pattern) => coversPath(pattern, segments));
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
  return [...handler.sensitiveFields, ...resource.sensitivePaths].map(splitPointer);
}

/** True when `pattern` names `segments` or one of its ancestors (`*` matches one segment). */
function coversPath(pattern: readonly string[], segments: readonly string[]): boolean {
  if (pattern.length > segments.length) return false;
  return pattern.every((part, index) => part === '*' || part === segments[index]);
}
