import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ruleCatalog, ruleCodes } from '../rule-catalog.js';
import { buildManifestSchema, manifestSchemaId } from './build-manifest-schema.js';
import { compileManifestSchema } from './compile-manifest-schema.js';
import { ruleKeyword, type SchemaNode } from './schema-helpers.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Every subschema of `node`, with its JSON pointer. */
function* walkSchema(node: unknown, pointer = ''): Generator<[string, SchemaNode]> {
  if (Array.isArray(node)) {
    for (const [index, item] of node.entries()) yield* walkSchema(item, `${pointer}/${index}`);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  yield [pointer, node as SchemaNode];
  for (const [key, value] of Object.entries(node)) if (key !== 'enum' && key !== 'const') yield* walkSchema(value, `${pointer}/${key}`);
}

/** Rule subschemas name properties only to test or require them; the shape (allOf/0) declares them. */
function isInsideRule(pointer: string): boolean {
  return /\/(if|then|not|contains)(\/|$)|\/allOf\/[1-9]/.test(pointer);
}

describe('schemas/manifest.schema.json', () => {
  it('is exactly what buildManifestSchema() builds (regenerate with `npm run generate:schema`)', () => {
    const committed: unknown = JSON.parse(readFileSync(join(root, 'schemas', 'manifest.schema.json'), 'utf8'));
    expect(committed).toEqual(buildManifestSchema());
  });

  it('is a draft 2020-12 schema with an $id, and compiles under ajv strict mode', () => {
    const schema = buildManifestSchema();
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toBe(manifestSchemaId);
    expect(() => compileManifestSchema(schema)).not.toThrow();
  });

  it('describes every property, so editors can show what a field means', () => {
    const undescribed: string[] = [];
    let checked = 0;
    for (const [pointer, node] of walkSchema(buildManifestSchema())) {
      if (!/\/properties\/[^/]+$/.test(pointer) || isInsideRule(pointer)) continue;
      checked++;
      if (typeof node.description !== 'string' || node.description.length < 5) undescribed.push(pointer);
    }
    expect(undescribed).toEqual([]);
    expect(checked).toBeGreaterThan(100);
  });

  it('closes every object with a declared shape, so a misspelt field is an error', () => {
    const open: string[] = [];
    for (const [pointer, node] of walkSchema(buildManifestSchema())) {
      if (typeof node.properties === 'object' && !isInsideRule(pointer) && node.additionalProperties !== false) open.push(pointer);
    }
    expect(open).toEqual([]);
  });

  it('annotates rules only with codes the catalog explains, and uses every code', () => {
    const used = new Set<string>();
    for (const [, node] of walkSchema(buildManifestSchema())) {
      const code = node[ruleKeyword];
      if (typeof code === 'string') used.add(code);
    }
    expect([...used].sort()).toEqual([...ruleCodes].sort());
    for (const code of ruleCodes) {
      expect(ruleCatalog[code].message.length).toBeGreaterThan(10);
      expect(ruleCatalog[code].hint?.length ?? 0).toBeGreaterThan(10);
    }
  });
});

describe('fixtures/*.yaml', () => {
  const validate = compileManifestSchema();
  const fixtures = readdirSync(join(root, 'fixtures')).filter((name) => /\.ya?ml$/.test(name));

  it('has the four seed flows', () => {
    expect(fixtures).toEqual(
      expect.arrayContaining(['institution-brokerage.yaml', 'person-brokerage.yaml', 'trust.yaml', 'omnibus.yaml']),
    );
  });

  it.each(fixtures)('%s is valid against the schema and points editors at it', (name) => {
    const text = readFileSync(join(root, 'fixtures', name), 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../schemas/manifest.schema.json');
    const document: unknown = parse(text);
    // Applies with no environment set: no interpolation anywhere in the values (a generator's ${index} is no interpolation).
    expect(JSON.stringify(document)).not.toMatch(/\$\{(?!index\}|each[.}])/);
    const valid = validate(document);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });
});
