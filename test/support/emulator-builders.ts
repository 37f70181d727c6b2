/**
 * Request bodies for the emulator's domain tests: valid by default, with
 * per-test overrides, so each test shows only what it is about.
 */
import type { TestEmulator } from './test-emulator.js';

let counter = 0;

/** A unique suffix, so identities in one emulator never collide by accident. */
export function unique(): string {
  counter += 1;
  return `${process.pid}-${counter}`;
}

/** A cip_id of digits that stays unique across tests (a fake SSN shape). */
function uniqueSsn(): string {
  counter += 1;
  const n = String(100_000_000 + counter).slice(-9);
  return `${n.slice(0, 3)}-${n.slice(3, 5)}-${n.slice(5)}`;
}

export const address = { address1: '1 Example St', city: 'New York', province: 'NY', country: 'USA', zip_code: '10001' };

/** The customer due diligence Paxos requires of a person for crypto brokerage. */
export const personDueDiligence = {
  estimated_yearly_income: 'INCOME_50K_TO_100K',
  expected_transfer_value: 'TRANSFER_VALUE_25K_TO_50K',
  source_of_wealth: 'EMPLOYMENT_INCOME',
  employment_status: 'FULL_TIME',
  employment_industry_sector: 'FINANCE_INSURANCE',
};

export function personBody(overrides: { person_details?: Record<string, unknown>; customer_due_diligence?: Record<string, unknown>; ref_id?: string } = {}) {
  return {
    ref_id: overrides.ref_id ?? `person-${unique()}`,
    person_details: {
      first_name: 'Alice',
      last_name: 'Smith',
      date_of_birth: '1980-01-01',
      nationality: 'USA',
      cip_id: uniqueSsn(),
      cip_id_type: 'SSN',
      cip_id_country: 'USA',
      address,
      ...overrides.person_details,
    },
    customer_due_diligence: { ...personDueDiligence, ...overrides.customer_due_diligence },
  };
}

export function corporationBody(
  members: Array<{ identity_id: string; roles: string[] }>,
  overrides: { institution_details?: Record<string, unknown>; customer_due_diligence?: Record<string, unknown>; ref_id?: string } = {},
) {
  return {
    ref_id: overrides.ref_id ?? `institution-${unique()}`,
    institution_details: {
      name: 'Acme Corp',
      business_address: address,
      incorporation_address: address,
      institution_type: 'CORPORATION',
      institution_sub_type: 'HEDGE_FUND',
      cip_id: `12-${String(1_000_000 + (counter += 1)).slice(-7)}`,
      cip_id_type: 'EIN',
      cip_id_country: 'USA',
      govt_registration_date: '2020-01-01T00:00:00Z',
      regulation_status: 'NON_REGULATED',
      trading_type: 'PRIVATE',
      business_description: 'Hedge fund',
      ...overrides.institution_details,
    },
    customer_due_diligence: {
      source_of_wealth: 'BUSINESS_OWNERSHIP_DIVIDENDS',
      source_of_funds: 'BUSINESS_DIVIDENDS_PROFITS',
      industry_sector: 'HEDGE_FUND',
      has_underlying_trust_structure: false,
      has_nominee_shareholders: false,
      ...overrides.customer_due_diligence,
    },
    institution_members: members,
  };
}

/** Creates a person and returns its id; fails the test on anything but 200. */
export async function createPerson(emulator: TestEmulator, overrides: Parameters<typeof personBody>[0] = {}): Promise<string> {
  const response = await emulator.request('POST', '/v2/identity/identities', personBody(overrides));
  if (response.status !== 200) throw new Error(`create person: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.id as string;
}

/** Approves an identity through sandbox-status, as the seed guide does. */
export async function approveIdentity(emulator: TestEmulator, id: string): Promise<void> {
  const response = await emulator.request('PUT', `/v2/identity/identities/${id}/sandbox-status`, {
    id_verification_status: 'APPROVED',
    sanctions_verification_status: 'APPROVED',
  });
  if (response.status !== 200) throw new Error(`sandbox-status: ${response.status} ${JSON.stringify(response.body)}`);
}
