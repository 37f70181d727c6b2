/**
 * Property tests (fast-check) for the loader and interpolation: whatever
 * bytes or YAML a manifest holds, validation ends in issues with stable codes
 * (never a thrown error or a stack trace), and a value that came from
 * `${env:}` is in no issue, wherever the manifest put it.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { formatIssue } from '../src/cli/render-error.js';
import { validateManifest } from '../src/manifest/validate-manifest.js';

const secret = 'Qx7-pr0perty-SECRET-value';
const env = { SECRET: secret, SHORT: 'Qx7-pr0p' };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'paxos-onboard-property-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Validates one file holding `content` with the published schema, and returns what a user would see. */
async function validateContent(content: string | Uint8Array): Promise<{ codes: string[]; text: string }> {
  const path = join(dir, 'm.yaml');
  await writeFile(path, content);
  const result = await validateManifest([path], { cwd: dir, env });
  for (const issue of result.issues) {
    expect(issue.code).toMatch(/^[a-z_]+(\.[a-z_0-9]+)*$/);
    expect(typeof issue.message).toBe('string');
  }
  return { codes: result.issues.map((issue) => issue.code), text: JSON.stringify(result.issues) + result.issues.map(formatIssue).join('\n') };
}

function assertNoLeak(text: string): void {
  expect(text).not.toContain('pr0perty');
  expect(text).not.toContain('Qx7-pr0p');
  expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);
}

const placeholders = fc.constantFrom('${env:SECRET}', '${env:SHORT}', 'x-${env:SECRET}', '${env:PAXOS_CLIENT_SECRET}', '${file:/etc/passwd}', '${file:../m.yaml}', '$${env:SECRET}', '${env:UNSET}');
const fieldNames = fc.constantFrom(
  'first_name', 'last_name', 'cip_id', 'cip_id_type', 'date_of_birth', 'ref_id', 'identity', 'profile', 'description', 'amount',
  'asset', 'nickname', 'email', 'nationality', 'roles', 'members', 'market', 'side', 'type', 'price', 'base_amount',
);
const scalars = fc.oneof(placeholders, fc.string({ maxLength: 12 }), fc.integer().map(String), fc.constantFrom('person.a', 'account.b', 'USD', 'SSN', 'true', '~', '1980-01-01'));

/** A manifest-shaped document: known collections and fields, interpolations in random places. */
const manifestLike = fc
  .record({
    environment: fc.oneof(fc.constantFrom('sandbox', 'local', 'production'), placeholders),
    prefix: fc.oneof(fc.constant('p-'), placeholders),
    collections: fc.dictionary(
      fc.constantFrom('persons', 'institutions', 'accounts', 'profiles', 'deposits', 'orders', 'unknown'),
      fc.dictionary(fc.constantFrom('a', 'b', 'c\u001b[31m', 'd'), fc.dictionary(fieldNames, fc.oneof(scalars, fc.array(scalars, { maxLength: 2 })), { maxKeys: 6 }), { maxKeys: 3 }),
      { maxKeys: 4 },
    ),
  })
  .map(({ environment, prefix, collections }) => {
    const quote = (value: string) => JSON.stringify(value);
    const lines = ['version: 1', `environment: ${quote(environment)}`, `options: { ref_id_prefix: ${quote(prefix)} }`];
    for (const [collection, resources] of Object.entries(collections)) {
      lines.push(`${collection}:`);
      for (const [key, fields] of Object.entries(resources)) {
        lines.push(`  ${quote(key)}:`);
        for (const [field, value] of Object.entries(fields)) lines.push(`    ${field}: ${Array.isArray(value) ? `[${value.map(quote).join(', ')}]` : quote(value)}`);
        if (Object.keys(fields).length === 0) lines.push('    {}');
      }
    }
    return `${lines.join('\n')}\n`;
  });

it('arbitrary bytes end in coded issues, never an exception or a stack trace', async () => {
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), async (bytes) => {
      const { text } = await validateContent(bytes);
      assertNoLeak(text);
    }),
    { numRuns: 150 },
  );
});

it('arbitrary text built from YAML punctuation and interpolations ends in coded issues, never a leak', async () => {
  const pieces = fc.constantFrom('a', ':', ' ', '\n', '  ', '- ', '{', '}', '[', ']', ',', '"', "'", '&x ', '*x', '!!str ', '? ', '|', '>', '#', '%YAML 1.1\n', '---\n', '\t', '\r', '${env:SECRET}', 'persons', 'version: 1\n');
  await fc.assert(
    fc.asyncProperty(fc.array(pieces, { maxLength: 60 }), async (parts) => {
      const { text } = await validateContent(parts.join(''));
      assertNoLeak(text);
    }),
    { numRuns: 200 },
  );
});

it('manifest-shaped documents with interpolations anywhere never print the interpolated value', async () => {
  await fc.assert(
    fc.asyncProperty(manifestLike, async (content) => {
      const { text } = await validateContent(content);
      assertNoLeak(text);
      expect(text).not.toMatch(/\u001b/);
    }),
    { numRuns: 150 },
  );
});
