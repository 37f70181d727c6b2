import type { Issue } from '../errors.js';
import { suggestClosest } from './did-you-mean.js';
import { fakeKinds, fakeOptions, isFakeKind, makeFakeValue, type FakeIdRegistry, type FakeSource } from './fake-values.js';
import { findKindOfCollection } from './kinds.js';
import { joinPointer, locateKey, locateValue, type PathSegment } from './locate-node.js';
import { isObject } from './schema-lookup.js';
import type { SourceFile } from './source-file.js';

/** The fields a generator entry holds besides its template. */
export const generatorFields = ['count', 'for_each', 'key'] as const;

/** Marks the schema's wrapper that lets an entry be a generator; the validator, which sees expanded data only, takes its `else`. */
export const generatorWrapperComment = 'an entry, or a generator of entries (count or for_each)';

/** Largest `count` or `for_each` of one generator: a typo of three zeros should not build a million resources. */
export const maxGeneratedInstances = 100_000;

export interface ExpansionContext {
  /** Loaded by the caller when any file names `fake:` (see `mentionsFake`). */
  fake: FakeSource | undefined;
  ids: FakeIdRegistry;
  /** Instances made so far across every generator of the file set: a hostile manifest's many generators share one budget. */
  made?: number;
}

// `$${` stays for interpolation to unescape; `${index}`, `${each}`, `${each.a.b}` are the generator's.
const generatorPlaceholder = /\$\$\{|\$\{(index|each(?:\.[^}]*)?)\}/g;
const wholePlaceholder = /^\$\{(index|each(?:\.[^}]*)?)\}$/;

/** Whether a file's text may hold a `fake:` value: the faker data set is loaded only then. */
export function mentionsFake(text: string): boolean {
  return text.includes('fake');
}

/** Whether a collection entry is a generator: a mapping with `count` or `for_each`. */
export function isGenerator(body: unknown): body is Record<string, unknown> {
  return isObject(body) && (Object.hasOwn(body, 'count') || Object.hasOwn(body, 'for_each'));
}

/**
 * Expands, in place, every generator of a parsed file into the resources it
 * stands for, and every `{ fake: ... }` value into data. Runs before
 * interpolation and validation, so every rule sees the expanded resources;
 * `file.generated` remembers which generator made each one, so issues about
 * an instance point at the generator's line and name the instance. Top-level
 * `x-` keys (blocks that hold anchors) are dropped here: nothing reads them.
 */
export function expandGenerators(file: SourceFile, context: ExpansionContext): Issue[] {
  const issues: Issue[] = [];
  const data = file.data;
  if (!isObject(data)) return issues;
  for (const name of Object.keys(data)) if (name.startsWith('x-')) delete data[name];
  for (const [collection, entries] of Object.entries(data)) {
    if (!findKindOfCollection(collection) || !isObject(entries)) continue;
    // A Map while building: an object of thousands of keys is slow to probe and grow one by one.
    let expanded: Map<string, unknown> | undefined;
    const keys = Object.keys(entries);
    for (const [position, key] of keys.entries()) {
      const body = entries[key];
      if (!isGenerator(body)) {
        if (isObject(body) && containsFake(body)) {
          const made = renderTemplate(body, { index: 0, each: undefined }, [collection, key], [collection, key], file, context, issues);
          entries[key] = made;
        }
        if (expanded) addEntry(expanded, key, entries[key], collection, key, file, issues);
        continue;
      }
      // Rebuilt from here on, so instances take their generator's place in the order.
      if (!expanded) {
        expanded = new Map();
        for (const earlier of keys.slice(0, position)) expanded.set(earlier, entries[earlier]);
      }
      for (const [instance, made] of expandOne(file, collection, key, body, context, issues)) {
        if (addEntry(expanded, instance, made, collection, key, file, issues)) {
          (file.generated ??= new Map()).set(`${collection}\u0000${instance}`, { generator: key, instance });
        }
      }
    }
    if (expanded) data[collection] = toRecord(expanded);
  }
  return issues;
}

/** Like Object.fromEntries, but `__proto__` stays an own key, as the parsers make it. */
function toRecord(entries: Map<string, unknown>): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    if (key === '__proto__') Object.defineProperty(record, key, { value, writable: true, enumerable: true, configurable: true });
    else record[key] = value;
  }
  return record;
}

