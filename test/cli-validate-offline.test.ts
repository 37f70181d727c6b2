/**
 * `validate --offline` (issue 14): a pull request's CI checks a manifest
 * without the PII secrets. An unset `${env:}` is taken as present and well
 * formed for its field; everything else is checked as usual.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { offlinePlaceholder } from '../src/manifest/interpolate.js';
import { runCliForTest } from './support/run-cli.js';
import { writeTempManifests, type TempManifestDir } from './support/temp-manifest.js';

let temp: TempManifestDir | undefined;
afterEach(async () => {
  await temp?.remove();
  temp = undefined;
});

function person(name: string, ssnVariable: string, extra = ''): string {
  return `  ${name}: { first_name: ${name}, last_name: Smith, date_of_birth: "\${env:${name.toUpperCase()}_DOB}", nationality: USA, cip_id: "\${env:${ssnVariable}}",
           cip_id_type: SSN, cip_id_country: USA, tax_details_not_required: true${extra},
           address: { address1: 1 St, city: NY, province: NY, country: USA, zip_code: "10001" },
           customer_due_diligence: { estimated_yearly_income: INCOME_50K_TO_100K, expected_transfer_value: TRANSFER_VALUE_25K_TO_50K,
             source_of_wealth: EMPLOYMENT_INCOME, employment_status: FULL_TIME, employment_industry_sector: HEDGE_FUND } }
`;
}
const header = 'version: 1\nenvironment: sandbox\npersons:\n';

describe('paxos-onboard validate --offline', () => {
  it('passes a manifest whose PII comes from unset variables, which plain validate refuses', async () => {
    temp = await writeTempManifests({ 'm.yaml': `${header}${person('alice', 'ALICE_SSN')}${person('bob', 'BOB_SSN')}` });
    const online = await runCliForTest(['validate', 'm.yaml'], { cwd: temp.dir, env: {} });
    expect(online.code).toBe(1);
    expect(online.stdout).toContain('interpolation.env_unset');

    const offline = await runCliForTest(['validate', '--offline', 'm.yaml'], { cwd: temp.dir, env: {} });
    expect(offline.stdout).toBe('✓ 1 file, 2 resources valid\n');
    expect(offline.code).toBe(0);
  });

  it('still reports every problem that does not need the secrets, and the same variable twice as the same cip id', async () => {
    temp = await writeTempManifests({ 'm.yaml': `${header}${person('alice', 'SHARED_SSN', ', colour: blue')}${person('bob', 'SHARED_SSN')}` });
    const run = await runCliForTest(['validate', '--offline', 'm.yaml'], { cwd: temp.dir, env: {} });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('schema.unknown_field');
    expect(run.stdout).toContain('unique.cip_id');
    expect(run.stdout).not.toContain('env_unset');
  });

  it('uses a variable that is set, so a malformed value is still caught', async () => {
    temp = await writeTempManifests({ 'm.yaml': `${header}${person('alice', 'ALICE_SSN')}` });
    const run = await runCliForTest(['validate', '--offline', 'm.yaml'], { cwd: temp.dir, env: { ALICE_DOB: 'not a date' } });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/m\.yaml:4:\d+ .*date_of_birth/);
    expect(run.stdout).not.toContain('not a date');
  });

  it('stands in a value of the field’s format, different for each variable', () => {
    expect(offlinePlaceholder('ALICE_DOB', 'date_of_birth')).toBe('1970-01-01');
    expect(offlinePlaceholder('X', 'passthrough_verified_at')).toBe('1970-01-01T00:00:00Z');
    expect(offlinePlaceholder('ALICE_SSN', 'cip_id')).toMatch(/^[1-9]\d{8}$/);
    expect(offlinePlaceholder('ALICE_SSN', 'cip_id')).not.toBe(offlinePlaceholder('BOB_SSN', 'cip_id'));
  });
});
