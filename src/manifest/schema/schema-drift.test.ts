/**
 * Keeps src/manifest/types.ts and the JSON Schema from drifting apart. Each
 * key list below is checked against its type by the compiler (`satisfies`
 * makes it exhaustive, excess-property checks make it exact), and against the
 * schema by the test: a field added to one side only fails one or the other.
 */
import { describe, expect, it } from 'vitest';
import type {
  AccountMemberSpec,
  AccountSpec,
  CustomerDueDiligenceSpec,
  DepositSpec,
  InstitutionMemberSpec,
  InstitutionSpec,
  MailingAddressSpec,
  ManifestDocument,
  OptionsSpec,
  OrderSpec,
  PersonSpec,
  ProfileSpec,
  TaxDetailSpec,
  VerificationSpec,
} from '../types.js';
import { buildManifestSchema } from './build-manifest-schema.js';
import type { SchemaNode } from './schema-helpers.js';

/** Keys of T that are not optional. */
type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];
/** Field name → whether the type requires it; exhaustive and exact for T. */
type KeyTable<T> = { [K in keyof T]-?: K extends RequiredKeys<T> ? 'required' : 'optional' };

const identityCommon = {
  ref_id: 'optional',
  metadata: 'optional',
  tax_details: 'optional',
  tax_details_not_required: 'optional',
  is_merchant: 'optional',
} as const;

const documentKeys = {
  version: 'required', environment: 'required', options: 'optional', persons: 'optional', institutions: 'optional',
  accounts: 'optional', profiles: 'optional', deposits: 'optional', orders: 'optional',
} as const satisfies KeyTable<ManifestDocument>;
const optionsKeys = {
  ref_id_prefix: 'optional', on_cip_id_conflict: 'optional', approval: 'optional', approval_timeout: 'optional',
} as const satisfies KeyTable<OptionsSpec>;
const personKeys = {
  ...identityCommon,
  first_name: 'required', middle_name: 'optional', last_name: 'required', date_of_birth: 'required',
  nationality: 'required', cip_id: 'required', cip_id_type: 'required', cip_id_country: 'required', address: 'required',
  email: 'optional', phone_number: 'optional', country_of_birth: 'optional', profession: 'optional', govt_id: 'optional',
  govt_id_type: 'optional', verification: 'optional', customer_due_diligence: 'required',
} as const satisfies KeyTable<PersonSpec>;
const verificationKeys = {
  verifier_type: 'optional', verifier_id: 'optional', passthrough_verifier_type: 'optional',
  passthrough_verified_at: 'optional', passthrough_verification_id: 'optional',
  passthrough_verification_status: 'optional', passthrough_verification_fields: 'optional',
} as const satisfies KeyTable<VerificationSpec>;
const dueDiligenceKeys = {
  aliases: 'optional', estimated_net_worth: 'optional', estimated_yearly_income: 'optional',
  expected_transfer_value: 'optional', source_of_wealth: 'optional', source_of_funds: 'optional',
  purpose_of_account: 'optional', employment_status: 'optional', employment_industry_sector: 'optional',
  industry_sector: 'optional', has_underlying_trust_structure: 'optional', has_nominee_shareholders: 'optional',
  is_publicly_traded: 'optional', merchant_funding_source: 'optional', customer_regions: 'optional',
} as const satisfies KeyTable<CustomerDueDiligenceSpec>;
const addressKeys = {
  address1: 'required', address2: 'optional', city: 'required', province: 'required', country: 'required', zip_code: 'required',
} as const satisfies KeyTable<MailingAddressSpec>;
const taxDetailKeys = { tax_payer_id: 'required', tax_payer_country: 'required' } as const satisfies KeyTable<TaxDetailSpec>;
const institutionKeys = {
  ...identityCommon,
  customer_due_diligence: 'optional',
  name: 'required', doing_business_as: 'optional', business_address: 'required', incorporation_address: 'optional',
  institution_type: 'required', institution_sub_type: 'required', cip_id: 'required', cip_id_type: 'required',
  cip_id_country: 'required', govt_registration_date: 'required', regulation_status: 'optional', trading_type: 'optional',
  listed_exchange: 'optional', ticker_symbol: 'optional', parent_institution_name: 'optional', regulator_name: 'optional',
  regulator_jurisdiction: 'optional', regulator_register_number: 'optional', business_description: 'optional',
  email: 'optional', phone_number: 'optional', members: 'required',
} as const satisfies KeyTable<InstitutionSpec>;
const institutionMemberKeys = {
  identity: 'required', roles: 'required', ownership: 'optional', position: 'optional',
} as const satisfies KeyTable<InstitutionMemberSpec>;
const accountKeys = {
  identity: 'required', ref_id: 'optional', description: 'optional', metadata: 'optional', type: 'optional',
  members: 'optional', profile: 'optional',
} as const satisfies KeyTable<AccountSpec>;
const accountMemberKeys = { identity: 'required', roles: 'required' } as const satisfies KeyTable<AccountMemberSpec>;
const profileKeys = { nickname: 'optional', description: 'optional' } as const satisfies KeyTable<ProfileSpec>;
const depositKeys = {
  profile: 'required', asset: 'required', amount: 'required', crypto_network: 'optional',
} as const satisfies KeyTable<DepositSpec>;
const orderKeys = {
  profile: 'required', market: 'required', side: 'required', type: 'required', price: 'optional',
  base_amount: 'optional', quote_amount: 'optional', stop_price: 'optional', time_in_force: 'optional',
  ref_id: 'optional', metadata: 'optional', identity: 'optional', account: 'optional', await_fill: 'optional',
} as const satisfies KeyTable<OrderSpec>;