function addEntry(into: Map<string, unknown>, key: string, body: unknown, collection: string, writtenKey: string, file: SourceFile, issues: Issue[]): boolean {
  if (into.has(key)) {
    issues.push({
      code: 'generator.duplicate_key',
      message: `\`${collection}.${key}\` is made twice in this file`,
      hint: 'a generator\'s key must differ per instance and from the other entries: put ${index} or ${each} in it',
      file: file.path,
      ...locateKey(file, [collection, writtenKey]),
    });
    return false;
  }
  into.set(key, body);
  return true;
}

function* expandOne(
  file: SourceFile,
  collection: string,
  name: string,
  body: Record<string, unknown>,
  context: ExpansionContext,
  issues: Issue[],
): Generator<[string, unknown]> {
  const at = (field: string): Pick<Issue, 'file' | 'line' | 'col'> => ({ file: file.path, ...locateValue(file, [collection, name, field]) });
  const { count, for_each: forEach, key: keyTemplate = `${name}-\${index}` } = body;
  let items: unknown[];
  if (count !== undefined && forEach !== undefined) {
    issues.push({ code: 'generator.invalid', message: `generator \`${collection}.${name}\` has both count and for_each`, hint: 'write one of them', ...at('for_each') });
    return;
  }
  if (forEach !== undefined) {
    if (!Array.isArray(forEach) || forEach.length > maxGeneratedInstances) {
      issues.push({ code: 'generator.for_each', message: `for_each must be a list of at most ${maxGeneratedInstances} values`, hint: 'write for_each: [a, b, c]', ...at('for_each') });
      return;
    }
    items = forEach;
  } else {
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 0 || count > maxGeneratedInstances) {
      issues.push({ code: 'generator.count', message: `count must be a whole number from 0 to ${maxGeneratedInstances}`, hint: 'write count: 10', ...at('count') });
      return;
    }
    items = Array.from({ length: count }, () => undefined);
  }
  // Many generators each under the cap would still build millions and run the memory out: one budget for all of them.
  const made = (context.made ?? 0) + items.length;
  if (made > maxGeneratedInstances) {
    issues.push({
      code: 'generator.too_many',
      message: `generator \`${collection}.${name}\` would bring the manifest's generated resources to ${made}, over ${maxGeneratedInstances} in all`,
      hint: 'split the world into manifests applied one after the other',
      ...at(forEach !== undefined ? 'for_each' : 'count'),
    });
    return;
  }
  context.made = made;
  if (typeof keyTemplate !== 'string' || !generatorPlaceholder.test(keyTemplate)) {
    generatorPlaceholder.lastIndex = 0;
    issues.push({
      code: 'generator.key_constant',
      message: `the key of generator \`${collection}.${name}\` is the same for every instance`,
      hint: `write key: "${name}-\${index}"${forEach !== undefined ? ' or key: "${each}"' : ''}`,
      ...at('key'),
    });
    return;
  }
  generatorPlaceholder.lastIndex = 0;
  const template: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(body)) if (!(generatorFields as readonly string[]).includes(field)) template[field] = value;
  for (const [offset, each] of items.entries()) {
    const scope = { index: offset + 1, each };
    const reported = issues.length;
    const instance = substitute(keyTemplate, scope, (problem) => issues.push({ ...problem, ...at('key') }));
    if (issues.length > reported) return;
    const key = String(instance);
    yield [key, renderTemplate(template, scope, [collection, name], [collection, key], file, context, issues, key)];
  }
}

interface Scope {
  /** 1 for the first instance. */
  index: number;
  each: unknown;
}

type Problem = Omit<Issue, 'file' | 'line' | 'col'>;

/**
 * Replaces the generator's placeholders in one string. A string that is one
 * placeholder alone takes the value's own type (`${each}` may be a mapping,
 * `${index}` is a number); anything else is text.
 */
