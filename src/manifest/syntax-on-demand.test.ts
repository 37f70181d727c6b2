import { afterEach, describe, expect, it, vi } from 'vitest';
import * as yamlPackage from 'yaml';
import { tinyManifestSchema, tinyRuleCatalog } from '../../test/support/tiny-manifest-schema.js';
import { writeTempManifests, yaml, type TempManifestDir } from '../../test/support/temp-manifest.js';
import { validateManifest } from './validate-manifest.js';

// Counts the syntax trees built: parseDocument is the only way the pipeline builds one.
vi.mock('yaml', async (importOriginal) => {
  const actual = await importOriginal<typeof import('yaml')>();
  return { ...actual, parseDocument: vi.fn(actual.parseDocument) };
});

let temp: TempManifestDir | undefined;
afterEach(async () => {
  await temp?.remove();
  temp = undefined;
  vi.mocked(yamlPackage.parseDocument).mockClear();
});

const options = { schema: tinyManifestSchema, catalog: tinyRuleCatalog };
const files = {
  'a.yaml': yaml`
    version: 1
    environment: sandbox
    persons:
      alice: { first_name: Alice, last_name: Smith }
  `,
  'b.yaml': yaml`
    version: 1
    environment: sandbox
    accounts:
      main: { identity: person.alice }
    persons:
      bob:
        first_name: Bob
        last_name: ${'${env:LAST_NAME}'}
  `,
};

describe('syntax trees on demand', () => {
  it('validates a valid manifest without building one, and builds one per file once positions are asked for', async () => {
    temp = await writeTempManifests(files);
    const result = await validateManifest([temp.dir], { cwd: temp.dir, env: { LAST_NAME: 'Jones' }, ...options });
    expect(result.issues).toEqual([]);
    expect(yamlPackage.parseDocument).not.toHaveBeenCalled();

    const sources = [...(result.model?.resources.values() ?? [])].map((resource) => [resource.address, resource.source.line, resource.source.col]);
    expect(sources).toEqual([
      ['person.alice', 4, 3],
      ['account.main', 4, 3],
      ['person.bob', 6, 3],
    ]);
    expect(yamlPackage.parseDocument).toHaveBeenCalledTimes(2);
  });

  it('still points at a problem found after parsing, such as an unset variable', async () => {
    temp = await writeTempManifests(files);
    const result = await validateManifest([temp.dir], { cwd: temp.dir, env: {}, ...options });
    expect(result.issues.map((issue) => [issue.code, issue.line, issue.col])).toEqual([['interpolation.env_unset', 8, 16]]);
  });
});
