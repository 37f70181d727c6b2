/**
 * The schema against the Paxos spec itself (spec/, committed with the
 * repository): enums equal the spec's, field names are the API's, and fields
 * keep the spec's enum, character set and length limit, except where the
 * manifest deliberately says more (listed below, each with why).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildManifestSchema } from './build-manifest-schema.js';
import { specEnumNames } from './enum-definitions.js';
import type { SchemaNode } from './schema-helpers.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const specPath = join(root, 'spec', 'paxos-v2-openapi.yaml');

interface SpecSchema {
  enum?: string[];
  properties?: Record<string, SpecSchema & { $ref?: string; maxLength?: number; pattern?: string }>;
}

const schema = buildManifestSchema();
const shapeOf = (collection: string): SchemaNode =>
  ((schema.properties as Record<string, SchemaNode>)[collection]?.additionalProperties as { else: { allOf: SchemaNode[] } }).else.allOf[0] ?? {};
const propertiesOf = (node: SchemaNode): Record<string, SchemaNode> => (node.properties ?? {}) as Record<string, SchemaNode>;
const defs = schema.$defs as Record<string, SchemaNode>;

/** Our fields that are not in the spec schema they mirror: addresses, grouping, and the tool's own switches. */
const ownFields = new Set(['identity', 'profile', 'account', 'members', 'verification', 'await_fill', 'name', 'type']);

/** Manifest object → the spec schema(s) whose field names it uses. */
const mirrors: [string, Record<string, SchemaNode>, string[]][] = [
  ['persons', propertiesOf(shapeOf('persons')), ['PersonDetails', 'CreateIdentityRequest']],
  ['persons.verification', propertiesOf(propertiesOf(shapeOf('persons')).verification ?? {}), ['PersonDetails']],
  ['persons.customer_due_diligence', propertiesOf(propertiesOf(shapeOf('persons')).customer_due_diligence ?? {}), ['CustomerDueDiligence']],
  ['institutions', propertiesOf(shapeOf('institutions')), ['InstitutionDetails', 'CreateIdentityRequest']],
  ['institutions.members', propertiesOf((propertiesOf(shapeOf('institutions')).members?.items ?? {}) as SchemaNode), ['InstitutionMember']],
  ['MailingAddress', propertiesOf(defs.MailingAddress ?? {}), ['IdentityMailingAddress']],
  ['TaxDetail', propertiesOf(defs.TaxDetail ?? {}), ['TaxDetail']],
  ['accounts', propertiesOf(shapeOf('accounts')), ['Account']],
  ['accounts.members', propertiesOf((propertiesOf(shapeOf('accounts')).members?.items ?? {}) as SchemaNode), ['AccountMember']],
  ['profiles', propertiesOf(shapeOf('profiles')), ['CreateProfileRequest']],
  ['deposits', propertiesOf(shapeOf('deposits')), ['FundingSandboxCreateSandboxDepositBody']],
  ['orders', propertiesOf(shapeOf('orders')), ['ExchangePublicCreateOrderBody']],
];

/**
 * Fields whose shape departs from the spec on purpose: `object.field` → why.
 * Everything else must keep the spec's enum, pattern and maxLength.
 */
const departures: Record<string, string> = {
  'persons.date_of_birth': 'format: date checks a real calendar date, stricter than the spec pattern',
  'persons.verification.passthrough_verification_status': 'Paxos accepts only APPROVED or DENIED here (the spec reuses IdentityStatus)',
  'institutions.institution_sub_type': 'also lists the prohibited sub-types the spec omits (RANSOMWARE), for the prohibited rule to refuse',
  'institutions.govt_registration_date': 'a plain date is accepted as well as the spec date-time',
  'institutions.members.ownership': 'a decimal string, checked as such',
  'accounts.type': 'the institution guide sends CRYPTO_BROKERAGE, absent from the spec enum',
  'deposits.amount': 'decimal strings without leading zeros, and > 0',
  'deposits.asset': 'restricted to the assets of the spec markets',
  'orders.base_amount': 'decimal strings without leading zeros, and > 0',
  'orders.quote_amount': 'decimal strings without leading zeros, and > 0',
  'orders.price': 'a decimal string > 0 (the spec says only string)',
  'orders.stop_price': 'a decimal string > 0 (the spec says only string)',
};

describe('the manifest schema against the Paxos spec', () => {
  const specText = readFileSync(specPath, 'utf8');
  const spec = parse(specText, { maxAliasCount: -1 }) as { components: { schemas: Record<string, SpecSchema> } };
  const specSchemas = spec.components.schemas;

  it('has every spec-named enum with exactly the spec values', () => {
    for (const name of specEnumNames) expect({ name, values: defs[name]?.enum }).toEqual({ name, values: specSchemas[name]?.enum });
  });

  it('was generated from this spec (src/domain/paxos-enums.generated.ts is current; run `npm run generate`)', async () => {
    const script = pathToFileURL(join(root, 'scripts', 'generate-from-spec.js')).href;
    const { renderEnumsModule } = (await import(script)) as { renderEnumsModule: (text: string) => string };
    const committed = readFileSync(join(root, 'src', 'domain', 'paxos-enums.generated.ts'), 'utf8');
    expect(committed).toBe(renderEnumsModule(specText));
  });

  it.each(mirrors)('%s uses the Paxos field names', (_name, properties, specNames) => {
    const known = new Set(specNames.flatMap((name) => Object.keys(specSchemas[name]?.properties ?? {})));
    const unknown = Object.keys(properties).filter((field) => !known.has(field) && !ownFields.has(field));
    expect(unknown).toEqual([]);
  });

  it.each(mirrors)('%s keeps the spec enum, pattern and length of each field', (name, properties, specNames) => {
    const differences: string[] = [];
    for (const [field, ours] of Object.entries(properties)) {
      if (departures[`${name}.${field}`]) continue;
      const theirs = specNames.map((specName) => specSchemas[specName]?.properties?.[field]).find((found) => found);
      if (!theirs) continue;
      const theirEnum = theirs.$ref ? theirs.$ref.replace('#/components/schemas/', '') : undefined;
      const ourEnum = typeof ours.$ref === 'string' ? ours.$ref.replace('#/$defs/', '') : undefined;
      if (theirEnum && specSchemas[theirEnum]?.enum && ourEnum !== theirEnum) differences.push(`${field}: enum ${ourEnum} ≠ ${theirEnum}`);
      if (theirs.pattern !== undefined && ours.pattern !== theirs.pattern) differences.push(`${field}: pattern ${String(ours.pattern)}`);
      if (theirs.maxLength !== undefined && ours.maxLength !== theirs.maxLength) differences.push(`${field}: maxLength ${String(ours.maxLength)}`);
    }
    expect(differences).toEqual([]);
  });
});
