import type { ErrorObject } from 'ajv';
import type { Issue } from '../errors.js';
import { describeSchemaError, formatFieldPath } from './describe-schema-error.js';
import { findClosest } from './did-you-mean.js';
import { joinPointer, locateKey, locateValue, splitPointer } from './locate-node.js';
import { countInstanceDepth, isObject, splitSchemaPath, type SchemaLookup } from './schema-lookup.js';
import type { SourceFile } from './source-file.js';

export interface RuleCatalogEntry {
  message: string;
  hint?: string;
}
export type RuleCatalog = Readonly<Record<string, RuleCatalogEntry>>;

/**
 * Turns ajv's errors for one file into one issue per real problem: errors
 * inside an `x-paxos-rule` subschema become that rule's issue (once per rule
 * and resource), the bookkeeping errors ajv adds around `if`, `anyOf` and
 * `propertyNames` are dropped, and the rest get a generic code.
 */
export function mapSchemaErrors(
  errors: readonly ErrorObject[],
  file: SourceFile,
  lookup: SchemaLookup,
  catalog: RuleCatalog,
): Issue[] {
  const live = new Set(errors.filter((error) => error.keyword !== 'if' && error.keyword !== 'propertyNames'));
  collapseAlternatives(live, lookup);
  dropRequiredExplainedByTypo(live, lookup);
  // A field whose `${...}` failed is reported by interpolation, and still
  // holds the placeholder: what the schema says of that is noise. Dropped
  // after collapsing alternatives, so a failed branch is not mistaken for
  // the branch that came closest.
  for (const error of live) if (file.unresolved.has(error.instancePath)) live.delete(error);

  const issues: Issue[] = [];
  const groups = new Map<string, { code: string; errors: ErrorObject[]; conditionPaths: string[] }>();
  // A value that is malformed in itself (wrong type, not in the enum) makes
  // any rule about it moot; so does one whose interpolation failed.
  const malformed = new Set<string>(file.unresolved);
  for (const error of live) {
    const rule = lookup.findRule(error.schemaPath);
    if (!rule) {
      if (valueKeywords.has(error.keyword)) malformed.add(error.instancePath);
      issues.push(describeSchemaError(error, file, lookup));
      continue;
    }
    const instance = splitPointer(error.instancePath);
    const extra = countInstanceDepth(splitSchemaPath(error.schemaPath), rule.rulePath.length);
    const key = `${rule.rulePath.join('/')}|${joinPointer(instance.slice(0, instance.length - extra))}`;
    const group = groups.get(key) ?? { code: rule.code, errors: [], conditionPaths: conditionPaths(lookup, rule.rulePath, instance.slice(0, instance.length - extra)) };
    group.errors.push(error);
    groups.set(key, group);
  }
  for (const group of groups.values()) {
    const primary = findPrimaryError(group.errors);
    if (group.errors.every((error) => malformed.has(error.instancePath))) continue;
    if (group.conditionPaths.some((path) => malformed.has(path))) continue;
    issues.push(describeRuleViolation(group.code, group.errors, primary, file, catalog));
  }
  return dedupeIssues(issues);
}

/**
 * An `anyOf`/`oneOf` outside any rule fails with every branch's errors. Keep
 * the branch that came closest (fewest errors); when every branch failed on
 * type alone, keep one type error naming all the types.
 */
