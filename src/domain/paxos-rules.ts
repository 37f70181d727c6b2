/**
 * The Paxos onboarding rules as data (PAXOS-API-NOTES.md, "Identities"), kept in
 * one place so the manifest schema, the manifest checks and the emulator all
 * enforce the same thing. Enum values themselves come from the spec, via
 * paxos-enums.generated.ts.
 */
import type {
  InstitutionRoleType,
  InstitutionSubType,
  InstitutionType,
  OrderType,
  RegulationStatus,
  TradingType,
} from './paxos-enums.generated.js';

/** Person details Paxos requires for crypto brokerage. */
export const requiredPersonDetails = [
  'first_name',
  'last_name',
  'date_of_birth',
  'address',
  'nationality',
  'cip_id',
  'cip_id_type',
  'cip_id_country',
] as const;

/** Customer due diligence fields Paxos requires of a person. */
export const requiredPersonDueDiligence = [
  'estimated_yearly_income',
  'expected_transfer_value',
  'source_of_wealth',
  'employment_status',
  'employment_industry_sector',
] as const;

export const requiredAddressFields = ['address1', 'city', 'province', 'country', 'zip_code'] as const;

/** Institution details required for every institution type. */
export const requiredInstitutionDetails = [
  'name',
  'business_address',
  'institution_type',
  'institution_sub_type',
  'cip_id',
  'cip_id_type',
  'cip_id_country',
  'govt_registration_date',
] as const;

/** Types that are companies rather than trusts: they share one rule set. */
export const companyInstitutionTypes = ['CORPORATION', 'LLC', 'PARTNERSHIP'] as const satisfies readonly InstitutionType[];

/** Extra institution details required of CORPORATION, LLC and PARTNERSHIP. */
export const requiredCompanyDetails = [
  'incorporation_address',
  'regulation_status',
  'trading_type',
  'business_description',
] as const;

/** Extra due diligence required of CORPORATION, LLC and PARTNERSHIP. */
export const requiredCompanyDueDiligence = [
  'source_of_wealth',
  'source_of_funds',
  'industry_sector',
  'has_underlying_trust_structure',
  'has_nominee_shareholders',
] as const;

/** A trust must be of this sub-type. */
export const trustSubType = 'INVESTMENT' satisfies InstitutionSubType;

/** cip_id types for which a trust needs no incorporation_address. */
export const trustCipIdTypesWithoutIncorporationAddress = ['SSN', 'ITIN'] as const;

/**
 * Sub-types Paxos refuses. RANSOMWARE is prohibited by the guides although the
 * spec's enum does not list it; it is refused either way.
 */
export const prohibitedInstitutionSubTypes = [
  'ADULT_ENTERTAINMENT',
  'DRUGS',
  'RANSOMWARE',
  'SHELL_BANK',
  'WEAPONS',
] as const;

/** Needs prior authorisation from Paxos: allowed, but worth a warning. */
export const authorizationRequiredSubTypes = ['REGISTERED_INVESTMENT_ADVISOR'] as const satisfies readonly InstitutionSubType[];

const regulatorFields = ['regulator_name', 'regulator_jurisdiction', 'regulator_register_number'] as const;
const listingFields = ['listed_exchange', 'ticker_symbol'] as const;

/**
 * Regulation status × trading type → the extra fields required, or
 * `'not_allowed'` for a combination Paxos refuses.
 */
export const regulationTradingRequirements: Record<
  RegulationStatus,
  Record<TradingType, readonly string[] | 'not_allowed'>
> = {
  US_REGULATED: {
    PRIVATE: regulatorFields,
    PUBLIC: [...listingFields, ...regulatorFields],
    PUBLICLY_TRADED_SUBSIDIARY: [...listingFields, ...regulatorFields, 'parent_institution_name'],
  },
  INTL_REGULATED: {
    PRIVATE: regulatorFields,
    PUBLIC: [...listingFields, ...regulatorFields],
    PUBLICLY_TRADED_SUBSIDIARY: [...listingFields, ...regulatorFields, 'parent_institution_name'],
  },
  NON_REGULATED: {
    PRIVATE: [],
    PUBLIC: listingFields,
    PUBLICLY_TRADED_SUBSIDIARY: 'not_allowed',
  },
};

export const trustRoles = ['TRUSTEE', 'GRANTOR', 'BENEFICIARY'] as const satisfies readonly InstitutionRoleType[];
export const companyRoles = [
  'BENEFICIAL_OWNER',
  'AUTHORIZED_USER',
  'MANAGEMENT_CONTROL_PERSON',
] as const satisfies readonly InstitutionRoleType[];

/**
 * Member roles allowed by institution type. ACCOUNT_OPENER is in the spec's
 * role enum but in neither column of the guide's table; it is allowed for all.
 */
