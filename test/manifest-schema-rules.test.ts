import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { checkManifests, type ManifestCheck } from './support/check-manifest.js';
import { writtenAcme, writtenAlice } from './support/written-resources.js';

/**
 * Every Paxos rule the published schema expresses, broken once on an
 * otherwise valid manifest: exactly one issue, with its code, position and
 * message. The manifests are object literals turned into block YAML.
 */
const alice = writtenAlice;
const acme = writtenAcme;
const account = { identity: 'institution.acme', profile: true };
const deposit = { profile: 'account.main', asset: 'USD', amount: '10000' };
const order = { profile: 'account.main', market: 'ETHUSD', side: 'BUY', type: 'MARKET', quote_amount: '100' };

interface Parts {
  person?: Record<string, unknown>;
  institution?: Record<string, unknown>;
  deposit?: Record<string, unknown>;
  order?: Record<string, unknown>;
}

function manifest(parts: Parts): string {
  return stringify({
    version: 1,
    environment: 'sandbox',
    persons: { alice: parts.person ?? alice },
    institutions: { acme: parts.institution ?? acme },
    accounts: { main: account },
    deposits: { usd: parts.deposit ?? deposit },
    orders: { buy: parts.order ?? order },
  });
}

function without<T extends Record<string, unknown>>(value: T, ...keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([key]) => !keys.includes(key)));
}

let last: ManifestCheck | undefined;
afterEach(async () => {
  await last?.dir.remove();
  last = undefined;
});

async function issuesOf(parts: Parts): Promise<{ codes: string[]; text: string }> {
  last = await checkManifests({ 'm.yaml': manifest(parts) }, { schema: 'published' });
  return { codes: last.issues.map((issue) => issue.code), text: last.text };
}

it('accepts the base manifest', async () => {
  expect((await issuesOf({})).codes).toEqual([]);
});

describe('persons', () => {
  it('person.required_details', async () => {
    const { codes, text } = await issuesOf({ person: without(alice, 'nationality') });
    expect(codes).toEqual(['person.required_details']);
    expect(text).toMatchInlineSnapshot(`
      "m.yaml:4:3  person.required_details  a person lacks details Paxos requires for crypto brokerage (missing \`nationality\`)
          hint: write first_name, last_name, date_of_birth (YYYY-MM-DD), nationality, cip_id, cip_id_type, cip_id_country and address {address1, city, province, country, zip_code}"
    `);
  });
  it('person.cdd_required', async () => {
    const { codes, text } = await issuesOf({
      person: { ...alice, customer_due_diligence: without(alice.customer_due_diligence, 'source_of_wealth') },
    });
    expect(codes).toEqual(['person.cdd_required']);
    expect(text).toMatchInlineSnapshot(`
      "m.yaml:23:5  person.cdd_required  a person's customer_due_diligence lacks fields Paxos requires (missing \`source_of_wealth\`)
          hint: add customer_due_diligence: {estimated_yearly_income, expected_transfer_value, source_of_wealth, employment_status, employment_industry_sector}"
    `);
  });
  it('person.passthrough_details', async () => {
    const { codes, text } = await issuesOf({
      person: { ...alice, verification: without(alice.verification, 'passthrough_verified_at') },
    });
    expect(codes).toEqual(['person.passthrough_details']);
    expect(text).toMatchInlineSnapshot(`
      "m.yaml:18:5  person.passthrough_details  passthrough ID verification needs who verified the person, when, and with what result (missing \`passthrough_verified_at\`)
          hint: with verifier_type: PASSTHROUGH also write passthrough_verifier_type (e.g. JUMIO), passthrough_verified_at (e.g. 2024-01-01T00:00:00Z) and passthrough_verification_status (APPROVED or DENIED)"
    `);
  });
  it('person.us_resident_cip_id_type', async () => {
    const { codes, text } = await issuesOf({ person: { ...alice, cip_id_type: 'PASSPORT' } });
    expect(codes).toEqual(['person.us_resident_cip_id_type']);
    expect(text).toMatchInlineSnapshot(`
      "m.yaml:10:18  person.us_resident_cip_id_type  a person living in the USA must be identified by SSN or ITIN (got \`PASSPORT\`)
          hint: set cip_id_type: SSN (or ITIN) with cip_id in the form xxx-xx-xxxx"
    `);
  });
  it('identity.tax_details_required', async () => {
    const { codes, text } = await issuesOf({ person: without(alice, 'tax_details_not_required') });
    expect(codes).toEqual(['identity.tax_details_required']);
    expect(text).toMatchInlineSnapshot(`
      "m.yaml:4:3  identity.tax_details_required  tax details are required unless tax_details_not_required is true (missing \`tax_details\`)
          hint: add tax_details: [{tax_payer_id, tax_payer_country}], or tax_details_not_required: true when they are not legally required"
    `);
  });
});

