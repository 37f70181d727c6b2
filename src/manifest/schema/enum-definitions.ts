/**
 * The enums of the manifest schema, as `$defs` entries. Those named like a
 * schema of the Paxos spec carry exactly the spec's values (from the generated
 * module; a test compares them with the spec); the few others say where their
 * values come from.
 */
import * as enums from '../../domain/paxos-enums.generated.js';
import { passthroughVerificationStatuses } from '../../domain/paxos-rules.js';
import type { SchemaNode } from './schema-helpers.js';

/** Spec enum name → what it means, for editors. */
const specEnumDescriptions = {
  PersonDetailsCIPIDType: 'Kind of CIP id of a person. US residents use SSN or ITIN.',
  InstitutionCIPIDType: 'Kind of CIP id of an institution (EIN format: xx-xxxxxxx).',
  InstitutionType: 'Legal form of the institution.',
  InstitutionSubType: 'Industry of the institution.',
  InstitutionRoleType: 'Role a member identity holds in an institution.',
  RegulationStatus: 'Whether, and where, the institution is regulated.',
  TradingType: 'Whether the institution is privately held, publicly traded, or a subsidiary of a publicly traded company.',
  identityprotoVerifierType: 'Who verifies the person: PAXOS, PASSTHROUGH (you did, and report the result) or MANUAL.',
  PassthroughVerifierType: 'The external ID verification provider used for a PASSTHROUGH verification.',
  PassthroughVerificationField: 'A field the external verifier validated.',
  CustomerDueDiligenceNetWorthRange: 'Estimated net worth range.',
  CustomerDueDiligenceYearlyIncomeRange: 'Estimated yearly income range.',
  CustomerDueDiligenceTransferValueRange: 'Expected transfer value range.',
  WealthSource: 'Source of wealth.',
  FundsSource: 'Source of funds.',
  AccountPurpose: 'Purpose of the account.',
  EmploymentStatus: 'Employment status.',
  MerchantFundingSourceFundingSource: 'Funding source of a merchant.',
  CustomerRegion: 'Region where customers are located.',
  AccountMemberAccountRoleType: 'Role a member identity holds on an account.',
  CryptoNetwork: 'Blockchain network of a crypto deposit.',
  Market: 'The market to trade in, base asset then quote asset (e.g. ETHUSD).',
  OrderSide: 'BUY or SELL the base asset.',
  OrderType: 'The order type.',
  TimeInForce: 'How long the order stays open: GTC (good till cancelled), FOK (fill or kill), IOC (immediate or cancel), GTT (good till time).',
} as const satisfies Partial<Record<keyof typeof enums, string>>;

export type SpecEnumName = keyof typeof specEnumDescriptions;

/** Names of the `$defs` entries that mirror a spec enum one to one. */
export const specEnumNames = Object.keys(specEnumDescriptions) as SpecEnumName[];

/** Quote assets of the spec's markets: fiat currencies, which take no crypto network. */
export function listFiatAssets(): string[] {
  return unique(enums.Market.map((market) => market.slice(-3)));
}

/** Every asset traded in the spec's markets: their base assets, then their quote assets. */
export function listAssets(): string[] {
  return unique([...enums.Market.map((market) => market.slice(0, -3)), ...listFiatAssets()]);
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** The `$defs` entries for every enum the manifest uses. */
export function buildEnumDefinitions(): Record<string, SchemaNode> {
  const definitions: Record<string, SchemaNode> = {};
  for (const name of specEnumNames) {
    definitions[name] = { type: 'string', description: specEnumDescriptions[name], enum: [...enums[name]] };
  }
  definitions.AccountType = {
    type: 'string',
    description: 'Account type: BROKERAGE, the IRA types or FINANCIAL_ADVISOR (the institution guide\'s CRYPTO_BROKERAGE is not accepted by the API; write BROKERAGE).',
    enum: [...enums.AccountAccountType],
  };
  definitions.PassthroughVerificationStatus = {
    type: 'string',
    description: 'Result of a passthrough verification: Paxos accepts APPROVED or DENIED only.',
    enum: [...passthroughVerificationStatuses],
  };
  definitions.Asset = {
    type: 'string',
    description: 'An asset traded in the Paxos markets (the base and quote assets of the Market enum).',
    enum: listAssets(),
  };
  return definitions;
}
