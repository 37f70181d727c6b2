import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { yaml } from '../../test/support/temp-manifest.js';
import { ManifestError } from '../errors.js';
import { loadManifest, validateManifest } from './validate-manifest.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../../fixtures/${name}`, import.meta.url));
const cwd = '/nonexistent/project';

describe('manifests given in memory', () => {
  it('validates YAML text like a file, with positions in a virtual file', async () => {
    const result = await validateManifest(
      [
        {
          yaml: yaml`
            version: 1
            environment: sandbox
            persons:
              alice:
                frist_name: Alice
          `,
        },
      ],
      { cwd, env: {} },
    );
    expect(result.ok).toBe(false);
    expect(result.files).toEqual([`${cwd}/<inline-1>.yaml`]);
    const typo = result.issues.find((issue) => issue.message.includes('frist_name'));
    expect(typo).toMatchObject({ file: `${cwd}/<inline-1>.yaml`, line: 5, col: 5 });
  });

  it('gives a manifest object the same model as the file it was read from', async () => {
    const path = fixture('person-brokerage.yaml');
    const fromFile = await loadManifest([path], { env: {} });
    const fromObject = await loadManifest([{ manifest: parse(await readFile(path, 'utf8')) as Record<string, unknown> }], { env: {} });
    const fieldsOf = (model: typeof fromFile) => [...model.resources.values()].map((resource) => [resource.address, resource.fields]);
    expect(fieldsOf(fromObject)).toEqual(fieldsOf(fromFile));
    expect(fromObject.options).toEqual(fromFile.options);
  });

  it('writes a Date as the manifest would (date_of_birth as YYYY-MM-DD) and interpolates ${env:}', async () => {
    const manifest = parse(await readFile(fixture('person-brokerage.yaml'), 'utf8')) as { persons: { carol: Record<string, unknown> } };
    manifest.persons.carol.date_of_birth = new Date('1990-09-30T00:00:00Z');
    manifest.persons.carol.cip_id = '${env:CAROL_SSN}';
    const model = await loadManifest([{ manifest }], { env: { CAROL_SSN: '123-45-6789' } });
    expect(model.resources.get('person.carol')?.fields).toMatchObject({ date_of_birth: '1990-09-30', cip_id: '123-45-6789' });
  });

  it('merges in-memory manifests with files and names each in its issues', async () => {
    const error = await loadManifest(
      [fixture('person-brokerage.yaml'), { name: 'extra.yaml', yaml: 'version: 1\nenvironment: sandbox\naccounts:\n  carol-brokerage: { identity: person.carol }\n' }],
      { env: {} },
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ManifestError);
    expect((error as ManifestError).issues).toContainEqual(expect.objectContaining({ code: 'address.duplicate', file: `${process.cwd()}/extra.yaml`, line: 4 }));
  });

  it('holds in-memory text to the size limit of a file', async () => {
    const result = await validateManifest([{ yaml: `version: 1\n# ${'x'.repeat(200)}\n` }], { cwd, env: {}, maxManifestFileBytes: 100 });
    expect(result.issues.map((issue) => issue.code)).toEqual(['file.too_large']);
  });
});