describe('institutions', () => {
  it('institution.required_details', async () => {
    const { codes, text } = await issuesOf({ institution: without(acme, 'govt_registration_date') });
    expect(codes).toEqual(['institution.required_details']);
    expect(text).toMatchInlineSnapshot(`
      "m.yaml:31:3  institution.required_details  an institution lacks details Paxos requires of every institution (missing \`govt_registration_date\`)
          hint: write name, business_address, institution_type, institution_sub_type, cip_id, cip_id_type, cip_id_country and govt_registration_date (YYYY-MM-DD)"
    `);
  });
  it('institution.company_details_required', async () => {
    const { codes, text } = await issuesOf({ institution: without(acme, 'business_description') });
    expect(codes).toEqual(['institution.company_details_required']);
    expect(text).toMatchInlineSnapshot(`
      "m.yaml:31:3  institution.company_details_required  a CORPORATION, LLC or PARTNERSHIP needs its incorporation, regulation and trading details (missing \`business_description\`)
          hint: write incorporation_address, regulation_status (e.g. NON_REGULATED), trading_type (e.g. PRIVATE) and business_description"
    `);
  });
  it('institution.company_cdd_required', async () => {
    const { codes, text } = await issuesOf({
      institution: { ...acme, customer_due_diligence: without(acme.customer_due_diligence, 'source_of_funds') },
    });
    expect(codes).toEqual(['institution.company_cdd_required']);
    expect(text).toMatchInlineSnapshot(`
      "m.yaml:44:5  institution.company_cdd_required  a CORPORATION, LLC or PARTNERSHIP's customer_due_diligence lacks fields Paxos requires (missing \`source_of_funds\`)
          hint: add customer_due_diligence: {source_of_wealth, source_of_funds, industry_sector, has_underlying_trust_structure, has_nominee_shareholders}"
    `);
  });
  it('institution.regulation_trading_fields', async () => {
    const { codes, text } = await issuesOf({ institution: { ...acme, regulation_status: 'US_REGULATED', regulator_name: 'SEC' } });
    expect(codes).toEqual(['institution.regulation_trading_fields']);
    expect(text).toMatchInlineSnapshot(`
      "m.yaml:31:3  institution.regulation_trading_fields  this regulation_status and trading_type need more details (missing \`regulator_jurisdiction\`, \`regulator_register_number\`)
          hint: regulated institutions need regulator_name, regulator_jurisdiction and regulator_register_number; PUBLIC ones listed_exchange and ticker_symbol; PUBLICLY_TRADED_SUBSIDIARY also parent_institution_name"
    `);
  });
  it('institution.regulation_trading_not_allowed', async () => {
    const { codes, text } = await issuesOf({
      institution: { ...acme, trading_type: 'PUBLICLY_TRADED_SUBSIDIARY', listed_exchange: 'NYSE', ticker_symbol: 'ACME', parent_institution_name: 'Parent' },
    });
    expect(codes).toEqual(['institution.regulation_trading_not_allowed']);
    expect(text).toMatchInlineSnapshot(`
      "m.yaml:43:19  institution.regulation_trading_not_allowed  Paxos does not onboard a NON_REGULATED institution with trading_type PUBLICLY_TRADED_SUBSIDIARY (got \`PUBLICLY_TRADED_SUBSIDIARY\`)
          hint: use trading_type PRIVATE or PUBLIC, or give the regulation_status (US_REGULATED or INTL_REGULATED) with the regulator details"
    `);
  });
  const trust = {
    ...acme,
    institution_type: 'TRUST',
    institution_sub_type: 'INVESTMENT',
    members: [{ identity: 'person.alice', roles: ['TRUSTEE'] }],
  };
  it('institution.trust_sub_type', async () => {
    const { codes, text } = await issuesOf({ institution: { ...trust, institution_sub_type: 'HEDGE_FUND' } });
    expect(codes).toEqual(['institution.trust_sub_type']);
    expect(text).toMatchInlineSnapshot(`
      "m.yaml:34:27  institution.trust_sub_type  a TRUST must have institution_sub_type INVESTMENT (got \`HEDGE_FUND\`)
          hint: write institution_sub_type: INVESTMENT"
    `);
  });
  it('institution.trust_incorporation_address', async () => {
    const { codes, text } = await issuesOf({ institution: without(trust, 'incorporation_address') });
    expect(codes).toEqual(['institution.trust_incorporation_address']);
    expect(text).toMatchInlineSnapshot(`
      "m.yaml:31:3  institution.trust_incorporation_address  a TRUST needs an incorporation_address unless its cip_id_type is SSN or ITIN (missing \`incorporation_address\`)
          hint: add incorporation_address: {address1, city, province, country, zip_code}"
    `);
  });
  it('institution.prohibited_sub_type', async () => {
    const { codes, text } = await issuesOf({ institution: { ...acme, institution_sub_type: 'WEAPONS' } });
    expect(codes).toEqual(['institution.prohibited_sub_type']);
    expect(text).toMatchInlineSnapshot(`
      "m.yaml:34:27  institution.prohibited_sub_type  Paxos does not onboard institutions of this sub-type (got \`WEAPONS\`)
          hint: ADULT_ENTERTAINMENT, DRUGS, RANSOMWARE, SHELL_BANK and WEAPONS are prohibited; choose the sub-type that describes the business"
    `);
  });
  it('institution.role_not_allowed', async () => {
    const members = [...acme.members, { identity: 'person.alice', roles: ['GRANTOR'] }];
    const { codes, text } = await issuesOf({ institution: { ...acme, members } });
    expect(codes).toEqual(['institution.role_not_allowed']);
    expect(text).toMatchInlineSnapshot(`
      "m.yaml:58:13  institution.role_not_allowed  this member role is not allowed for the institution type (got \`GRANTOR\`)
          hint: a TRUST takes TRUSTEE, GRANTOR or BENEFICIARY members; a CORPORATION, LLC or PARTNERSHIP takes BENEFICIAL_OWNER, MANAGEMENT_CONTROL_PERSON or AUTHORIZED_USER (ACCOUNT_OPENER is allowed for all)"
    `);
  });
  it('institution.required_roles', async () => {
    const { codes, text } = await issuesOf({
      institution: { ...acme, members: [{ identity: 'person.alice', roles: ['BENEFICIAL_OWNER'] }] },
    });
    expect(codes).toEqual(['institution.required_roles']);
    expect(text).toMatchInlineSnapshot(`
      "m.yaml:51:5  institution.required_roles  the institution needs at least one \`MANAGEMENT_CONTROL_PERSON\` among its members
          hint: a CORPORATION, LLC or PARTNERSHIP needs at least one BENEFICIAL_OWNER and one MANAGEMENT_CONTROL_PERSON among its members; a TRUST at least one GRANTOR, TRUSTEE or BENEFICIARY"
    `);
  });
});

