/**
 * The manifest as written (v1): what a YAML file holds after interpolation and
 * schema validation, before normalisation. Field names are the Paxos API's own.
 * `schemas/manifest.schema.json` describes the same shape; a test keeps the two
 * from drifting apart (src/manifest/schema/schema-drift.test.ts).
 */
import type {
  AccountAccountType,
  AccountMemberAccountRoleType,
  AccountPurpose,
  CryptoNetwork,
  CustomerDueDiligenceNetWorthRange,
  CustomerDueDiligenceTransferValueRange,
  CustomerDueDiligenceYearlyIncomeRange,
  CustomerRegion,
  EmploymentStatus,
  FundsSource,
  identityprotoVerifierType,
  InstitutionCIPIDType,
  InstitutionRoleType,
  InstitutionSubType,
  InstitutionType,
  Market,
  MerchantFundingSourceFundingSource,
  OrderSide,
  OrderType,
  PassthroughVerificationField,
  PassthroughVerifierType,
  PersonDetailsCIPIDType,
  RegulationStatus,
  TimeInForce,
  TradingType,
  WealthSource,
} from '../domain/paxos-enums.generated.js';
import type { passthroughVerificationStatuses } from '../domain/paxos-rules.js';
import type { Environment } from './options.js';

/** Where a manifest may be applied (one definition, shared with the normalised options). */
export type { Environment };


/** A decimal amount, always a string (`"10000"`, `"1814.8"`): YAML numbers lose precision. */
export type DecimalString = string;
/** `YYYY-MM-DD`, a real calendar date. */
export type DateString = string;
/** RFC 3339 date-time, e.g. `2024-01-01T00:00:00Z`. */
export type DateTimeString = string;

/** `person.<key>` or `institution.<key>`. */
export type IdentityAddress = `person.${string}` | `institution.${string}`;
/** An account that has `profile: true`, or a standalone profile. */
export type ProfileAddress = `account.${string}` | `profile.${string}`;
export type AccountAddress = `account.${string}`;

/** The manifest's `options:` as written; defaults are applied in src/manifest/options.ts. */
export interface OptionsSpec {
  ref_id_prefix?: string;
  on_cip_id_conflict?: 'fail' | 'adopt';
  approval?: 'sandbox' | 'wait' | 'none';
  /** `250ms`, `30s`, `10m`, `2h`. */
  approval_timeout?: string;
}

/** One manifest file. */
export interface ManifestDocument {
  version: 1;
  environment: Environment;
  options?: OptionsSpec;
  persons?: Record<string, PersonSpec>;
  institutions?: Record<string, InstitutionSpec>;
  accounts?: Record<string, AccountSpec>;
  profiles?: Record<string, ProfileSpec>;
  deposits?: Record<string, DepositSpec>;
  orders?: Record<string, OrderSpec>;
}

/** Paxos `IdentityMailingAddress`. */
export interface MailingAddressSpec {
  address1: string;
  address2?: string;
  city: string;
  province: string;
  country: string;
  zip_code: string;
}

/** Paxos `TaxDetail` (the writable part). */
export interface TaxDetailSpec {
  tax_payer_id: string;
  tax_payer_country: string;
}

/** Paxos `CustomerDueDiligence` (the writable part). */
export interface CustomerDueDiligenceSpec {
  aliases?: string[];
  estimated_net_worth?: CustomerDueDiligenceNetWorthRange;
  estimated_yearly_income?: CustomerDueDiligenceYearlyIncomeRange;
  expected_transfer_value?: CustomerDueDiligenceTransferValueRange;
  source_of_wealth?: WealthSource;
  source_of_funds?: FundsSource;
  purpose_of_account?: AccountPurpose;
  employment_status?: EmploymentStatus;
  employment_industry_sector?: InstitutionSubType;
  industry_sector?: InstitutionSubType;
  has_underlying_trust_structure?: boolean;
  has_nominee_shareholders?: boolean;
  is_publicly_traded?: boolean;
  merchant_funding_source?: MerchantFundingSourceFundingSource;
  customer_regions?: CustomerRegion[];
}

