/**
 * A small stand-in for the manifest schema, with the same top-level shape and
 * one annotated rule, so the pipeline's own tests do not depend on every
 * detail of the published schema.
 */
const key = '^[A-Za-z0-9][A-Za-z0-9_-]*$';
const collection = (ref: string) => ({
  type: 'object',
  propertyNames: { pattern: key },
  additionalProperties: { $ref: ref },
});
const member = {
  type: 'object',
  properties: { identity: { type: 'string' }, roles: { type: 'array', items: { enum: ['BENEFICIAL_OWNER', 'AUTHORIZED_USER', 'MANAGEMENT_CONTROL_PERSON'] }, minItems: 1 } },
  required: ['identity', 'roles'],
  additionalProperties: false,
};
const decimal = { type: 'string', pattern: '^[0-9]+(\\.[0-9]+)?$' };

export const tinyManifestSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://example.test/tiny-manifest.schema.json',
  type: 'object',
  required: ['version', 'environment'],
  additionalProperties: false,
  properties: {
    version: { const: 1 },
    environment: { enum: ['local', 'sandbox', 'production'] },
    options: {
      type: 'object',
      additionalProperties: false,
      properties: { ref_id_prefix: { type: 'string' }, on_cip_id_conflict: { enum: ['fail', 'adopt'] } },
    },
    persons: collection('#/$defs/person'),
    institutions: collection('#/$defs/institution'),
    accounts: collection('#/$defs/account'),
    profiles: collection('#/$defs/profile'),
    deposits: collection('#/$defs/deposit'),
    orders: collection('#/$defs/order'),
  },
  $defs: {
    person: {
      type: 'object',
      additionalProperties: false,
      required: ['first_name', 'last_name'],
      properties: {
        first_name: { type: 'string' },
        last_name: { type: 'string' },
        date_of_birth: { type: 'string', format: 'date' },
        cip_id: { type: 'string' },
        cip_id_type: { enum: ['SSN', 'ITIN', 'PASSPORT'] },
        cip_id_country: { type: 'string' },
        ref_id: { type: 'string' },
        email: { anyOf: [{ type: 'string', format: 'email' }, { type: 'null' }] },
      },
    },
    institution: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'institution_type'],
      properties: {
        name: { type: 'string' },
        institution_type: { enum: ['TRUST', 'CORPORATION'] },
        regulation_status: { type: 'string' },
        regulator_name: { type: 'string' },
        cip_id: { type: 'string' },
        cip_id_type: { type: 'string' },
        cip_id_country: { type: 'string' },
        ref_id: { type: 'string' },
        members: { type: 'array', items: member },
      },
      allOf: [
        {
          'x-paxos-rule': 'institution.regulator',
          if: { properties: { regulation_status: { const: 'US_REGULATED' } }, required: ['regulation_status'] },
          then: { required: ['regulator_name', 'regulator_jurisdiction'] },
        },
      ],
    },
    account: {
      type: 'object',
      additionalProperties: false,
      required: ['identity'],
      properties: { identity: { type: 'string' }, profile: { type: 'boolean' }, ref_id: { type: 'string' }, members: { type: 'array', items: member } },
    },
    profile: { type: 'object', additionalProperties: false, properties: { nickname: { type: 'string' }, description: { type: 'string' } } },
    deposit: {
      type: 'object',
      additionalProperties: false,
      required: ['profile', 'asset', 'amount'],
      properties: { profile: { type: 'string' }, asset: { type: 'string' }, amount: decimal },
    },
    order: {
      type: 'object',
      additionalProperties: false,
      required: ['profile'],
      properties: { profile: { type: 'string' }, identity: { type: 'string' }, account: { type: 'string' }, ref_id: { type: 'string' }, base_amount: decimal },
    },
  },
};

export const tinyRuleCatalog = {
  'institution.regulator': {
    message: 'a US_REGULATED institution must name its regulator',
    hint: 'add regulator_name and regulator_jurisdiction',
  },
};