describe('deposits and orders', () => {
  it('deposit.fiat_network', async () => {
    const { codes, text } = await issuesOf({ deposit: { ...deposit, crypto_network: 'ETHEREUM' } });
    expect(codes).toEqual(['deposit.fiat_network']);
    expect(text).toMatchInlineSnapshot(`
      "m.yaml:65:21  deposit.fiat_network  a fiat deposit takes no crypto_network (got \`ETHEREUM\`)
          hint: remove crypto_network; it is only for crypto assets such as BTC or ETH"
    `);
  });
  it('amount.positive', async () => {
    const { codes, text } = await issuesOf({ deposit: { ...deposit, amount: '0.00' } });
    expect(codes).toEqual(['amount.positive']);
    expect(text).toMatchInlineSnapshot(`
      "m.yaml:64:13  amount.positive  the amount must be greater than zero (got \`0.00\`)
          hint: write a positive decimal string such as "10000" or "0.5""
    `);
  });
  it('order.market_buy_quote_amount', async () => {
    const { codes, text } = await issuesOf({ order: { ...without(order, 'quote_amount'), base_amount: '1' } });
    expect(codes).toEqual(['order.market_buy_quote_amount']);
    expect(text).toMatchInlineSnapshot(`
      "m.yaml:71:18  order.market_buy_quote_amount  a MARKET BUY spends quote_amount (cash), not base_amount (missing \`quote_amount\`)
          hint: write quote_amount: "1000" (a quoted decimal string) and drop base_amount"
    `);
  });
  it('order.market_sell_base_amount', async () => {
    const { codes, text } = await issuesOf({ order: { ...order, side: 'SELL' } });
    expect(codes).toEqual(['order.market_sell_base_amount']);
    expect(text).toMatchInlineSnapshot(`
      "m.yaml:71:19  order.market_sell_base_amount  a MARKET SELL sells base_amount, not quote_amount (missing \`base_amount\`)
          hint: write base_amount: "0.5" (a quoted decimal string) and drop quote_amount"
    `);
  });
  it('order.limit_price_and_base_amount', async () => {
    const { codes, text } = await issuesOf({ order: { ...without(order, 'quote_amount'), type: 'LIMIT', base_amount: '1' } });
    expect(codes).toEqual(['order.limit_price_and_base_amount']);
    expect(text).toMatchInlineSnapshot(`
      "m.yaml:66:3  order.limit_price_and_base_amount  a limit order needs price and base_amount, and takes no quote_amount (missing \`price\`)
          hint: write price: "1800" and base_amount: "1" (quoted decimal strings)"
    `);
  });
  it('order.stop_price_required', async () => {
    const { codes, text } = await issuesOf({ order: { ...order, type: 'STOP_MARKET' } });
    expect(codes).toEqual(['order.stop_price_required']);
    expect(text).toMatchInlineSnapshot(`
      "m.yaml:66:3  order.stop_price_required  a stop order needs stop_price (missing \`stop_price\`)
          hint: write stop_price: "1700" (a quoted decimal string): the price at which the order triggers"
    `);
  });
  it('order.attribution_pair', async () => {
    const { codes, text } = await issuesOf({ order: { ...order, identity: 'person.alice' } });
    expect(codes).toEqual(['order.attribution_pair']);
    expect(text).toMatchInlineSnapshot(`
      "m.yaml:66:3  order.attribution_pair  an attributed order names both the identity and the account it trades for (missing \`account\`)
          hint: write both identity: person.<key> and account: account.<key>, or neither"
    `);
  });
});