const schema = buildManifestSchema();

function child(node: unknown, ...path: string[]): SchemaNode {
  let current: unknown = node;
  for (const segment of path) current = (current as SchemaNode | undefined)?.[segment];
  if (typeof current !== 'object' || current === null) throw new Error(`no schema at ${path.join('/')}`);
  return current as SchemaNode;
}

/**
 * A closed object's fields as the schema sees them: required when its shape
 * requires them, or a rule requires them of every resource (an `allOf` entry
 * with a bare `required`, no condition).
 */
function readSchemaKeys(node: SchemaNode): Record<string, 'required' | 'optional'> {
  const parts = Array.isArray(node.allOf) ? (node.allOf as SchemaNode[]) : [node];
  const shape = parts[0] ?? node;
  const required = new Set<string>();
  for (const part of parts) {
    if (part.if !== undefined) continue;
    for (const name of (part.required as string[] | undefined) ?? []) required.add(name);
  }
  return Object.fromEntries(
    Object.keys(child(shape, 'properties')).map((name) => [name, required.has(name) ? 'required' : 'optional']),
  );
}

// An entry is a resource or a generator of them; the resource is the `else`.
const resource = (collection: string) => child(schema, 'properties', collection, 'additionalProperties', 'else');

const cases: [string, Record<string, string>, SchemaNode][] = [
  ['ManifestDocument', documentKeys, schema],
  ['OptionsSpec', optionsKeys, child(schema, 'properties', 'options')],
  ['PersonSpec', personKeys, resource('persons')],
  ['VerificationSpec', verificationKeys, child(resource('persons'), 'allOf', '0', 'properties', 'verification')],
  ['CustomerDueDiligenceSpec', dueDiligenceKeys, child(resource('persons'), 'allOf', '0', 'properties', 'customer_due_diligence')],
  ['MailingAddressSpec', addressKeys, child(schema, '$defs', 'MailingAddress')],
  ['TaxDetailSpec', taxDetailKeys, child(schema, '$defs', 'TaxDetail')],
  ['InstitutionSpec', institutionKeys, resource('institutions')],
  ['InstitutionMemberSpec', institutionMemberKeys, child(resource('institutions'), 'allOf', '0', 'properties', 'members', 'items')],
  ['AccountSpec', accountKeys, resource('accounts')],
  ['AccountMemberSpec', accountMemberKeys, child(resource('accounts'), 'allOf', '0', 'properties', 'members', 'items')],
  ['ProfileSpec', profileKeys, resource('profiles')],
  ['DepositSpec', depositKeys, resource('deposits')],
  ['OrderSpec', orderKeys, resource('orders')],
];

describe('the JSON Schema and src/manifest/types.ts', () => {
  it.each(cases)('agree on the fields of %s, and on which are required', (_name, typeKeys, node) => {
    const sorted = (table: Record<string, string>) => Object.fromEntries(Object.entries(table).sort(([a], [b]) => a.localeCompare(b)));
    expect(sorted(readSchemaKeys(node))).toEqual(sorted(typeKeys));
  });

  it('share the CDD shape between persons and institutions', () => {
    const path = ['allOf', '0', 'properties', 'customer_due_diligence'];
    expect(child(resource('institutions'), ...path)).toEqual(child(resource('persons'), ...path));
  });
});
