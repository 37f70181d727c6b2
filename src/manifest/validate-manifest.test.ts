import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { tinyManifestSchema, tinyRuleCatalog } from '../../test/support/tiny-manifest-schema.js';
import { writtenAcme } from '../../test/support/written-resources.js';
import { renderIssuesRelative, writeTempManifests, yaml, type TempManifestDir } from '../../test/support/temp-manifest.js';
import { ManifestError } from '../errors.js';
import { loadManifest, validateManifest } from './validate-manifest.js';

let temp: TempManifestDir | undefined;
afterEach(async () => {
  await temp?.remove();
  temp = undefined;
});

async function check(files: Record<string, string>, env: NodeJS.ProcessEnv = {}) {
  temp = await writeTempManifests(files);
  const result = await validateManifest([temp.dir], { cwd: temp.dir, env, schema: tinyManifestSchema, catalog: tinyRuleCatalog });
  return { ...result, text: renderIssuesRelative(result.issues, temp.dir) };
}

describe('validateManifest with a small schema', () => {
  it('accepts a valid manifest and normalises it', async () => {
    const result = await check({
      'a.yaml': yaml`
        version: 1
        environment: sandbox
        options: { ref_id_prefix: acme- }
        persons:
          alice: { first_name: Alice, last_name: Smith }
        accounts:
          main: { identity: person.alice, profile: true }
        deposits:
          usd: { profile: account.main, asset: USD, amount: "10" }
        orders:
          buy: { profile: account.main, base_amount: "1" }
      `,
    });
    expect(result.issues).toEqual([]);
    const order = result.model?.resources.get('order.buy');
    expect(order?.dependsOn).toEqual(['account.main', 'deposit.usd']);
    expect(order?.fields).toMatchObject({ ref_id: 'acme-order-buy' });
    expect(result.model?.resources.get('account.main')?.fields).toMatchObject({ profile: true });
    expect(result.model?.resources.get('person.alice')?.source.line).toBe(5);
  });

  it('reports schema problems with positions', async () => {
    const result = await check({
      'a.yaml': yaml`
        version: 1
        environment: sandbox
        persons:
          alice:
            frist_name: Alice
            last_name: Smith
            cip_id_type: SNN
            date_of_birth: 1980-02-30
            email: 3
        institutions:
          acme:
            name: Acme
            institution_type: CORPORATION
            regulation_status: US_REGULATED
        deposits:
          usd: { profile: profile.x, asset: USD, amount: 10000 }
      `,
    });
    expect(result.text).toMatchInlineSnapshot(`
      "a.yaml:5:5  schema.unknown_field  unknown field \`frist_name\` in persons.alice (did you mean \`first_name\`?)
          hint: allowed here: \`cip_id\`, \`cip_id_country\`, \`cip_id_type\`, \`date_of_birth\`, \`email\`, \`first_name\`, \`last_name\`, \`ref_id\`
      a.yaml:7:18  schema.enum  \`SNN\` is not a valid cip_id_type (did you mean \`SSN\`?); expected \`SSN\`, \`ITIN\`, \`PASSPORT\`
      a.yaml:8:20  schema.format  persons.alice.date_of_birth must be a real date written YYYY-MM-DD
      a.yaml:9:12  schema.type  persons.alice.email must be a string, not a number
          hint: quote it: email: "..."
      a.yaml:11:3  institution.regulator  a US_REGULATED institution must name its regulator (missing \`regulator_name\`, \`regulator_jurisdiction\`)
          hint: add regulator_name and regulator_jurisdiction
      a.yaml:16:19  ref.unresolved  \`profile.x\` is not defined in any manifest file
          hint: define it under \`profiles:\`, or fix the address
      a.yaml:16:50  schema.decimal_string  deposits.usd.amount must be a decimal string, not a YAML number (numbers lose precision)
          hint: quote it: amount: "10000""
    `);
  });
});

