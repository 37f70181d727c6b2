/**
 * Each Paxos rule the schema states, broken by a small document: ajv's errors
 * must land under that rule's `x-paxos-rule` (and no other rule's), at the
 * instance path a user would look at. The valid documents they start from
 * are checked too, so a rule cannot pass by the base being broken.
 */
import { describe, expect, it } from 'vitest';
import { writtenAcme, writtenAddress, writtenAlice } from '../../../test/support/written-resources.js';
import { ruleCodes, type RuleCode } from '../rule-catalog.js';
import { buildManifestSchema } from './build-manifest-schema.js';
import { compileManifestSchema, findEnclosingRule } from './compile-manifest-schema.js';

type Fields = Record<string, unknown>;


function person(change: Fields = {}): Fields {
  return omitUndefined({ ...writtenAlice, tax_details_not_required: undefined, tax_details: [{ tax_payer_id: '111-11-1111', tax_payer_country: 'USA' }], ...change });
}

function corporation(change: Fields = {}): Fields {
  return omitUndefined({
    ...writtenAcme,
    members: [
      { identity: 'person.alice', roles: ['BENEFICIAL_OWNER', 'MANAGEMENT_CONTROL_PERSON'] },
      { identity: 'person.bob', roles: ['AUTHORIZED_USER'] },
    ],
    ...change,
  });
}

function trust(change: Fields = {}): Fields {
  return omitUndefined({
    name: 'Family Trust',
    institution_type: 'TRUST',
    institution_sub_type: 'INVESTMENT',
    cip_id: '98-7654321',
    cip_id_type: 'EIN',
    cip_id_country: 'USA',
    govt_registration_date: '2010-07-01',
    business_address: writtenAddress,
    incorporation_address: writtenAddress,
    tax_details_not_required: true,
    members: [{ identity: 'person.alice', roles: ['GRANTOR', 'TRUSTEE'] }],
    ...change,
  });
}

function order(change: Fields = {}): Fields {
  return omitUndefined({ profile: 'account.a', market: 'ETHUSD', side: 'BUY', type: 'MARKET', quote_amount: '100', ...change });
}

function deposit(change: Fields = {}): Fields {
  return omitUndefined({ profile: 'account.a', asset: 'USD', amount: '10000', ...change });
}

function omitUndefined(fields: Fields): Fields {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}

function manifest(collections: Fields): Fields {
  return { version: 1, environment: 'sandbox', ...collections };
}

interface BrokenCase {
  title: string;
  document: Fields;
  /** Where the user should look: the offending value, or the resource missing fields. */
  at: string;
}

const persons = (fields: Fields) => manifest({ persons: { alice: fields } });
const institutions = (fields: Fields) => manifest({ institutions: { acme: fields } });
const orders = (fields: Fields) => manifest({ orders: { o: fields } });
const deposits = (fields: Fields) => manifest({ deposits: { d: fields } });

