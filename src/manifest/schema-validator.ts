import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';
import type { Issue } from '../errors.js';
import { mapSchemaErrors, type RuleCatalog } from './map-schema-errors.js';
import { ruleKeyword, SchemaLookup, type JsonSchema } from './schema-lookup.js';
import type { SourceFile } from './source-file.js';
import { generatorWrapperComment } from './expand-generators.js';

// ajv-formats is CommonJS with `exports.default`; under NodeNext the default import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: FormatsPlugin }).default ??
  addFormatsModule) as FormatsPlugin;

/** Checks one parsed file against the manifest schema and explains each failure as an issue. */
export type SchemaValidator = (file: SourceFile) => Issue[];

const compiled = new WeakMap<JsonSchema, ValidateFunction>();

/**
 * Builds a validator for `schema`. Compilation is the slow part (over a
 * hundred milliseconds for the manifest schema), so each schema object is compiled
 * once per process.
 */
export function createSchemaValidator(schema: JsonSchema, catalog: RuleCatalog): SchemaValidator {
  let validate = compiled.get(schema);
  const expanded = forExpandedData(schema);
  if (!validate) {
    const ajv = new Ajv2020({
      allErrors: true,
      strict: true,
      // `required` inside `then` names properties declared on the parent; that is the point of it.
      strictRequired: false,
      // The schema describes one resource with `if`/`then` branches that carry no `type` of their own.
      strictTypes: false,
      verbose: true,
      // ajv's code optimiser costs a third of compiling the manifest schema
      // (~60 of ~190 ms, paid by every CLI run) and makes validating no faster.
      code: { optimize: false },
    });
    addFormats(ajv);
    ajv.addKeyword(ruleKeyword);
    validate = ajv.compile(expanded);
    compiled.set(schema, validate);
  }
  const check = validate;
  const lookup = new SchemaLookup(expanded);
  return (file) => {
    if (check(file.data)) return [];
    return mapSchemaErrors(check.errors ?? [], file, lookup, catalog);
  };
}

/**
 * The schema as the validator needs it: files are checked after their
 * generators are expanded, so an entry is a resource, never a generator;
 * the editors' choice between the two (build-manifest-schema.ts) is dropped.
 */
function forExpandedData(schema: JsonSchema): JsonSchema {
  const properties = (schema as { properties?: Record<string, unknown> }).properties;
  if (!properties) return schema;
  let changed = false;
  const unwrapped: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(properties)) {
    const entry = (property as { additionalProperties?: { $comment?: unknown; else?: unknown } } | null)?.additionalProperties;
    if (entry?.$comment === generatorWrapperComment && entry.else !== undefined) {
      unwrapped[name] = { ...(property as object), additionalProperties: entry.else };
      changed = true;
    } else {
      unwrapped[name] = property;
    }
  }
  return changed ? ({ ...schema, properties: unwrapped } as JsonSchema) : schema;
}

let manifestSchema: JsonSchema | undefined;

/**
 * The published schema, `schemas/manifest.schema.json` at the package root.
 * Found by walking up from this module, so it works from `src` (tests),
 * `dist` (the built CLI) and `dist-bench` alike.
 */
export function loadManifestSchema(): JsonSchema {
  if (!manifestSchema) {
    const path = join(findPackageRoot(), 'schemas', 'manifest.schema.json');
    manifestSchema = JSON.parse(readFileSync(path, 'utf8')) as JsonSchema;
  }
  return manifestSchema;
}

function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      const name = (JSON.parse(readFileSync(candidate, 'utf8')) as { name?: unknown }).name;
      if (name === 'paxos-onboard') return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the paxos-onboard package root (schemas/manifest.schema.json)');
    dir = parent;
  }
}
