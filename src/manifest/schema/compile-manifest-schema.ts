/**
 * Compiles the manifest schema with ajv in full strict mode, the way any
 * consumer of the published schema may: so a schema that only compiles with
 * strictness relaxed is caught here, not by a user's editor or CI.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';
import { buildManifestSchema } from './build-manifest-schema.js';
import { ruleKeyword, type SchemaNode } from './schema-helpers.js';

// ajv-formats is CommonJS with `exports.default`; under NodeNext the default import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: FormatsPlugin }).default ??
  addFormatsModule) as FormatsPlugin;

/** A validator for `schema` (default: the built manifest schema), every error collected. */
export function compileManifestSchema(schema: SchemaNode = buildManifestSchema()): ValidateFunction {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  ajv.addKeyword(ruleKeyword);
  return ajv.compile(schema);
}

/**
 * The `x-paxos-rule` nearest the failing keyword at `schemaPath`
 * (`#/properties/orders/additionalProperties/allOf/1/then/required`), walking
 * from the root of `schema`; undefined when no rule encloses it.
 */
export function findEnclosingRule(schema: SchemaNode, schemaPath: string): string | undefined {
  let node: unknown = schema;
  let found: string | undefined;
  for (const segment of schemaPath.replace(/^#\/?/, '').split('/')) {
    if (typeof node !== 'object' || node === null) break;
    const code = (node as SchemaNode)[ruleKeyword];
    if (typeof code === 'string') found = code;
    node = (node as SchemaNode)[decodeURIComponent(segment).replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return found;
}
