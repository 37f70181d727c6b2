import { afterEach, expect, it } from 'vitest';
import { checkManifests, type ManifestCheck } from './support/check-manifest.js';
import { yaml } from './support/temp-manifest.js';

let last: ManifestCheck | undefined;
afterEach(async () => {
  await last?.dir.remove();
  last = undefined;
});
async function check(...args: Parameters<typeof checkManifests>): Promise<ManifestCheck> {
  last = await checkManifests(...args);
  return last;
}

it('substitutes ${env:} and ${file:} anywhere in a scalar, and marks the fields sensitive', async () => {
  const result = await check(
    {
      'm/a.yaml': yaml`
        version: 1
        environment: sandbox
        persons:
          alice:
            first_name: Alice
            last_name: Smith-\${env:SUFFIX}
            cip_id: \${file:secrets/alice-ssn}
            cip_id_type: SSN
            cip_id_country: USA
            ref_id: literal-$\${env:NOT_A_VAR}
      `,
      'm/secrets/alice-ssn': '123-45-6789\n',
    },
    { env: { SUFFIX: 'Jones' }, paths: ['m'] },
  );
  expect(result.issues).toEqual([]);
  const alice = result.model?.resources.get('person.alice');
  expect(alice?.fields).toMatchObject({ last_name: 'Smith-Jones', cip_id: '123-45-6789', ref_id: 'literal-${env:NOT_A_VAR}' });
  expect(alice?.sensitivePaths).toEqual(['/last_name', '/cip_id']);
});

it('names an unset variable and a missing file, at the scalar', async () => {
  const result = await check({
    'a.yaml': yaml`
      version: 1
      environment: sandbox
      persons:
        alice:
          first_name: \${env:FIRST}
          last_name: \${file:nope.txt}
          email: \${evn:TYPO}
    `,
  });
  expect(result.text).toMatchInlineSnapshot(`
    "a.yaml:5:17  interpolation.env_unset  environment variable \`FIRST\` is not set
        hint: export FIRST=... before running, or write the value in the manifest
    a.yaml:6:16  interpolation.file_missing  file \`nope.txt\` cannot be read
        hint: a \${file:path} is relative to the directory of the manifest file that names it
    a.yaml:7:12  interpolation.unknown  \`\${evn:TYPO}\` is not an interpolation this tool knows
        hint: write \${env:NAME} or \${file:path}; write $\${ for a literal \${"
  `);
});

it('never prints an interpolated value, even when the field is invalid', async () => {
  const secret = 'SNN-secret-4471';
  const result = await check(
    {
      'a.yaml': yaml`
        version: 1
        environment: sandbox
        persons:
          alice:
            first_name: Alice
            last_name: Smith
            cip_id_type: \${env:TYPE}
            date_of_birth: \${env:TYPE}
      `,
    },
    { env: { TYPE: secret } },
  );
  expect(result.issues.map((issue) => issue.code)).toEqual(['schema.enum', 'schema.format']);
  expect(JSON.stringify(result.issues)).not.toContain('4471');
  expect(result.text).toMatchInlineSnapshot(`
    "a.yaml:7:18  schema.enum  persons.alice.cip_id_type is not one of the allowed values (its interpolated value is not shown); expected \`SSN\`, \`ITIN\`, \`PASSPORT\`
    a.yaml:8:20  schema.format  persons.alice.date_of_birth must be a real date written YYYY-MM-DD"
  `);
});

