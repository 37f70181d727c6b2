/**
 * Small builders for the manifest's JSON Schema, so the resource schemas read
 * as the Paxos rules they state rather than as nested object literals.
 */
import type { RuleCode } from '../rule-catalog.js';

/** A JSON Schema node. */
export type SchemaNode = { [keyword: string]: unknown };

/** The annotation keyword the validator follows back to a rule code. */
export const ruleKeyword = 'x-paxos-rule';

/** A resource key: what follows `kind.` in an address. */
const keyBody = '[A-Za-z0-9][A-Za-z0-9_-]*';
export const resourceKeyPattern = `^${keyBody}$`;

/** `^(person|institution)\.<key>$`: an address naming one of `kinds`. */
export function buildAddressPattern(kinds: readonly string[]): string {
  return `^(${kinds.join('|')})\\.${keyBody}$`;
}

/** Paxos's character set for names and ids (PersonDetails.first_name, cip_id, ...). */
export const paxosTextPattern = "^[0-9A-Za-z /?:().,&'+-]+$";
/** ISO 3166-1 alpha-3, as Paxos requires of nationality and cip_id_country. */
export const countryCodePattern = '^[A-Z]{3}$';

/** A string property. */
export function describeText(description: string, extra: SchemaNode = {}): SchemaNode {
  return { type: 'string', description, ...extra };
}

/** A Paxos name or id: its character set and length limit. */
export function describePaxosText(description: string, maxLength = 200): SchemaNode {
  return describeText(description, { maxLength, pattern: paxosTextPattern });
}

export function describeBoolean(description: string): SchemaNode {
  return { type: 'boolean', description };
}

/** A property whose shape is the `$defs` entry `name`. */
export function referTo(name: string, description: string): SchemaNode {
  return { $ref: `#/$defs/${name}`, description };
}

/** A closed object: any property not listed is an error (a typo is caught). */
export function describeObject(description: string, properties: Record<string, SchemaNode>, extra: SchemaNode = {}): SchemaNode {
  return { type: 'object', description, additionalProperties: false, properties, ...extra };
}

/**
 * A resource: a closed object whose Paxos rules follow its shape. The shape
 * comes first in `allOf` because ajv compiles `allOf` before a sibling
 * `properties`, and strict mode wants every `required` name declared before.
 */
export function describeResource(
  description: string,
  properties: Record<string, SchemaNode>,
  options: { required?: readonly string[]; rules?: readonly SchemaNode[] } = {},
): SchemaNode {
  const shape: SchemaNode = { properties, additionalProperties: false };
  if (options.required) shape.required = [...options.required];
  return { type: 'object', description, allOf: [shape, ...(options.rules ?? [])] };
}

/** Requires `fields` of a nested object, declaring them so strict mode knows they exist. */
export function requireFields(fields: readonly string[]): SchemaNode {
  return { type: 'object', properties: Object.fromEntries(fields.map((field) => [field, true])), required: [...fields] };
}

/** A list of enum values, each once. */
export function describeEnumList(name: string, description: string): SchemaNode {
  return { type: 'array', description, uniqueItems: true, items: { $ref: `#/$defs/${name}` } };
}

/** A string → string map (Paxos `metadata`). */
export function describeMetadata(description: string): SchemaNode {
  return { type: 'object', description, additionalProperties: { type: 'string' } };
}

/** Marks `schema` as the statement of one Paxos rule. */
export function markRule(code: RuleCode, schema: SchemaNode): SchemaNode {
  return { [ruleKeyword]: code, ...schema };
}

/** "When `condition` holds, `consequence` must": one rule as `if`/`then`. */
export function requireWhen(code: RuleCode, condition: SchemaNode, consequence: SchemaNode): SchemaNode {
  return markRule(code, { if: condition, then: consequence });
}

/** Condition: the field is present and equals `value`. */
export function whereFieldIs(field: string, value: string | boolean): SchemaNode {
  return { properties: { [field]: { const: value } }, required: [field] };
}

/** Condition: the field is present and is one of `values`. */
export function whereFieldIn(field: string, values: readonly string[]): SchemaNode {
  if (values.length === 1 && values[0] !== undefined) return whereFieldIs(field, values[0]);
  return { properties: { [field]: { enum: [...values] } }, required: [field] };
}

/** Groups keys by an equal (JSON-identical) value, keeping first-seen order. */
export function groupByValue<K extends string, V>(entries: readonly (readonly [K, V])[]): { keys: K[]; value: V }[] {
  const groups = new Map<string, { keys: K[]; value: V }>();
  for (const [key, value] of entries) {
    const id = JSON.stringify(value);
    const group = groups.get(id);
    if (group) group.keys.push(key);
    else groups.set(id, { keys: [key], value });
  }
  return [...groups.values()];
}
