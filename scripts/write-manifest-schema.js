#!/usr/bin/env node
// Writes schemas/manifest.schema.json from the built schema builder
// (src/manifest/schema/build-manifest-schema.ts), so the committed schema is
// always generated, never hand-edited. Run `npm run generate:schema`; a test
// fails when the committed file and the builder disagree.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const manifestSchemaPath = join(root, 'schemas', 'manifest.schema.json');

/** The schema as committed: two-space JSON with a final newline. */
export function renderManifestSchema(schema) {
  return `${JSON.stringify(schema, null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { buildManifestSchema } = await import('../dist/manifest/schema/build-manifest-schema.js');
  mkdirSync(dirname(manifestSchemaPath), { recursive: true });
  writeFileSync(manifestSchemaPath, renderManifestSchema(buildManifestSchema()));
  console.log(`wrote ${manifestSchemaPath}`);
}