const cases = {
  'person.required_details': [
    { title: 'no date_of_birth', document: persons(person({ date_of_birth: undefined })), at: '/persons/alice' },
    { title: 'no address', document: persons(person({ address: undefined })), at: '/persons/alice' },
  ],
  'person.cdd_required': [
    { title: 'no customer_due_diligence', document: persons(person({ customer_due_diligence: undefined })), at: '/persons/alice' },
    {
      title: 'CDD without source_of_wealth',
      document: persons(person({ customer_due_diligence: { estimated_yearly_income: 'INCOME_0_TO_50K', expected_transfer_value: 'TRANSFER_VALUE_0_TO_25K', employment_status: 'RETIRED', employment_industry_sector: 'MINING' } })),
      at: '/persons/alice/customer_due_diligence',
    },
  ],
  'person.passthrough_details': [
    { title: 'PASSTHROUGH without a result', document: persons(person({ verification: { verifier_type: 'PASSTHROUGH', passthrough_verifier_type: 'JUMIO' } })), at: '/persons/alice/verification' },
  ],
  'person.us_resident_cip_id_type': [
    { title: 'a US resident identified by passport', document: persons(person({ cip_id_type: 'PASSPORT' })), at: '/persons/alice/cip_id_type' },
  ],
  'identity.tax_details_required': [
    { title: 'neither tax_details nor tax_details_not_required', document: persons(person({ tax_details: undefined })), at: '/persons/alice' },
    { title: 'tax_details_not_required: false', document: institutions(corporation({ tax_details_not_required: false })), at: '/institutions/acme' },
  ],
  'institution.required_details': [
    { title: 'no govt_registration_date', document: institutions(corporation({ govt_registration_date: undefined })), at: '/institutions/acme' },
    { title: 'trust without business_address', document: institutions(trust({ business_address: undefined })), at: '/institutions/acme' },
  ],
  'institution.company_details_required': [
    { title: 'LLC without business_description', document: institutions(corporation({ institution_type: 'LLC', business_description: undefined })), at: '/institutions/acme' },
  ],
  'institution.company_cdd_required': [
    { title: 'corporation without CDD', document: institutions(corporation({ customer_due_diligence: undefined })), at: '/institutions/acme' },
    { title: 'CDD without has_nominee_shareholders', document: institutions(corporation({ customer_due_diligence: { source_of_wealth: 'INVESTMENT_GAINS', source_of_funds: 'INVESTMENT_RETURNS', industry_sector: 'HEDGE_FUND', has_underlying_trust_structure: false } })), at: '/institutions/acme/customer_due_diligence' },
  ],
  'institution.regulation_trading_fields': [
    { title: 'US_REGULATED PRIVATE without regulator details', document: institutions(corporation({ regulation_status: 'US_REGULATED' })), at: '/institutions/acme' },
    { title: 'NON_REGULATED PUBLIC without listing', document: institutions(corporation({ trading_type: 'PUBLIC' })), at: '/institutions/acme' },
    {
      title: 'INTL_REGULATED PUBLICLY_TRADED_SUBSIDIARY without parent_institution_name',
      document: institutions(corporation({ regulation_status: 'INTL_REGULATED', trading_type: 'PUBLICLY_TRADED_SUBSIDIARY', listed_exchange: 'LSE', ticker_symbol: 'ACME', regulator_name: 'FCA', regulator_jurisdiction: 'GBR', regulator_register_number: '123' })),
      at: '/institutions/acme',
    },
  ],
  'institution.regulation_trading_not_allowed': [
    { title: 'NON_REGULATED PUBLICLY_TRADED_SUBSIDIARY', document: institutions(corporation({ trading_type: 'PUBLICLY_TRADED_SUBSIDIARY', listed_exchange: 'NYSE', ticker_symbol: 'ACME', parent_institution_name: 'Acme Holdings' })), at: '/institutions/acme/trading_type' },
  ],
  'institution.trust_sub_type': [
    { title: 'a HEDGE_FUND trust', document: institutions(trust({ institution_sub_type: 'HEDGE_FUND' })), at: '/institutions/acme/institution_sub_type' },
  ],
  'institution.trust_incorporation_address': [
    { title: 'EIN trust without incorporation_address', document: institutions(trust({ incorporation_address: undefined })), at: '/institutions/acme' },
  ],
  'institution.prohibited_sub_type': [
    { title: 'a WEAPONS corporation', document: institutions(corporation({ institution_sub_type: 'WEAPONS' })), at: '/institutions/acme/institution_sub_type' },
    { title: 'a RANSOMWARE corporation (not in the spec enum)', document: institutions(corporation({ institution_sub_type: 'RANSOMWARE' })), at: '/institutions/acme/institution_sub_type' },
  ],
  'institution.role_not_allowed': [
    { title: 'a TRUSTEE of a corporation', document: institutions(corporation({ members: [{ identity: 'person.alice', roles: ['BENEFICIAL_OWNER', 'MANAGEMENT_CONTROL_PERSON', 'TRUSTEE'] }] })), at: '/institutions/acme/members/0/roles/2' },
    { title: 'a BENEFICIAL_OWNER of a trust', document: institutions(trust({ members: [{ identity: 'person.alice', roles: ['GRANTOR'] }, { identity: 'person.bob', roles: ['BENEFICIAL_OWNER'] }] })), at: '/institutions/acme/members/1/roles/0' },
  ],
  'institution.required_roles': [
    { title: 'corporation without a MANAGEMENT_CONTROL_PERSON', document: institutions(corporation({ members: [{ identity: 'person.alice', roles: ['BENEFICIAL_OWNER'] }] })), at: '/institutions/acme/members' },
    { title: 'trust with only an ACCOUNT_OPENER', document: institutions(trust({ members: [{ identity: 'person.alice', roles: ['ACCOUNT_OPENER'] }] })), at: '/institutions/acme/members' },
  ],
  'deposit.fiat_network': [
    { title: 'USD on ETHEREUM', document: deposits(deposit({ crypto_network: 'ETHEREUM' })), at: '/deposits/d/crypto_network' },
  ],
  'order.market_buy_quote_amount': [
    { title: 'MARKET BUY by base_amount', document: orders(order({ quote_amount: undefined, base_amount: '1' })), at: '/orders/o/base_amount' },
    { title: 'MARKET BUY with no amount', document: orders(order({ quote_amount: undefined })), at: '/orders/o' },
  ],
  'order.market_sell_base_amount': [
    { title: 'MARKET SELL by quote_amount', document: orders(order({ side: 'SELL' })), at: '/orders/o/quote_amount' },
  ],
  'order.limit_price_and_base_amount': [
    { title: 'LIMIT without price', document: orders(order({ type: 'LIMIT', quote_amount: undefined, base_amount: '1' })), at: '/orders/o' },
    { title: 'POST_ONLY_LIMIT by quote_amount', document: orders(order({ type: 'POST_ONLY_LIMIT', price: '1800' })), at: '/orders/o/quote_amount' },
  ],
  'order.stop_price_required': [
    { title: 'STOP_LIMIT without stop_price', document: orders(order({ type: 'STOP_LIMIT', side: 'SELL', quote_amount: undefined, price: '1700', base_amount: '1' })), at: '/orders/o' },
  ],
  'order.attribution_pair': [
    { title: 'identity without account', document: orders(order({ identity: 'person.alice' })), at: '/orders/o' },
  ],
  'amount.positive': [
    { title: 'a zero deposit', document: deposits(deposit({ amount: '0.00' })), at: '/deposits/d/amount' },
    { title: 'a zero quote_amount', document: orders(order({ quote_amount: '0' })), at: '/orders/o/quote_amount' },
  ],
} satisfies Record<RuleCode, BrokenCase[]>;

