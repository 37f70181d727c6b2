/**
 * A valid person and corporation as written in a manifest (Paxos field names,
 * addresses for ids): the bases that manifest tests break one field of.
 */
import { address } from './emulator-builders.js';

/** The manifest writes a Paxos `IdentityMailingAddress` as the API takes it. */
export const writtenAddress = address;
export const writtenAlice = {
  first_name: 'Alice',
  last_name: 'Smith',
  date_of_birth: '1980-01-01',
  nationality: 'USA',
  cip_id: '111-11-1111',
  cip_id_type: 'SSN',
  cip_id_country: 'USA',
  address: writtenAddress,
  verification: {
    verifier_type: 'PASSTHROUGH',
    passthrough_verifier_type: 'JUMIO',
    passthrough_verified_at: '2024-01-01T00:00:00Z',
    passthrough_verification_status: 'APPROVED',
  },
  customer_due_diligence: {
    estimated_yearly_income: 'INCOME_50K_TO_100K',
    expected_transfer_value: 'TRANSFER_VALUE_25K_TO_50K',
    source_of_wealth: 'EMPLOYMENT_INCOME',
    employment_status: 'FULL_TIME',
    employment_industry_sector: 'HEDGE_FUND',
  },
  tax_details_not_required: true,
};
export const writtenAcme = {
  name: 'Acme',
  institution_type: 'CORPORATION',
  institution_sub_type: 'HEDGE_FUND',
  cip_id: '12-3456789',
  cip_id_type: 'EIN',
  cip_id_country: 'USA',
  govt_registration_date: '2015-03-01',
  business_description: 'Fund',
  business_address: writtenAddress,
  incorporation_address: writtenAddress,
  regulation_status: 'NON_REGULATED',
  trading_type: 'PRIVATE',
  customer_due_diligence: {
    source_of_wealth: 'INVESTMENT_GAINS',
    source_of_funds: 'INVESTMENT_RETURNS',
    industry_sector: 'HEDGE_FUND',
    has_underlying_trust_structure: false,
    has_nominee_shareholders: false,
  },
  tax_details_not_required: true,
  members: [{ identity: 'person.alice', roles: ['BENEFICIAL_OWNER', 'MANAGEMENT_CONTROL_PERSON'] }],
};
