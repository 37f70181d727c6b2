/**
 * Validation against the Paxos spec's OpenAPI 3.0 schemas with ajv. Shared by
 * the emulator (request bodies, from the generated subset) and the test
 * conformance harness (responses, from the full spec).
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv-formats ships CommonJS with a default export; under NodeNext the callable sits on `.default`.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

export type SchemaMap = Record<string, unknown>;

/** One validation failure, with the JSON path of the field it concerns (`person_details.first_name`). */
export interface SchemaViolation {
  field: string;
  message: string;
}

export interface SchemaValidator {
  /** Violations of `value` against the component schema `name`; empty when valid. */
  validate(name: string, value: unknown): SchemaViolation[];
  has(name: string): boolean;
}

/**
 * Rewrites OpenAPI 3.0 keywords ajv does not know: `nullable: true` becomes a
 * `null` type, boolean `exclusiveMaximum`/`exclusiveMinimum` (draft 4 style)
 * become numeric bounds. Everything else (`example`, `title`, `x-*`) is left
 * for ajv's non-strict mode to ignore.
 */
export function convertOpenApiSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(convertOpenApiSchema);
  if (!node || typeof node !== 'object') return node;
  const source = node as Record<string, unknown>;
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) {
    if (key === 'example' || key === 'examples') result[key] = value;
    else result[key] = convertOpenApiSchema(value);
  }
  if (result.nullable === true) {
    delete result.nullable;
    if (typeof result.type === 'string') result.type = [result.type, 'null'];
    if (Array.isArray(result.enum)) result.enum = [...result.enum, null];
  }
  for (const [flag, bound, keyword] of [
    ['exclusiveMaximum', 'maximum', 'exclusiveMaximum'],
    ['exclusiveMinimum', 'minimum', 'exclusiveMinimum'],
  ] as const) {
    if (typeof result[flag] !== 'boolean') continue;
    if (result[flag] === true && typeof result[bound] === 'number') {
      result[keyword] = result[bound];
      delete result[bound];
    } else delete result[flag];
  }
  return result;
}

/** Collects every `format` name used, so unknown ones (the spec has `xxx-xx-xxxx`) can be accepted as-is. */
function collectFormats(node: unknown, into: Set<string>): void {
  if (Array.isArray(node)) for (const child of node) collectFormats(child, into);
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'format' && typeof value === 'string') into.add(value);
      else if (key !== 'example' && key !== 'examples') collectFormats(value, into);
    }
  }
}

/**
 * Every object schema that lists its `properties` and says nothing of others
 * gets `additionalProperties: false`, recursively. Maps (`metadata`, with an
 * `additionalProperties` schema) and free-form objects (no `properties`) are
 * left open. For request bodies only: the docs say fields not listed are
 * forbidden, while responses may grow fields.
 */
export function closeObjectSchemas(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(closeObjectSchemas);
  if (!node || typeof node !== 'object') return node;
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) result[key] = key === 'example' || key === 'examples' ? value : closeObjectSchemas(value);
  const properties = result.properties;
  if (properties && typeof properties === 'object' && !Array.isArray(properties) && !('additionalProperties' in result)) result.additionalProperties = false;
  return result;
}

export interface SchemaValidatorOptions {
  /** Refuse object fields the schemas do not declare (`closeObjectSchemas`). Default false. */
  closed?: boolean;
}

/**
 * Validators by schema map and strictness, shared by every emulator of the
 * process: the schemas are static, and compiling them anew for each emulator
 * (one per `apply` on the embedded target) was most of a local run's time.
 */
const sharedValidators = new WeakMap<SchemaMap, { open?: SchemaValidator; closed?: SchemaValidator }>();

/**
 * Compiles the given `components.schemas` once; each named schema's validator
 * is compiled on first use and cached, once per process for a given map.
 */
export function createSchemaValidator(schemas: SchemaMap, options: SchemaValidatorOptions = {}): SchemaValidator {
  const entry = sharedValidators.get(schemas) ?? {};
  sharedValidators.set(schemas, entry);
  const key = options.closed ? 'closed' : 'open';
  return (entry[key] ??= compileSchemaValidator(schemas, options));
}

function compileSchemaValidator(schemas: SchemaMap, options: SchemaValidatorOptions): SchemaValidator {
  const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
  addFormats(ajv);
  const formats = new Set<string>();
  collectFormats(schemas, formats);
  for (const format of formats) if (!ajv.formats[format]) ajv.addFormat(format, true);
  const converted = convertOpenApiSchema(schemas);
  ajv.addSchema({ components: { schemas: options.closed ? closeObjectSchemas(converted) : converted } }, 'paxos');
  const compiled = new Map<string, ValidateFunction>();
  const compile = (name: string): ValidateFunction => {
    let validator = compiled.get(name);
    if (!validator) {
      validator = ajv.compile({ $ref: `paxos#/components/schemas/${name}` });
      compiled.set(name, validator);
    }
    return validator;
  };
  return {
    has: (name) => Object.hasOwn(schemas, name),
    validate(name, value) {
      const validator = compile(name);
      if (validator(value)) return [];
      return (validator.errors ?? []).map(describeViolation);
    },
  };
}

function describeViolation(error: ErrorObject): SchemaViolation {
  const segments = error.instancePath.split('/').slice(1).map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (error.keyword === 'required') segments.push(String((error.params as { missingProperty: string }).missingProperty));
  if (error.keyword === 'additionalProperties') segments.push(String((error.params as { additionalProperty: string }).additionalProperty));
  const field = segments.reduce((path, segment) => (/^\d+$/.test(segment) ? `${path}[${segment}]` : path ? `${path}.${segment}` : segment), '');
  let message = error.message ?? 'is invalid';
  if (error.keyword === 'required') message = 'is required';
  else if (error.keyword === 'additionalProperties') message = 'is not a field the Paxos spec declares here; remove it';
  else if (error.keyword === 'enum') message = `must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
  return { field: field || '(body)', message };
}