function collapseAlternatives(live: Set<ErrorObject>, lookup: SchemaLookup): void {
  const combinators = [...live]
    .filter((error) => (error.keyword === 'anyOf' || error.keyword === 'oneOf') && !lookup.findRule(error.schemaPath))
    .sort((a, b) => a.schemaPath.length - b.schemaPath.length);
  for (const combinator of combinators) {
    if (!live.has(combinator)) continue;
    const prefix = `${combinator.schemaPath}/`;
    const branches = new Map<string, ErrorObject[]>();
    for (const error of live) {
      if (!error.schemaPath.startsWith(prefix)) continue;
      const branch = error.schemaPath.slice(prefix.length).split('/')[0] ?? '';
      branches.set(branch, [...(branches.get(branch) ?? []), error]);
    }
    // No branch errors: a oneOf matched twice. The combinator's own error says so.
    if (branches.size === 0) continue;
    live.delete(combinator);
    const all = [...branches.values()].flat();
    if (all.every((error) => error.keyword === 'type' && error.instancePath === combinator.instancePath)) {
      const types = [...new Set(all.map((error) => String((error.params as { type: unknown }).type)))];
      for (const error of all.slice(1)) live.delete(error);
      const first = all[0];
      if (first) first.params = { ...first.params, type: types.join(',') };
      continue;
    }
    const best = [...branches.values()].reduce((a, b) => (b.length < a.length ? b : a));
    for (const error of all) if (!best.includes(error)) live.delete(error);
  }
}

/**
 * `frist_name` written, `first_name` missing: one typo, so one issue (the
 * unknown field, whose "did you mean" says it all).
 */
function dropRequiredExplainedByTypo(live: Set<ErrorObject>, lookup: SchemaLookup): void {
  const typos = new Set<string>();
  for (const error of live) {
    if (error.keyword !== 'additionalProperties' && error.keyword !== 'unevaluatedProperties') continue;
    const params = error.params as { additionalProperty?: unknown; unevaluatedProperty?: unknown };
    const name = String(params.additionalProperty ?? params.unevaluatedProperty);
    const closest = findClosest(name, lookup.collectPropertyNames(error.parentSchema));
    if (closest !== undefined) typos.add(`${error.instancePath}|${closest}`);
  }
  if (typos.size === 0) return;
  for (const error of live) {
    if (error.keyword !== 'required') continue;
    const missing = String((error.params as { missingProperty?: unknown }).missingProperty);
    if (typos.has(`${error.instancePath}|${missing}`)) live.delete(error);
  }
}

function conditionPaths(lookup: SchemaLookup, rulePath: readonly string[], ruleInstance: readonly string[]): string[] {
  return lookup.findConditionFields(rulePath).map((field) => joinPointer([...ruleInstance, field]));
}

const valueKeywords = new Set(['type', 'enum', 'const', 'format', 'pattern']);
const missingKeywords = new Set(['required', 'dependentRequired']);

/**
 * The error to point at: the outermost one about a present value (a
 * `contains` on the list rather than each entry it looked at); undefined when
 * the rule only found fields missing.
 */
function findPrimaryError(errors: readonly ErrorObject[]): ErrorObject | undefined {
  let primary: ErrorObject | undefined;
  for (const error of errors) {
    if (missingKeywords.has(error.keyword)) continue;
    if (!primary || error.instancePath.length < primary.instancePath.length) primary = error;
  }
  return primary;
}

function describeRuleViolation(
  code: string,
  errors: ErrorObject[],
  primary: ErrorObject | undefined,
  file: SourceFile,
  catalog: RuleCatalog,
): Issue {
  const missing = [
    ...new Set(
      errors
        .filter((error) => missingKeywords.has(error.keyword))
        .map((error) => String((error.params as { missingProperty?: unknown }).missingProperty)),
    ),
  ];
  // Point at the offending value when there is one, else at the mapping missing fields.
  const anchor = primary ?? errors[0];
  const segments = splitPointer(anchor?.instancePath ?? '');
  // A list or mapping as a whole (a `contains` on members) is named by its key.
  const whole = !primary || (typeof primary.data === 'object' && primary.data !== null);
  const position = whole ? locateKey(file, segments) : locateValue(file, segments);
  const sensitive = primary ? file.sensitive.has(primary.instancePath) : false;
  const value = primary && typeof primary.data === 'string' && !sensitive ? primary.data : undefined;
  const wanted = describeWantedEntries(errors);
  const details: Record<string, string | undefined> = {
    missing: missing.length > 0 ? missing.map((name) => `\`${name}\``).join(', ') : undefined,
    wanted,
    field: formatFieldPath(segments.slice(2)),
    path: formatFieldPath(segments),
    key: segments[1],
    value,
  };
  const entry = catalog[code];
  const message = fillTemplate(entry?.message ?? `breaks rule ${code}`, details);
  return {
    code,
    message,
    ...(entry?.hint ? { hint: fillTemplate(entry.hint, details, false) } : {}),
    file: file.path,
    ...position,
  };
}

