/**
 * Small inline manifests for the plan tests: a person or an institution in
 * a few lines, each value overridable, and the matching raw API body for
 * creating the same identity straight through the emulator.
 */
import { personDueDiligence } from './emulator-builders.js';

export interface PersonOptions {
  ssn?: string;
  city?: string;
  email?: string;
  refId?: string;
  dateOfBirth?: string;
}

export const header = (environment = 'sandbox', options = 'ref_id_prefix: t-') => `version: 1\nenvironment: ${environment}\noptions: { ${options} }\n`;

export function personYaml(key: string, options: PersonOptions = {}): string {
  return [
    `  ${key}:`,
    ...(options.refId ? [`    ref_id: ${options.refId}`] : []),
    `    first_name: ${key[0]?.toUpperCase()}${key.slice(1)}`,
    '    last_name: Example',
    `    date_of_birth: "${options.dateOfBirth ?? '1980-01-01'}"`,
    '    nationality: USA',
    `    cip_id: "${options.ssn ?? '111-11-1127'}"`,
    '    cip_id_type: SSN',
    '    cip_id_country: USA',
    ...(options.email ? [`    email: ${options.email}`] : []),
    `    address: { address1: 1 Example St, city: ${options.city ?? 'New York'}, province: NY, country: USA, zip_code: "10001" }`,
    '    customer_due_diligence: { estimated_yearly_income: INCOME_50K_TO_100K, expected_transfer_value: TRANSFER_VALUE_25K_TO_50K, source_of_wealth: EMPLOYMENT_INCOME, employment_status: FULL_TIME, employment_industry_sector: FINANCE_INSURANCE }',
    `    tax_details: [{ tax_payer_id: "${options.ssn ?? '111-11-1127'}", tax_payer_country: USA }]`,
  ].join('\n');
}

/** The raw Create Identity body of `personYaml(key, options)`, to make the same person outside the tool. */
export function personBodyFor(key: string, options: PersonOptions & { prefix?: string } = {}) {
  return {
    ref_id: options.refId ?? `${options.prefix ?? 't-'}person-${key}`,
    person_details: {
      first_name: `${key[0]?.toUpperCase()}${key.slice(1)}`,
      last_name: 'Example',
      date_of_birth: options.dateOfBirth ?? '1980-01-01',
      nationality: 'USA',
      cip_id: options.ssn ?? '111-11-1127',
      cip_id_type: 'SSN',
      cip_id_country: 'USA',
      ...(options.email ? { email: options.email } : {}),
      address: { address1: '1 Example St', city: options.city ?? 'New York', province: 'NY', country: 'USA', zip_code: '10001' },
    },
    customer_due_diligence: personDueDiligence,
    tax_details: [{ tax_payer_id: options.ssn ?? '111-11-1127', tax_payer_country: 'USA' }],
  };
}

export function corporationYaml(key: string, members: Array<{ identity: string; roles: string[] }>, options: { ein?: string; type?: string } = {}): string {
  return [
    `  ${key}:`,
    `    name: ${key} LLC`,
    `    institution_type: ${options.type ?? 'CORPORATION'}`,
    '    institution_sub_type: HEDGE_FUND',
    `    cip_id: "${options.ein ?? '12-3456789'}"`,
    '    cip_id_type: EIN',
    '    cip_id_country: USA',
    '    govt_registration_date: "2015-03-01"',
    '    business_description: Hedge fund',
    '    business_address: { address1: 100 Market St, city: New York, province: NY, country: USA, zip_code: "10005" }',
    '    incorporation_address: { address1: 100 Market St, city: New York, province: NY, country: USA, zip_code: "10005" }',
    '    regulation_status: NON_REGULATED',
    '    trading_type: PRIVATE',
    '    customer_due_diligence: { source_of_wealth: INVESTMENT_GAINS, source_of_funds: INVESTMENT_RETURNS, industry_sector: HEDGE_FUND, has_underlying_trust_structure: false, has_nominee_shareholders: false }',
    `    tax_details: [{ tax_payer_id: "${options.ein ?? '12-3456789'}", tax_payer_country: USA }]`,
    '    members:',
    ...members.map((member) => `      - { identity: ${member.identity}, roles: [${member.roles.join(', ')}] }`),
  ].join('\n');
}
