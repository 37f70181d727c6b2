/**
 * Reading the manifest's JSON Schema back when explaining an ajv error: which
 * `x-paxos-rule` encloses the failing keyword, and which property names a
 * mapping allows (for "did you mean").
 */

export type JsonSchema = Record<string, unknown>;

export const ruleKeyword = 'x-paxos-rule';

export interface RuleHit {
  code: string;
  /** Schema path segments of the subschema that carries the annotation. */
  rulePath: string[];
}

/** Splits an ajv `schemaPath` (`#/$defs/person/allOf/0/then/required`) into segments. */
export function splitSchemaPath(schemaPath: string): string[] {
  const hash = schemaPath.indexOf('#');
  const pointer = hash >= 0 ? schemaPath.slice(hash + 1) : schemaPath;
  if (pointer === '' || pointer === '/') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => decodeURIComponent(segment).replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Looks rules up by schema path, remembering answers: errors repeat per resource. */
export class SchemaLookup {
  private readonly rules = new Map<string, RuleHit | null>();

  constructor(readonly root: JsonSchema) {}

  /** The nearest enclosing `x-paxos-rule` of the keyword at `schemaPath`. */
  findRule(schemaPath: string): RuleHit | undefined {
    let hit = this.rules.get(schemaPath);
    if (hit === undefined) {
      hit = null;
      const segments = splitSchemaPath(schemaPath);
      let node: unknown = this.root;
      for (let depth = 0; depth <= segments.length && typeof node === 'object' && node !== null; depth++) {
        const code = isObject(node) ? node[ruleKeyword] : undefined;
        if (typeof code === 'string') hit = { code, rulePath: segments.slice(0, depth) };
        const segment = segments[depth];
        if (segment === undefined) break;
        node = (node as Record<string, unknown>)[segment];
      }
      this.rules.set(schemaPath, hit);
    }
    return hit ?? undefined;
  }

  /**
   * The fields the `if` of the rule at `rulePath` reads: when one of them is
   * malformed the rule's verdict means nothing.
   */
  findConditionFields(rulePath: readonly string[]): string[] {
    let node: unknown = this.root;
    for (const segment of rulePath) node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[segment] : undefined;
    const names = new Set<string>();
    const collect = (condition: unknown): void => {
      if (!isObject(condition)) return;
      if (Array.isArray(condition.required)) for (const name of condition.required) names.add(String(name));
      if (isObject(condition.properties)) for (const name of Object.keys(condition.properties)) names.add(name);
      collect(condition.not);
      for (const keyword of ['allOf', 'anyOf', 'oneOf']) {
        const list = condition[keyword];
        if (Array.isArray(list)) list.forEach(collect);
      }
    };
    collect(isObject(node) ? node.if : undefined);
    return [...names];
  }

  /** Every property name a subschema declares, following `$ref`, `allOf` and `if/then/else`. */
  collectPropertyNames(schema: unknown, names = new Set<string>(), seen = new Set<unknown>()): Set<string> {
    if (!isObject(schema) || seen.has(schema)) return names;
    seen.add(schema);
    if (isObject(schema.properties)) for (const name of Object.keys(schema.properties)) names.add(name);
    if (typeof schema.$ref === 'string') this.collectPropertyNames(this.resolveRef(schema.$ref), names, seen);
    for (const keyword of ['allOf', 'anyOf', 'oneOf']) {
      const list = schema[keyword];
      if (Array.isArray(list)) for (const sub of list) this.collectPropertyNames(sub, names, seen);
    }
    for (const keyword of ['then', 'else']) this.collectPropertyNames(schema[keyword], names, seen);
    return names;
  }

  /** Resolves a local `$ref` (`#/$defs/x`); other references are not followed. */
  resolveRef(ref: string): unknown {
    if (!ref.includes('#')) return undefined;
    let node: unknown = this.root;
    for (const segment of splitSchemaPath(ref)) node = isObject(node) ? node[segment] : undefined;
    return node;
  }
}

/** Keywords after which an error's instance path is one segment deeper. */
const keywordsWithName = new Set(['properties', 'patternProperties', 'dependentSchemas', 'prefixItems', '$defs']);
const keywordsDescending = new Set(['properties', 'patternProperties', 'prefixItems', 'items', 'additionalProperties', 'unevaluatedProperties', 'unevaluatedItems', 'contains']);

/**
 * How many instance-path segments the schema path below a rule adds: so the
 * errors of one rule applied to one resource group together, while the same
 * rule failing on two resources stays two issues.
 */
export function countInstanceDepth(schemaSegments: readonly string[], from: number): number {
  let depth = 0;
  // The last segment is the failing keyword itself, reported at its parent.
  for (let index = from; index < schemaSegments.length - 1; index++) {
    const segment = schemaSegments[index] ?? '';
    if (keywordsDescending.has(segment)) depth++;
    if (keywordsWithName.has(segment)) index++;
  }
  return depth;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
