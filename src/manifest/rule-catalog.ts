/**
 * The Paxos rules the manifest schema expresses, by stable code. The schema
 * marks the subschema of each rule with `"x-paxos-rule": "<code>"`; the
 * validator turns an ajv failure inside it into an issue with this message and
 * hint. Templates may use `{missing}`, `{field}`, `{path}`, `{key}`,
 * `{value}` and `{wanted}` (what a list lacks an entry of); specifics a
 * template has no place for are appended by the validator
 * (src/manifest/map-schema-errors.ts).
 */

export interface RuleDescription {
  /** What is wrong, in the user's terms. */
  message: string;
  /** What to write instead. */
  hint?: string;
}

/** Every code a schema rule may carry. */
export const ruleCodes = [
  'person.required_details',
  'person.cdd_required',
  'person.passthrough_details',
  'person.us_resident_cip_id_type',
  'identity.tax_details_required',
  'institution.required_details',
  'institution.company_details_required',
  'institution.company_cdd_required',
  'institution.regulation_trading_fields',
  'institution.regulation_trading_not_allowed',
  'institution.trust_sub_type',
  'institution.trust_incorporation_address',
  'institution.prohibited_sub_type',
  'institution.role_not_allowed',
  'institution.required_roles',
  'deposit.fiat_network',
  'order.market_buy_quote_amount',
  'order.market_sell_base_amount',
  'order.limit_price_and_base_amount',
  'order.stop_price_required',
  'order.attribution_pair',
  'amount.positive',
] as const;
export type RuleCode = (typeof ruleCodes)[number];

export const ruleCatalog: Readonly<Record<RuleCode, RuleDescription>> = {
  'person.required_details': {
    message: 'a person lacks details Paxos requires for crypto brokerage',
    hint: 'write first_name, last_name, date_of_birth (YYYY-MM-DD), nationality, cip_id, cip_id_type, cip_id_country and address {address1, city, province, country, zip_code}',
  },
  'person.cdd_required': {
    message: "a person's customer_due_diligence lacks fields Paxos requires",
    hint: 'add customer_due_diligence: {estimated_yearly_income, expected_transfer_value, source_of_wealth, employment_status, employment_industry_sector}',
  },
  'person.passthrough_details': {
    message: 'passthrough ID verification needs who verified the person, when, and with what result',
    hint: 'with verifier_type: PASSTHROUGH also write passthrough_verifier_type (e.g. JUMIO), passthrough_verified_at (e.g. 2024-01-01T00:00:00Z) and passthrough_verification_status (APPROVED or DENIED)',
  },
  'person.us_resident_cip_id_type': {
    message: 'a person living in the USA must be identified by SSN or ITIN',
    hint: 'set cip_id_type: SSN (or ITIN) with cip_id in the form xxx-xx-xxxx',
  },
  'identity.tax_details_required': {
    message: 'tax details are required unless tax_details_not_required is true',
    hint: 'add tax_details: [{tax_payer_id, tax_payer_country}], or tax_details_not_required: true when they are not legally required',
  },
  'institution.required_details': {
    message: 'an institution lacks details Paxos requires of every institution',
    hint: 'write name, business_address, institution_type, institution_sub_type, cip_id, cip_id_type, cip_id_country and govt_registration_date (YYYY-MM-DD)',
  },
  'institution.company_details_required': {
    message: 'a CORPORATION, LLC or PARTNERSHIP needs its incorporation, regulation and trading details',
    hint: 'write incorporation_address, regulation_status (e.g. NON_REGULATED), trading_type (e.g. PRIVATE) and business_description',
  },
  'institution.company_cdd_required': {
    message: "a CORPORATION, LLC or PARTNERSHIP's customer_due_diligence lacks fields Paxos requires",
    hint: 'add customer_due_diligence: {source_of_wealth, source_of_funds, industry_sector, has_underlying_trust_structure, has_nominee_shareholders}',
  },
  'institution.regulation_trading_fields': {
    message: 'this regulation_status and trading_type need more details',
    hint: 'regulated institutions need regulator_name, regulator_jurisdiction and regulator_register_number; PUBLIC ones listed_exchange and ticker_symbol; PUBLICLY_TRADED_SUBSIDIARY also parent_institution_name',
  },
  'institution.regulation_trading_not_allowed': {
    message: 'Paxos does not onboard a NON_REGULATED institution with trading_type PUBLICLY_TRADED_SUBSIDIARY',
    hint: 'use trading_type PRIVATE or PUBLIC, or give the regulation_status (US_REGULATED or INTL_REGULATED) with the regulator details',
  },
  'institution.trust_sub_type': {
    message: 'a TRUST must have institution_sub_type INVESTMENT',
    hint: 'write institution_sub_type: INVESTMENT',
  },
  'institution.trust_incorporation_address': {
    message: 'a TRUST needs an incorporation_address unless its cip_id_type is SSN or ITIN',
    hint: 'add incorporation_address: {address1, city, province, country, zip_code}',
  },
  'institution.prohibited_sub_type': {
    message: 'Paxos does not onboard institutions of this sub-type',
    hint: 'ADULT_ENTERTAINMENT, DRUGS, RANSOMWARE, SHELL_BANK and WEAPONS are prohibited; choose the sub-type that describes the business',
  },
  'institution.role_not_allowed': {
    message: 'this member role is not allowed for the institution type',
    hint: 'a TRUST takes TRUSTEE, GRANTOR or BENEFICIARY members; a CORPORATION, LLC or PARTNERSHIP takes BENEFICIAL_OWNER, MANAGEMENT_CONTROL_PERSON or AUTHORIZED_USER (ACCOUNT_OPENER is allowed for all)',
  },
  'institution.required_roles': {
    message: 'the institution needs at least one {wanted} among its members',
    hint: 'a CORPORATION, LLC or PARTNERSHIP needs at least one BENEFICIAL_OWNER and one MANAGEMENT_CONTROL_PERSON among its members; a TRUST at least one GRANTOR, TRUSTEE or BENEFICIARY',
  },
  'deposit.fiat_network': {
    message: 'a fiat deposit takes no crypto_network',
    hint: 'remove crypto_network; it is only for crypto assets such as BTC or ETH',
  },
  'order.market_buy_quote_amount': {
    message: 'a MARKET BUY spends quote_amount (cash), not base_amount',
    hint: 'write quote_amount: "1000" (a quoted decimal string) and drop base_amount',
  },
  'order.market_sell_base_amount': {
    message: 'a MARKET SELL sells base_amount, not quote_amount',
    hint: 'write base_amount: "0.5" (a quoted decimal string) and drop quote_amount',
  },
  'order.limit_price_and_base_amount': {
    message: 'a limit order needs price and base_amount, and takes no quote_amount',
    hint: 'write price: "1800" and base_amount: "1" (quoted decimal strings)',
  },
  'order.stop_price_required': {
    message: 'a stop order needs stop_price',
    hint: 'write stop_price: "1700" (a quoted decimal string): the price at which the order triggers',
  },
  'order.attribution_pair': {
    message: 'an attributed order names both the identity and the account it trades for',
    hint: 'write both identity: person.<key> and account: account.<key>, or neither',
  },
  'amount.positive': {
    message: 'the amount must be greater than zero',
    hint: 'write a positive decimal string such as "10000" or "0.5"',
  },
};