/** The ID verification part of Paxos `PersonDetails`, grouped. */
export interface VerificationSpec {
  verifier_type?: identityprotoVerifierType;
  verifier_id?: string;
  passthrough_verifier_type?: PassthroughVerifierType;
  passthrough_verified_at?: DateTimeString;
  passthrough_verification_id?: string;
  passthrough_verification_status?: (typeof passthroughVerificationStatuses)[number];
  passthrough_verification_fields?: PassthroughVerificationField[];
}

/** Fields every identity resource (person or institution) may carry besides its details. */
export interface IdentityCommonSpec {
  ref_id?: string;
  metadata?: Record<string, string>;
  customer_due_diligence?: CustomerDueDiligenceSpec;
  tax_details?: TaxDetailSpec[];
  tax_details_not_required?: boolean;
  is_merchant?: boolean;
}

/** `persons.<key>`: Paxos `PersonDetails` flattened, plus the identity fields. */
export interface PersonSpec extends IdentityCommonSpec {
  first_name: string;
  middle_name?: string;
  last_name: string;
  date_of_birth: DateString;
  nationality: string;
  cip_id: string;
  cip_id_type: PersonDetailsCIPIDType;
  cip_id_country: string;
  address: MailingAddressSpec;
  email?: string;
  phone_number?: string;
  country_of_birth?: string;
  profession?: string;
  /** Deprecated by Paxos in favour of cip_id. */
  govt_id?: string;
  govt_id_type?: PersonDetailsCIPIDType;
  verification?: VerificationSpec;
  /** Required of persons (PAXOS-API-NOTES.md, "Person details"). */
  customer_due_diligence: CustomerDueDiligenceSpec;
}

/** One entry of an institution's `members:`. */
export interface InstitutionMemberSpec {
  identity: IdentityAddress;
  roles: InstitutionRoleType[];
  /** Percent ownership as a decimal string: `"30"` is 30%. */
  ownership?: DecimalString;
  position?: string;
}

/** `institutions.<key>`: Paxos `InstitutionDetails` flattened, plus members and identity fields. */
export interface InstitutionSpec extends IdentityCommonSpec {
  name: string;
  doing_business_as?: string;
  business_address: MailingAddressSpec;
  incorporation_address?: MailingAddressSpec;
  institution_type: InstitutionType;
  institution_sub_type: InstitutionSubType;
  cip_id: string;
  cip_id_type: InstitutionCIPIDType;
  cip_id_country: string;
  /** A date, or a date-time. */
  govt_registration_date: DateString | DateTimeString;
  regulation_status?: RegulationStatus;
  trading_type?: TradingType;
  listed_exchange?: string;
  ticker_symbol?: string;
  parent_institution_name?: string;
  regulator_name?: string;
  regulator_jurisdiction?: string;
  regulator_register_number?: string;
  business_description?: string;
  email?: string;
  phone_number?: string;
  members: InstitutionMemberSpec[];
}

export interface AccountMemberSpec {
  identity: IdentityAddress;
  roles: AccountMemberAccountRoleType[];
}

/** `accounts.<key>`. */
export interface AccountSpec {
  identity: IdentityAddress;
  ref_id?: string;
  description?: string;
  metadata?: Record<string, string>;
  type?: AccountAccountType;
  members?: AccountMemberSpec[];
  /** Create a profile with the account (`create_profile`); addressable as `account.<key>`. */
  profile?: boolean;
}

/** `profiles.<key>`: a standalone NORMAL profile. */
export interface ProfileSpec {
  /** Default: `<ref_id_prefix>profile-<key>`. */
  nickname?: string;
  description?: string;
}

/** `deposits.<key>`: sandbox test funds. */
export interface DepositSpec {
  profile: ProfileAddress;
  asset: string;
  amount: DecimalString;
  crypto_network?: CryptoNetwork;
}

/** `orders.<key>`. */
export interface OrderSpec {
  profile: ProfileAddress;
  market: Market;
  side: OrderSide;
  type: OrderType;
  price?: DecimalString;
  base_amount?: DecimalString;
  quote_amount?: DecimalString;
  stop_price?: DecimalString;
  time_in_force?: TimeInForce;
  ref_id?: string;
  metadata?: Record<string, string>;
  /** Attribution on an omnibus/standalone profile; goes with `account`. */
  identity?: IdentityAddress;
  account?: AccountAddress;
  /** Wait for the order to fill before dependents run. */
  await_fill?: boolean;
}