function substitute(text: string, scope: Scope, report: (problem: Problem) => void): unknown {
  if (!text.includes('${')) return text;
  const whole = wholePlaceholder.exec(text);
  if (whole?.[1] !== undefined) return lookup(whole[1], scope, report) ?? text;
  return text.replace(generatorPlaceholder, (match, name: string | undefined) => {
    if (name === undefined) return match;
    const value = lookup(name, scope, report);
    if (value === undefined) return match;
    if (isObject(value) || Array.isArray(value)) {
      report({ code: 'generator.placeholder', message: `\`\${${name}}\` is a ${Array.isArray(value) ? 'list' : 'mapping'}, so it cannot be part of a text`, hint: `write the placeholder alone as the value, or name one of its fields: \${${name}.field}` });
      return match;
    }
    return String(value);
  });
}

function lookup(name: string, scope: Scope, report: (problem: Problem) => void): unknown {
  if (name === 'index') return scope.index;
  let value: unknown = scope.each;
  if (value === undefined) {
    report({ code: 'generator.placeholder', message: `\`\${${name}}\` is only known in a for_each generator`, hint: 'use ${index} with count, or list the values in for_each' });
    return undefined;
  }
  for (const field of name.split('.').slice(1)) {
    if (!isObject(value) || !Object.hasOwn(value, field)) {
      report({ code: 'generator.placeholder', message: `\`\${${name}}\`: the for_each value has no field \`${field}\``, hint: 'give every for_each value that field, or use another placeholder' });
      return undefined;
    }
    value = value[field];
  }
  return value;
}

function containsFake(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(containsFake);
  if (!isObject(value)) return false;
  if (typeof value['fake'] === 'string') return true;
  return Object.values(value).some(containsFake);
}

/**
 * A fresh copy of a template for one instance: placeholders substituted,
 * `{ fake: kind, ...options }` mappings replaced by a value seeded by the
 * resource and field. A copy, never shared: a YAML alias gives one object to
 * many places, and later stages write into the data.
 */
function renderTemplate(
  template: Record<string, unknown>,
  scope: Scope,
  writtenAt: readonly PathSegment[],
  madeAt: readonly [string, string],
  file: SourceFile,
  context: ExpansionContext,
  issues: Issue[],
  instance?: string,
): Record<string, unknown> {
  const resource = madeAt.join('/');
  const path: PathSegment[] = [];
  const report = (problem: Problem): void => {
    issues.push({ ...problem, file: file.path, ...locateValue(file, [...writtenAt, ...path]), ...(instance !== undefined ? { instance } : {}) });
  };
  const render = (value: unknown): unknown => {
    if (typeof value === 'string') return substitute(value, scope, report);
    if (Array.isArray(value)) {
      return value.map((item, index) => {
        path.push(index);
        const made = render(item);
        path.pop();
        return made;
      });
    }
    if (!isObject(value)) return value;
    const result: Record<string, unknown> = {};
    for (const [field, child] of Object.entries(value)) {
      path.push(field);
      result[field] = render(child);
      path.pop();
    }
    return typeof result['fake'] === 'string' ? fake(result) : result;
  };
  const fake = (written: Record<string, unknown>): unknown => {
    const kind = written['fake'] as string;
    // What the schema would say of the mapping left in place is noise after this issue.
    const failed = (): void => void file.unresolved.add(joinPointer([...madeAt, ...path]));
    if (!isFakeKind(kind)) {
      failed();
      report({ code: 'generator.fake_unknown', message: `\`fake: ${kind}\` is not a fake value this tool makes`, hint: suggestClosest(kind, Object.keys(fakeKinds)) });
      return written;
    }
    const allowed = fakeOptions[kind];
    const extra = Object.keys(written).find((option) => option !== 'fake' && !allowed.includes(option));
    if (extra !== undefined) {
      failed();
      report({ code: 'generator.fake_option', message: `\`fake: ${kind}\` takes no option \`${extra}\``, hint: allowed.length > 0 ? `it takes ${allowed.join(', ')}` : 'write { fake: ' + kind + ' } alone' });
      return written;
    }
    if (!context.fake) throw new Error('fake values asked for before the fake source was loaded');
    const made = makeFakeValue(context.fake, kind, written, resource, joinPointer(path), context.ids);
    if (made.ok) return made.value;
    failed();
    report({ code: 'generator.fake_option', message: `\`fake: ${kind}\`: ${made.message}`, ...(made.hint !== undefined ? { hint: made.hint } : {}) });
    return written;
  };
  return render(template) as Record<string, unknown>;
}