describe('validateManifest with the published schema', () => {
  const person = (cip: { id: string; type: string }): string => yaml`
    version: 1
    environment: sandbox
    persons:
      alice:
        first_name: Alice
        last_name: Smith
        date_of_birth: "1980-01-01"
        nationality: USA
        cip_id: ${cip.id}
        cip_id_type: ${cip.type}
        cip_id_country: USA
        address: { address1: 1 Example St, city: New York, province: NY, country: USA, zip_code: "10001" }
        customer_due_diligence: { estimated_yearly_income: INCOME_50K_TO_100K, expected_transfer_value: TRANSFER_VALUE_25K_TO_50K, source_of_wealth: EMPLOYMENT_INCOME, employment_status: FULL_TIME, employment_industry_sector: FINANCE_INSURANCE }
        tax_details_not_required: true
  `;
  const checkPublished = async (text: string) => {
    temp = await writeTempManifests({ 'a.yaml': text });
    const result = await validateManifest([temp.dir], { cwd: temp.dir, env: {} });
    return { ...result, text: renderIssuesRelative(result.issues, temp.dir) };
  };

  it('reports an unset variable once: the placeholder left in the field is not a schema problem too', async () => {
    const result = await checkPublished(person({ id: '${env:NOPE}', type: 'SSN' }));
    expect(result.text).toMatchInlineSnapshot(`
      "a.yaml:9:13  interpolation.env_unset  environment variable \`NOPE\` is not set
          hint: export NOPE=... before running, or write the value in the manifest"
    `);
  });

  it('names the member roles an institution lacks, for companies and trusts', async () => {
    const { members: _members, ...company } = writtenAcme;
    const institutions = {
      'no-controller': { ...company, cip_id: '12-0000001', members: [{ identity: 'person.alice', roles: ['BENEFICIAL_OWNER'] }] },
      // After a resource whose members passed a `contains`: ajv 8.20 would let this empty list pass it.
      'no-members': { ...company, cip_id: '12-0000002', members: [] },
      trust: {
        ...company,
        cip_id: '12-0000003',
        institution_type: 'TRUST',
        institution_sub_type: 'INVESTMENT',
        members: [{ identity: 'person.alice', roles: ['ACCOUNT_OPENER'] }],
      },
    };
    const result = await checkPublished(person({ id: '111-11-1111', type: 'SSN' }) + stringify({ institutions }));
    const roles = result.issues.filter((issue) => issue.code === 'institution.required_roles');
    expect(roles.map((issue) => issue.message)).toEqual([
      'the institution needs at least one `MANAGEMENT_CONTROL_PERSON` among its members',
      'the institution needs at least one `BENEFICIAL_OWNER` and one `MANAGEMENT_CONTROL_PERSON` among its members',
      'the institution needs at least one `TRUSTEE`, `GRANTOR` or `BENEFICIARY` among its members',
    ]);
  });

  it('does not judge a field whose interpolation failed, nor a rule about it', async () => {
    // cip_id_type decides which cip_id form a US resident needs; unresolved, it decides nothing.
    const result = await checkPublished(person({ id: '111-11-1111', type: '${env:CIP_TYPE}' }));
    expect(result.text).toMatchInlineSnapshot(`
      "a.yaml:10:18  interpolation.env_unset  environment variable \`CIP_TYPE\` is not set
          hint: export CIP_TYPE=... before running, or write the value in the manifest"
    `);
  });
});

describe('loadManifest', () => {
  it('returns the model, or throws a ManifestError carrying every issue', async () => {
    temp = await writeTempManifests({
      'good.yaml': 'version: 1\nenvironment: local\nprofiles:\n  book: {}\n',
      'bad.yaml': 'version: 2\nenvironment: local\naccounts:\n  x: { identity: person.nobody }\n',
    });
    const options = { cwd: temp.dir, env: {}, schema: tinyManifestSchema, catalog: tinyRuleCatalog };
    const model = await loadManifest(['good.yaml'], options);
    expect(model.environment).toBe('local');
    expect(model.options).toEqual({ refIdPrefix: '', onCipIdConflict: 'fail', approval: 'sandbox', approvalTimeout: '10m', approvalTimeoutMs: 600_000 });
    expect(model.resources.get('profile.book')?.remoteKey).toEqual({ field: 'nickname', value: 'profile-book' });
    const error = await loadManifest(['bad.yaml'], options).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ManifestError);
    expect((error as ManifestError).issues.map((issue) => issue.code)).toEqual(['schema.enum', 'ref.unresolved']);
  });
});
