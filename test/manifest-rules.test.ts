import { afterEach, describe, expect, it } from 'vitest';
import { checkManifests, type ManifestCheck } from './support/check-manifest.js';
import { yaml } from './support/temp-manifest.js';

/** Rules the schema cannot express, each broken once, asserting code, position and message. */
const header = 'version: 1\nenvironment: sandbox\n';
let last: ManifestCheck | undefined;
afterEach(async () => {
  await last?.dir.remove();
  last = undefined;
});
async function check(...args: Parameters<typeof checkManifests>): Promise<ManifestCheck> {
  last = await checkManifests(...args);
  return last;
}

describe('YAML', () => {
  it('reports a syntax error at its position', async () => {
    const result = await check({ 'a.yaml': `${header}persons:\n  alice: { first_name: Alice\n` });
    expect(result.issues.map((issue) => issue.code)).toEqual(['yaml.syntax']);
    expect(result.text).toMatchInlineSnapshot(`"a.yaml:5:1  yaml.syntax  Flow map in block collection must be sufficiently indented and end with a }"`);
  });

  it('hints to quote an interpolation inside a flow mapping, once per line', async () => {
    const result = await check({ 'a.yaml': `${header}persons:\n  alice: { first_name: \${env:FIRST}, last_name: Smith }\n` });
    expect(result.text).toMatchInlineSnapshot(`
      "a.yaml:4:25  yaml.syntax  Unexpected flow-map-start at node end
          hint: inside { } or [ ], quote an interpolation: "\${env:NAME}""
    `);
  });

  it('refuses a duplicate key', async () => {
    const result = await check({
      'a.yaml': yaml`
        version: 1
        environment: sandbox
        persons:
          alice: { first_name: Alice, last_name: Smith }
          alice: { first_name: Alice, last_name: Jones }
        accounts:
          main:
            identity: person.alice
            members: [{ identity: person.alice, roles: [BENEFICIAL_OWNER], roles: [] }]
      `,
    });
    expect(result.text).toMatchInlineSnapshot(`
      "a.yaml:5:3  yaml.duplicate_key  duplicate key \`alice\`: already set in this mapping at line 4
          hint: each key may appear once in a mapping; merge the entries or rename one
      a.yaml:9:68  yaml.duplicate_key  duplicate key \`roles\`: already set in this mapping at line 9
          hint: each key may appear once in a mapping; merge the entries or rename one"
    `);
  });
});

describe('addresses across files', () => {
  it('reports the same address twice, at the second, naming the first', async () => {
    const person = 'persons:\n  alice: { first_name: Alice, last_name: Smith }\n';
    const result = await check({ 'a.yaml': header + person, 'b.yaml': header + person });
    expect(result.text).toMatchInlineSnapshot(`
      "b.yaml:4:3  address.duplicate  \`person.alice\` is already defined at a.yaml:4:3
          hint: each address may be defined once across all files; rename one of them"
    `);
  });

  it('requires files to agree on environment and options', async () => {
    const result = await check({
      'a.yaml': `${header}options: { ref_id_prefix: a- }\n`,
      'b.yaml': 'version: 1\nenvironment: production\noptions: { ref_id_prefix: b- }\n',
    });
    expect(result.text).toMatchInlineSnapshot(`
      "b.yaml:2:14  environment.mismatch  environment \`production\` differs from \`sandbox\` in a.yaml
          hint: every file of one manifest targets the same environment
      b.yaml:3:27  options.conflict  option \`ref_id_prefix\` is set differently in a.yaml
          hint: set each option once, or to the same value in every file"
    `);
  });

  it('reports a path that does not exist', async () => {
    const result = await check({ 'a.yaml': header }, { paths: ['a.yaml', 'missing.yaml'] });
    expect(result.issues.map((issue) => [issue.code, issue.message])).toEqual([
      ['file.not_found', 'no such file or directory: missing.yaml'],
    ]);
  });
});

describe('references', () => {
  it('reports an address that resolves to nothing, with the closest one', async () => {
    const result = await check({
      'a.yaml': yaml`
        version: 1
        environment: sandbox
        persons:
          alice: { first_name: Alice, last_name: Smith }
        accounts:
          main: { identity: person.alcie }
      `,
    });
    expect(result.text).toMatchInlineSnapshot(`
      "a.yaml:6:21  ref.unresolved  \`person.alcie\` is not defined in any manifest file (did you mean \`person.alice\`?)
          hint: define it under \`persons:\`, or fix the address"
    `);
  });

  it('reports an address of the wrong kind', async () => {
    const result = await check({
      'a.yaml': yaml`
        version: 1
        environment: sandbox
        profiles:
          book: {}
        institutions:
          acme:
            name: Acme
            institution_type: CORPORATION
            members:
              - { identity: profile.book, roles: [BENEFICIAL_OWNER] }
      `,
    });
    expect(result.text).toMatchInlineSnapshot(`"a.yaml:10:21  ref.wrong_kind  \`members[].identity\` must name person.<key> or institution.<key>, but \`profile.book\` is a profile"`);
  });

  it('reports a profile reference to an account without a profile', async () => {
    const result = await check({
      'a.yaml': yaml`
        version: 1
        environment: sandbox
        persons:
          alice: { first_name: Alice, last_name: Smith }
        accounts:
          main: { identity: person.alice }
        deposits:
          usd: { profile: account.main, asset: USD, amount: "10" }
      `,
    });
    expect(result.text).toMatchInlineSnapshot(`
      "a.yaml:8:19  ref.no_profile  \`account.main\` has no profile, so \`profile\` cannot name it
          hint: set \`profile: true\` on account.main, or name a standalone profile.<key>"
    `);
  });

  it('prints a cycle of institutions, while nesting without one is fine', async () => {
    const result = await check({
      'a.yaml': yaml`
        version: 1
        environment: sandbox
        persons:
          alice: { first_name: Alice, last_name: Smith }
        institutions:
          a:
            name: A
            institution_type: CORPORATION
            members: [{ identity: institution.b, roles: [BENEFICIAL_OWNER] }]
          b:
            name: B
            institution_type: CORPORATION
            members: [{ identity: institution.a, roles: [BENEFICIAL_OWNER] }]
          parent:
            name: Parent
            institution_type: CORPORATION
            members: [{ identity: institution.child, roles: [BENEFICIAL_OWNER] }]
          child:
            name: Child
            institution_type: CORPORATION
            members: [{ identity: person.alice, roles: [BENEFICIAL_OWNER] }]
      `,
    });
    expect(result.text).toMatchInlineSnapshot(`
      "a.yaml:9:27  graph.cycle  dependency cycle: institution.a → institution.b → institution.a
          hint: nothing in a cycle can be created first; remove one of these references"
    `);
  });
});

