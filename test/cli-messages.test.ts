/** Issue 13: messages a person reads — type errors name the wanted type, pattern errors say what to write, no parser advice. */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { validateManifest } from '../src/manifest/validate-manifest.js';
import { renderIssuesRelative, writeTempManifests, type TempManifestDir } from './support/temp-manifest.js';

const fixture = fileURLToPath(new URL('../fixtures/person-brokerage.yaml', import.meta.url));
let dir: TempManifestDir | undefined;
afterEach(async () => dir?.remove());

/** The person fixture with one line changed: what a user would have typed. */
async function issuesOf(edit: (text: string) => string, extra: Record<string, string> = {}): Promise<string> {
  const text = edit(await readFile(fixture, 'utf8'));
  dir = await writeTempManifests({ 'm.yaml': text, ...extra });
  const result = await validateManifest([dir.path('m.yaml')], { env: {}, cwd: dir.dir });
  return renderIssuesRelative(result.issues, dir.dir);
}

describe('schema messages', () => {
  it('first_name: 12 wants "a string", not "a decimal string"', async () => {
    const text = await issuesOf((t) => t.replace('first_name: Carol', 'first_name: 12'));
    expect(text).toContain('schema.type  persons.carol.first_name must be a string, not a number');
    expect(text).toContain('hint: quote it: first_name: "..."');
    expect(text).not.toContain('decimal');
  });

  it('an amount written as a number is still a decimal string', async () => {
    const text = await issuesOf((t) => t.replace('amount: "5000"', 'amount: 5000'));
    expect(text).toContain('schema.decimal_string');
  });

  it.each([
    ['first_name: Carol', 'first_name: Zoë', 'persons.carol.first_name does not have the expected form: it takes letters A-Z', "write e.g. first_name: O'Brien"],
    ['nationality: USA', 'nationality: usa', 'persons.carol.nationality does not have the expected form: it takes an ISO 3166-1 alpha-3 country code', 'write e.g. nationality: USA'],
    ['ref_id_prefix: seed-', 'ref_id_prefix: seed-\n  approval_timeout: 10 minutes', 'options.approval_timeout does not have the expected form: it takes a whole number and a unit', 'write e.g. approval_timeout: 10m'],
    ['  carol-usd:', '  carol usd:', 'key `carol usd` in deposits is not a valid key: keys are letters, digits', 'write e.g. alice-smith'],
  ])('a pattern error (%s → %s) says what the field takes, with an example, and no regular expression', async (from, to, message, hint) => {
    const text = await issuesOf((t) => t.replace(from, to));
    const issue = text.split(/\n(?=\S)/).find((block) => block.includes('schema.pattern'));
    expect(issue).toContain(message);
    expect(issue).toContain(`hint: ${hint}`);
    expect(issue).not.toMatch(/\^|\$`|\[A-Z/);
  });

  it('every pattern of the published schema has words and an example', async () => {
    const { describePattern } = await import('../src/manifest/describe-pattern.js');
    const schema = JSON.parse(await readFile(new URL('../schemas/manifest.schema.json', import.meta.url), 'utf8')) as unknown;
    const patterns = new Set<string>();
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        const record = node as Record<string, unknown>;
        if (typeof record.pattern === 'string' && record.not === undefined) patterns.add(record.pattern);
        Object.values(record).forEach(walk);
      }
    };
    walk(schema);
    // `^0+(\.0+)?$` only appears under `not` (an amount of zero), which the positive-amount rule explains.
    patterns.delete('^0+(\\.0+)?$');
    expect(patterns.size).toBeGreaterThan(5);
    for (const pattern of patterns) {
      const form = describePattern(pattern);
      expect(form.accepts, pattern).not.toContain(pattern);
      expect(form.example, pattern).toBeDefined();
      expect(new RegExp(pattern, 'u').test(form.example!.replace(/^"(.*)"$/, '$1')), pattern).toBe(true);
    }
  });
});

describe('YAML messages', () => {
  it('never passes the parser’s own advice on (parseAllDocuments, parseDocument) to a user', async () => {
    const inputs = [
      (t: string) => `${t}\n---\nversion: 1\n`,
      (t: string) => `${t}\n---\n---\n: : :\n`,
      (t: string) => t.replace('version: 1', 'version: 1\n...\nstray: [1, 2'),
    ];
    for (const edit of inputs) expect(await issuesOf(edit)).not.toMatch(/parse(All)?Documents?\(|YAMLParseError|\bat .*\.js:\d+/);
  });
});