export const allowedRolesByInstitutionType: Record<InstitutionType, readonly InstitutionRoleType[]> = {
  TRUST: [...trustRoles, 'ACCOUNT_OPENER'],
  CORPORATION: [...companyRoles, 'ACCOUNT_OPENER'],
  LLC: [...companyRoles, 'ACCOUNT_OPENER'],
  PARTNERSHIP: [...companyRoles, 'ACCOUNT_OPENER'],
};

/**
 * Roles an institution must have among its members: each inner list is
 * "at least one member holds one of these".
 */
export const requiredRoleSetsByInstitutionType: Record<InstitutionType, readonly (readonly InstitutionRoleType[])[]> = {
  TRUST: [trustRoles],
  CORPORATION: [['BENEFICIAL_OWNER'], ['MANAGEMENT_CONTROL_PERSON']],
  LLC: [['BENEFICIAL_OWNER'], ['MANAGEMENT_CONTROL_PERSON']],
  PARTNERSHIP: [['BENEFICIAL_OWNER'], ['MANAGEMENT_CONTROL_PERSON']],
};

/** Person cip_id types acceptable for US residents. */
export const usResidentPersonCipIdTypes = ['SSN', 'ITIN'] as const;

/** Order types that need a limit price and a base amount. */
export const limitPricedOrderTypes = ['LIMIT', 'POST_ONLY_LIMIT', 'STOP_LIMIT'] as const satisfies readonly OrderType[];

/** Limit takers further than this fraction from the mid price are rejected. */
export const limitTakerMaxDeviation = 0.15;

/** Maximum notional per order, in the quote currency. */
export const maxNotional = {
  market: 500_000,
  limitMajor: 1_500_000,
  limitOther: 1_000_000,
  limitMajorMarkets: ['BTCUSD', 'ETHUSD'],
} as const;

/**
 * Values the Paxos guides send that the spec (and so Paxos's validation) does
 * not accept, with what to write instead: the institution guide's account
 * type. The manifest refuses them with this hint.
 */
export const guideOnlyValues: Readonly<Record<string, { write: string; why: string }>> = {
  CRYPTO_BROKERAGE: { write: 'BROKERAGE', why: 'the institution guide sends CRYPTO_BROKERAGE, but the Paxos spec\'s account types are BROKERAGE, the IRA types and FINANCIAL_ADVISOR' },
};

/** Fields the Paxos guides send that the spec's request shapes do not declare (Paxos forbids undeclared fields), by manifest place. */
export const guideOnlyFields: Readonly<Record<string, string>> = {
  'accounts.name': 'Create Account has no `name` (the institution guide sends one, the spec does not declare it); put the name in `description` or `metadata`',
};

/** Passthrough verification may only be reported as one of these. */
export const passthroughVerificationStatuses = ['APPROVED', 'DENIED'] as const;

/** Decimal amounts travel as strings: digits, optional fraction, no sign or exponent. */
export const decimalStringPattern = '^(0|[1-9][0-9]*)(\\.[0-9]+)?$';

/**
 * The details whose change means Paxos must verify the identity again ("updating
 * details might lead to the identity being re-verified"), each with the
 * sub-statuses that verification sets. The docs name no list: this is our
 * reading of what id verification, sanctions screening and document review
 * check. Contact details, metadata and due diligence are not here. The
 * emulator re-verifies by it; the planner follows such an update with the
 * approval the manifest asks for.
 */
export const verifiedFields: Readonly<Record<'PERSON' | 'INSTITUTION', Readonly<Record<string, readonly string[]>>>> = {
  PERSON: {
    ...Object.fromEntries(['first_name', 'middle_name', 'last_name', 'date_of_birth', 'nationality', 'country_of_birth'].map((field) => [field, ['id_verification_status', 'sanctions_verification_status']])),
    ...Object.fromEntries(['address', 'cip_id', 'cip_id_type', 'cip_id_country', 'govt_id', 'govt_id_type'].map((field) => [field, ['id_verification_status']])),
  },
  INSTITUTION: {
    ...Object.fromEntries(
      ['name', 'doing_business_as', 'business_address', 'incorporation_address', 'cip_id', 'cip_id_type', 'cip_id_country', 'govt_registration_date', 'parent_institution_name']
        .map((field) => [field, ['sanctions_verification_status', 'document_verification_status']]),
    ),
    ...Object.fromEntries(
      ['institution_type', 'institution_sub_type', 'regulation_status', 'regulator_name', 'regulator_jurisdiction', 'regulator_register_number', 'trading_type', 'listed_exchange', 'ticker_symbol']
        .map((field) => [field, ['document_verification_status']]),
    ),
  },
};
