/**
 * Compares what the manifest writes with what the API answered, in the
 * manifest's own field space (JSON pointers into `resource.fields`). Only
 * fields the manifest writes are compared: a field it leaves out is not
 * managed, so a default Paxos fills in is never drift.
 */
import { joinPointer } from '../manifest/locate-node.js';
import { canonicalJson } from '../plan/canonical-json.js';

export interface RawChange {
  path: string;
  before?: unknown;
  after?: unknown;
}

/**
 * Differences between `desired` and `remote`, descending into objects both
 * sides hold; lists are compared whole (as multisets: the API does not keep
 * their order), so a changed list is one change at the list's path. Entries
 * of a remote list of objects are compared on the keys the manifest's
 * entries write, so a status Paxos adds to each (`tin_verification_status`)
 * is not drift.
 */
export function diffWrittenFields(desired: Readonly<Record<string, unknown>>, remote: Readonly<Record<string, unknown>>, base: readonly string[] = []): RawChange[] {
  const changes: RawChange[] = [];
  for (const [key, want] of Object.entries(desired)) {
    if (want === undefined) continue;
    const have = remote[key];
    const path = [...base, key];
    if (isPlainObject(want) && isPlainObject(have)) {
      changes.push(...diffWrittenFields(want, have, path));
    } else {
      const comparable = Array.isArray(want) && Array.isArray(have) ? projectEntries(have, want) : have;
      if (!sameValue(want, comparable)) changes.push({ path: joinPointer(path), ...(comparable === undefined ? {} : { before: comparable }), after: want });
    }
  }
  return changes;
}

function projectEntries(have: readonly unknown[], want: readonly unknown[]): unknown[] {
  const keys = new Set(want.filter(isPlainObject).flatMap((entry) => Object.keys(entry)));
  if (keys.size === 0) return [...have];
  return have.map((entry) => (isPlainObject(entry) ? Object.fromEntries(Object.entries(entry).filter(([key]) => keys.has(key))) : entry));
}

/**
 * Equality as the API means it: decimals by value (`"60"` and `"60.0"`),
 * times by instant (`2015-03-01` and `2015-03-01T00:00:00Z`), lists in any
 * order, absent keys and `undefined` alike.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  return canonicalJson(normalise(a)) === canonicalJson(normalise(b));
}

function normalise(value: unknown): unknown {
  if (typeof value === 'string') return normaliseString(value);
  if (Array.isArray(value)) return value.map(normalise).map((item) => canonicalJson(item)).sort();
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, normalise(item)]));
  return value;
}

function normaliseString(text: string): string {
  if (/^\d{4}-\d{2}-\d{2}(T.+)?$/.test(text)) {
    const ms = Date.parse(text);
    if (!Number.isNaN(ms)) return `time:${ms}`;
  }
  // Only fractional zeros go: leading zeros are meaningful in zip codes and ids.
  if (/^-?\d+\.\d+$/.test(text)) return text.replace(/0+$/, '').replace(/\.$/, '');
  return text;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