const schema = buildManifestSchema();
const validate = compileManifestSchema(schema);

function findRuleErrors(document: Fields): { code: string | undefined; at: string }[] {
  if (validate(document)) return [];
  return (validate.errors ?? [])
    .filter((error) => error.keyword !== 'if')
    .map((error) => ({ code: findEnclosingRule(schema, error.schemaPath), at: error.instancePath }));
}

describe('the valid documents the rule cases start from', () => {
  it.each([
    ['a person', persons(person())],
    ['a corporation', institutions(corporation())],
    ['a trust', institutions(trust())],
    ['a MARKET BUY', orders(order())],
    ['a LIMIT SELL', orders(order({ type: 'LIMIT', side: 'SELL', quote_amount: undefined, price: '1800', base_amount: '0.5' }))],
    ['a MARKET SELL', orders(order({ side: 'SELL', quote_amount: undefined, base_amount: '0.5' }))],
    ['an attributed order', orders(order({ identity: 'person.alice', account: 'account.alice' }))],
    ['a fiat deposit', deposits(deposit())],
    ['a crypto deposit', deposits(deposit({ asset: 'ETH', amount: '1', crypto_network: 'ETHEREUM' }))],
    ['a trust identified by SSN, without incorporation_address', institutions(trust({ cip_id_type: 'SSN', cip_id: '123-45-6789', incorporation_address: undefined }))],
  ])('%s is valid', (_title, document) => {
    expect(findRuleErrors(document)).toEqual([]);
  });
});

describe.each(ruleCodes.map((code) => [code, cases[code]] as const))('rule %s', (code, brokenCases) => {
  it.each(brokenCases)('is broken by $title, reported at $at', ({ document, at }) => {
    const errors = findRuleErrors(document);
    const codes = new Set(errors.map((error) => error.code).filter((found) => found !== undefined));
    expect([...codes]).toEqual([code]);
    expect(errors.filter((error) => error.code === code).map((error) => error.at)).toContain(at);
  });
});