/**
 * What the list entries a failed `contains` looked for had to hold, read from
 * the subschema: `\`MANAGEMENT_CONTROL_PERSON\`` for a member holding that
 * role, `\`GRANTOR\`, \`TRUSTEE\` or \`BENEFICIARY\`` for any of those; two
 * lists unmet at once are joined with "and one".
 */
function describeWantedEntries(errors: readonly ErrorObject[]): string | undefined {
  // An empty list lacks every entry its schema asks it to contain; ask the
  // schema, in its order, rather than the `contains` errors ajv happened to report.
  const empty = errors.find((error) => error.keyword === 'minItems' && Array.isArray(error.data) && error.data.length === 0);
  const contained = empty
    ? listContained(empty.parentSchema)
    : errors
        .filter((error) => error.keyword === 'contains')
        .sort((a, b) => (a.schemaPath < b.schemaPath ? -1 : a.schemaPath > b.schemaPath ? 1 : 0))
        .map((error) => error.schema);
  const wanted = new Set<string>();
  for (const schema of contained) {
    const values = findAllowedValues(schema);
    if (values) wanted.add(formatAlternatives(values));
  }
  return wanted.size > 0 ? [...wanted].join(' and one ') : undefined;
}

/** The `contains` subschemas of a list schema, its own and those in its `allOf`. */
function listContained(schema: unknown): unknown[] {
  if (!isObject(schema)) return [];
  const found = 'contains' in schema ? [schema.contains] : [];
  if (Array.isArray(schema.allOf)) for (const sub of schema.allOf) found.push(...listContained(sub));
  return found;
}

/** The first `enum` or `const` in a subschema, looking through properties and nested `contains`/`items`. */
function findAllowedValues(schema: unknown): unknown[] | undefined {
  if (!isObject(schema)) return undefined;
  if (Array.isArray(schema.enum)) return schema.enum;
  if ('const' in schema) return [schema.const];
  const nested = [schema.contains, schema.items, ...(isObject(schema.properties) ? Object.values(schema.properties) : [])];
  for (const sub of nested) {
    const found = findAllowedValues(sub);
    if (found) return found;
  }
  return undefined;
}

function formatAlternatives(values: readonly unknown[]): string {
  const quoted = values.map((value) => `\`${String(value)}\``);
  return quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}` : (quoted[0] ?? '');
}

/**
 * Fills `{missing}`, `{field}`, `{value}`, `{wanted}`... in a catalog text. Specifics the
 * template has no place for are appended, so the reader always learns what
 * exactly is missing or wrong.
 */
export function fillTemplate(template: string, details: Record<string, string | undefined>, append = true): string {
  const used = new Set<string>();
  const filled = template.replace(/\{(\w+)\}/g, (match, name: string) => {
    const value = details[name];
    if (value === undefined) return match;
    used.add(name);
    return value;
  });
  if (!append) return filled;
  const extras: string[] = [];
  if (details.missing && !used.has('missing')) extras.push(`missing ${details.missing}`);
  if (details.wanted && !used.has('wanted')) extras.push(`needs at least one ${details.wanted}`);
  if (details.value && !used.has('value') && !details.missing) extras.push(`got \`${details.value}\``);
  return extras.length > 0 ? `${filled} (${extras.join('; ')})` : filled;
}

function dedupeIssues(issues: Issue[]): Issue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.code}|${issue.line}|${issue.col}|${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