describe('generic schema problems', () => {
  it('names an unknown field with the closest allowed one', async () => {
    const { codes, text } = await issuesOf({ person: { ...without(alice, 'last_name'), lastname: 'Smith' } });
    expect(codes).toEqual(['schema.unknown_field']);
    expect(text).toMatchInlineSnapshot(`
      "m.yaml:29:5  schema.unknown_field  unknown field \`lastname\` in persons.alice (did you mean \`last_name\`?)
          hint: allowed here: \`address\`, \`cip_id\`, \`cip_id_country\`, \`cip_id_type\`, \`country_of_birth\`, \`customer_due_diligence\`, \`date_of_birth\`, \`email\` and 14 more"
    `);
  });
  it('suggests an enum value and lists the allowed ones', async () => {
    const { codes, text } = await issuesOf({ order: { ...order, market: 'ETHUDS' } });
    expect(codes).toEqual(['schema.enum']);
    expect(text).toMatchInlineSnapshot(`"m.yaml:68:13  schema.enum  \`ETHUDS\` is not a valid market (did you mean \`ETHUSD\`?); expected \`ETHEUR\`, \`ETHSGD\`, \`ETHUSD\`, \`BTCEUR\`, \`BTCSGD\`, \`BTCUSD\` and 8 more"`);
  });
  it('asks for a quoted decimal where a YAML number was written', async () => {
    const { codes, text } = await issuesOf({ deposit: { ...deposit, amount: 10000 } });
    expect(codes).toEqual(['schema.decimal_string']);
    expect(text).toMatchInlineSnapshot(`
      "m.yaml:64:13  schema.decimal_string  deposits.usd.amount must be a decimal string, not a YAML number (numbers lose precision)
          hint: quote it: amount: "10000""
    `);
  });
  it('refuses a date that does not exist', async () => {
    const { codes, text } = await issuesOf({ person: { ...alice, date_of_birth: '1980-02-30' } });
    expect(codes).toEqual(['schema.format']);
    expect(text).toMatchInlineSnapshot(`"m.yaml:7:20  schema.format  persons.alice.date_of_birth must be a real date written YYYY-MM-DD"`);
  });
  it('refuses a wrong type and a malformed value', async () => {
    const verification = { ...alice.verification, passthrough_verified_at: 'yesterday' };
    const { codes, text } = await issuesOf({ person: { ...alice, tax_details_not_required: 'yes', verification } });
    expect(codes).toEqual(['schema.format', 'schema.type']);
    expect(text).toMatchInlineSnapshot(`
      "m.yaml:21:32  schema.format  persons.alice.verification.passthrough_verified_at must be an RFC 3339 date-time such as 2024-01-01T00:00:00Z
      m.yaml:29:31  schema.type  persons.alice.tax_details_not_required must be a boolean, not a string"
    `);
  });
});
