import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliForTest } from './support/run-cli.js';
import { writeTempManifests, yaml, type TempManifestDir } from './support/temp-manifest.js';

const fixturesDir = join(import.meta.dirname, '..', 'fixtures');
const fixtures = readdirSync(fixturesDir)
  .filter((name) => name.endsWith('.yaml'))
  .map((name) => join(fixturesDir, name));

let temp: TempManifestDir | undefined;
afterEach(async () => {
  await temp?.remove();
  temp = undefined;
});

describe('paxos-onboard validate', () => {
  it('passes every fixture, together', async () => {
    const run = await runCliForTest(['validate', ...fixtures]);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(new RegExp(`^✓ ${fixtures.length} files, \\d+ resources valid\\n$`));
    expect(run.code).toBe(0);
  });

  it('prints every problem of several files, sorted, with paths relative to cwd, and exits 1', async () => {
    temp = await writeTempManifests({
      'b.yaml': yaml`
        version: 1
        environment: sandbox
        accounts:
          main: { identity: person.alcie, profile: true }
        deposits:
          usd: { profile: account.main, asset: USD, amount: 100 }
      `,
      'a.yaml': yaml`
        version: 1
        environment: sandbox
        persons:
          alice: { first_name: Alice, last_name: Smith, date_of_birth: "1980-01-01", nationality: USA, cip_id: 111-11-1111,
                   cip_id_type: SSN, cip_id_country: USA, tax_details_not_required: true, colour: blue,
                   address: { address1: 1 St, city: NY, province: NY, country: USA, zip_code: "10001" },
                   customer_due_diligence: { estimated_yearly_income: INCOME_50K_TO_100K, expected_transfer_value: TRANSFER_VALUE_25K_TO_50K,
                     source_of_wealth: EMPLOYMENT_INCOME, employment_status: FULL_TIME, employment_industry_sector: HEDGE_FUND } }
      `,
      'c.yaml': 'version: 1\nenvironment: sandbox\npersons: [\n',
    });
    const run = await runCliForTest(['validate', '.'], { cwd: temp.dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatchInlineSnapshot(`
      "a.yaml:5:83  schema.unknown_field  unknown field \`colour\` in persons.alice
          hint: allowed here: \`address\`, \`cip_id\`, \`cip_id_country\`, \`cip_id_type\`, \`country_of_birth\`, \`customer_due_diligence\`, \`date_of_birth\`, \`email\` and 14 more
      b.yaml:4:21  ref.unresolved  \`person.alcie\` is not defined in any manifest file (did you mean \`person.alice\`?)
          hint: define it under \`persons:\`, or fix the address
      b.yaml:6:53  schema.decimal_string  deposits.usd.amount must be a decimal string, not a YAML number (numbers lose precision)
          hint: quote it: amount: "100"
      c.yaml:4:1  yaml.syntax  Flow sequence in block collection must be sufficiently indented and end with a ]

      ✗ 4 errors in 3 files
      "
    `);
  });

  it('prints machine-readable JSON with --format json', async () => {
    const run = await runCliForTest(['validate', '--format', 'json', ...fixtures]);
    const report = JSON.parse(run.stdout) as { ok: boolean; issues: unknown[]; resources: { address: string; file: string }[] };
    expect(report.ok).toBe(true);
    expect(report.issues).toEqual([]);
    expect(report.resources.map((resource) => resource.address)).toContain('institution.acme');
    expect(report.resources[0]?.file).toMatch(/^fixtures\//);
  });

  it('never prints a value from ${env:...}, even when that field is invalid', async () => {
    temp = await writeTempManifests({
      'm.yaml': yaml`
        version: 1
        environment: sandbox
        persons:
          alice:
            first_name: \${env:SECRET}
            last_name: Smith
            date_of_birth: \${env:SECRET}
            cip_id_type: \${env:SECRET}
            cip_id: \${env:SECRET}
            tax_details: \${env:SECRET}
        institutions:
          acme:
            name: Acme
            institution_type: CORPORATION
            institution_sub_type: \${env:SECRET}
      `,
    });
    const secret = 'SSX-987-65-4321';
    for (const format of ['text', 'json']) {
      const run = await runCliForTest(['validate', '--format', format, 'm.yaml'], { cwd: temp.dir, env: { SECRET: secret } });
      expect(run.code).toBe(1);
      // The fields are reported (so the test means something), their values are not.
      for (const field of ['date_of_birth', 'cip_id_type', 'tax_details', 'institution_sub_type']) expect(run.stdout).toContain(field);
      expect(run.stdout).not.toContain('yaml.syntax');
      expect(run.stdout + run.stderr).not.toContain('987-65');
      expect(run.stdout + run.stderr).not.toContain('SSX');
    }
  });
});

describe('paxos-onboard graph', () => {
  it('draws the fixtures as Mermaid by default and as DOT on request', async () => {
    const mermaid = await runCliForTest(['graph', join(fixturesDir, 'institution-brokerage.yaml')]);
    expect(mermaid.code).toBe(0);
    expect(mermaid.stdout).toMatch(/^flowchart LR\n/);
    expect(mermaid.stdout).toContain('["institution.acme"]:::institution');
    const dot = await runCliForTest(['graph', '--format', 'dot', join(fixturesDir, 'institution-brokerage.yaml')]);
    expect(dot.code).toBe(0);
    expect(dot.stdout).toContain('"person.alice" -> "institution.acme";');
    expect(dot.stdout).toContain('"deposit.acme-usd" -> "order.acme-buy-eth";');
  });

  it('refuses an invalid manifest with its issues on stderr', async () => {
    temp = await writeTempManifests({ 'm.yaml': 'version: 1\nenvironment: sandbox\naccounts:\n  main: { identity: person.nobody }\n' });
    const run = await runCliForTest(['graph', 'm.yaml'], { cwd: temp.dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatchInlineSnapshot(`
      "m.yaml:4:21  ref.unresolved  \`person.nobody\` is not defined in any manifest file
          hint: define it under \`persons:\`, or fix the address

      1 error; nothing was sent.
      "
    `);
  });
});

it('rejects an unknown command with exit code 2', async () => {
  const run = await runCliForTest(['valdate', 'x.yaml']);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain('paxos-onboard --help');
});