describe('uniqueness', () => {
  it('reports a cip_id used twice across files without printing it', async () => {
    const result = await check({
      'a.yaml': `${header}persons:\n  alice: { first_name: Alice, last_name: Smith, cip_id: "111-22-3333", cip_id_type: SSN, cip_id_country: USA }\n`,
      'b.yaml': yaml`
        version: 1
        environment: sandbox
        institutions:
          acme:
            name: Acme
            institution_type: CORPORATION
            cip_id: "111-22-3333"
            cip_id_type: SSN
            cip_id_country: USA
      `,
    });
    expect(result.text).not.toContain('111-22-3333');
    expect(result.text).toMatchInlineSnapshot(`
      "b.yaml:7:13  unique.cip_id  \`institution.acme\` has the same (cip_id, cip_id_type, cip_id_country) as \`person.alice\` (a.yaml:4:3)
          hint: one legal entity is one identity: reference the existing one instead of defining it twice"
    `);
  });

  it('reports a ref_id used twice, written or derived, per identity space', async () => {
    const result = await check({
      'a.yaml': yaml`
        version: 1
        environment: sandbox
        options: { ref_id_prefix: acme- }
        persons:
          alice: { first_name: Alice, last_name: Smith }
          bob: { first_name: Bob, last_name: Smith, ref_id: acme-person-alice }
        institutions:
          carol: { name: Carol, institution_type: TRUST, ref_id: acme-person-alice }
        accounts:
          main: { identity: person.alice, ref_id: acme-person-alice }
      `,
    });
    expect(result.issues.map((issue) => issue.code)).toEqual(['unique.ref_id', 'unique.ref_id']);
    expect(result.text).toMatchInlineSnapshot(`
      "a.yaml:6:53  unique.ref_id  ref_id \`acme-person-alice\` of \`person.bob\` is already used by \`person.alice\` (derived) (a.yaml:5:3)
          hint: give one of them a different explicit \`ref_id\`
      a.yaml:8:58  unique.ref_id  ref_id \`acme-person-alice\` of \`institution.carol\` is already used by \`person.alice\` (derived) (a.yaml:5:3)
          hint: give one of them a different explicit \`ref_id\`"
    `);
  });

  it('reports a profile nickname used twice, derived included', async () => {
    const result = await check({
      'a.yaml': yaml`
        version: 1
        environment: sandbox
        profiles:
          book: {}
          other: { nickname: profile-book }
      `,
    });
    expect(result.text).toMatchInlineSnapshot(`
      "a.yaml:5:22  unique.nickname  nickname \`profile-book\` of \`profile.other\` is already used by \`profile.book\` (derived) (a.yaml:4:3)
          hint: give one of them a different explicit \`nickname\`"
    `);
  });
});

describe('environment', () => {
  it('refuses deposits when the manifest targets production', async () => {
    const result = await check({
      'a.yaml': yaml`
        version: 1
        environment: production
        profiles:
          book: {}
        deposits:
          usd: { profile: profile.book, asset: USD, amount: "10" }
      `,
    });
    expect(result.text).toMatchInlineSnapshot(`
      "a.yaml:6:3  deposit.production  \`deposit.usd\` is sandbox-only test funding, which \`environment: production\` refuses
          hint: remove it, or target \`environment: sandbox\` or \`local\`"
    `);
  });
});

it('collects every problem of every file, sorted by file then position', async () => {
  const result = await check({
    'b.yaml': `${header}accounts:\n  x: { identity: person.nobody }\n  y: { identity: person.nobody2 }\n`,
    'a.yaml': `${header}persons:\n  alice: { first_name: Alice }\n`,
  });
  expect(result.issues.map((issue) => `${issue.file?.slice(-6)}:${issue.line}:${issue.col} ${issue.code}`)).toEqual([
    'a.yaml:4:3 schema.required',
    'b.yaml:4:18 ref.unresolved',
    'b.yaml:5:18 ref.unresolved',
  ]);
});
