/**
 * The institution resource: Paxos InstitutionDetails flattened, its members,
 * and the institution rules of PAXOS-API-NOTES.md as schema, each built from
 * the tables in src/domain/paxos-rules.ts.
 */
import {
  InstitutionSubType,
  type InstitutionRoleType,
  type InstitutionType,
  type RegulationStatus,
  type TradingType,
} from '../../domain/paxos-enums.generated.js';
import {
  allowedRolesByInstitutionType,
  companyInstitutionTypes,
  prohibitedInstitutionSubTypes,
  regulationTradingRequirements,
  requiredCompanyDetails,
  requiredCompanyDueDiligence,
  requiredInstitutionDetails,
  requiredRoleSetsByInstitutionType,
  trustCipIdTypesWithoutIncorporationAddress,
  trustSubType,
} from '../../domain/paxos-rules.js';
import { buildIdentityCommonProperties, buildIdentityCommonRules } from './identity-schemas.js';
import {
  buildAddressPattern,
  countryCodePattern,
  describeObject,
  describeResource,
  describePaxosText,
  describeText,
  groupByValue,
  markRule,
  referTo,
  requireFields,
  requireWhen,
  whereFieldIn,
  whereFieldIs,
  type SchemaNode,
} from './schema-helpers.js';

const identityAddressPattern = buildAddressPattern(['person', 'institution']);

function buildMemberSchema(): SchemaNode {
  return describeObject(
    'A member of the institution: an identity of this manifest and the roles it holds.',
    {
      identity: describeText('Address of the member identity: person.<key> or institution.<key>.', {
        pattern: identityAddressPattern,
      }),
      roles: {
        type: 'array',
        description: 'The type of membership this identity has in the institution.',
        minItems: 1,
        uniqueItems: true,
        items: { $ref: '#/$defs/InstitutionRoleType' },
      },
      ownership: {
        $ref: '#/$defs/decimalString',
        description: 'Decimal number representing the percent ownership the identity has in the company, e.g. "5" represents 5% ownership.',
      },
      position: describeText('The position the identity holds with the company.'),
    },
    { required: ['identity', 'roles'] },
  );
}

function buildInstitutionProperties(): Record<string, SchemaNode> {
  return {
    name: describePaxosText('Legal name. Allowed in create and update.'),
    doing_business_as: describeText('Trade name. Allowed in create and update.'),
    business_address: referTo('MailingAddress', 'Principal business address.'),
    incorporation_address: referTo('MailingAddress', 'Address of incorporation.'),
    institution_type: referTo('InstitutionType', 'Legal form: CORPORATION, LLC, PARTNERSHIP or TRUST.'),
    // The spec's sub-types plus the prohibited ones it omits (RANSOMWARE), so that the
    // prohibited rule, not a bare "not one of" error, is what refuses them.
    institution_sub_type: {
      type: 'string',
      description: 'Industry of the institution; a TRUST must be INVESTMENT.',
      enum: [...new Set<string>([...InstitutionSubType, ...prohibitedInstitutionSubTypes])],
    },
    cip_id: describePaxosText('Allowed in create and update (EIN format: xx-xxxxxxx, SSN/ITIN format: xxx-xx-xxxx).'),
    cip_id_type: referTo('InstitutionCIPIDType', 'Kind of cip_id.'),
    cip_id_country: describeText('Allowed in create and update. Must be an ISO 3166-1 alpha 3 code.', {
      pattern: countryCodePattern,
    }),
    govt_registration_date: {
      type: 'string',
      description: 'Date at which the institution is registered with govt: YYYY-MM-DD or a date-time.',
      anyOf: [{ format: 'date' }, { format: 'date-time' }],
    },
    regulation_status: referTo('RegulationStatus', 'Whether, and where, the institution is regulated.'),
    trading_type: referTo('TradingType', 'PRIVATE, PUBLIC, or PUBLICLY_TRADED_SUBSIDIARY.'),
    listed_exchange: describeText('Exchange in which the institution is listed.'),
    ticker_symbol: describeText('Ticker symbol of the institution if publicly traded or ticker symbol of the parent institution.'),
    parent_institution_name: describeText('Name of the parent institution if the institution is a subsidiary of parent institution.'),
    regulator_name: describeText('Name of the financial regulator.'),
    regulator_jurisdiction: describeText('Country or jurisdiction of financial regulator.'),
    regulator_register_number: describeText('Registrar number of regulator.'),
    business_description: describeText('Free text description of business.'),
    email: describeText('Email address. Allowed in create and update.'),
    phone_number: describeText('Phone number. Allowed in create and update.'),
    members: {
      type: 'array',
      description: 'Institution members: the identities behind the institution, with their roles.',
      items: buildMemberSchema(),
    },
    ...buildIdentityCommonProperties(),
  };
}

/** The regulation × trading table as rules: per trading type, one rule per distinct requirement. */
function buildRegulationTradingRules(): SchemaNode[] {
  const statuses = Object.keys(regulationTradingRequirements) as RegulationStatus[];
  const tradingTypes = Object.keys(regulationTradingRequirements.US_REGULATED) as TradingType[];
  const rules: SchemaNode[] = [];
  for (const trading of tradingTypes) {
    const byNeed = groupByValue(statuses.map((status) => [status, regulationTradingRequirements[status][trading]] as const));
    for (const { keys, value: need } of byNeed) {
      const status = whereFieldIn('regulation_status', keys);
      if (need === 'not_allowed') {
        rules.push(
          requireWhen('institution.regulation_trading_not_allowed', status, {
            properties: { trading_type: { not: { const: trading } } },
          }),
        );
      } else if (need.length > 0) {
        const both = {
          properties: { ...(status.properties as SchemaNode), trading_type: { const: trading } },
          required: ['regulation_status', 'trading_type'],
        };
        rules.push(requireWhen('institution.regulation_trading_fields', both, { required: [...need] }));
      }
    }
  }
  return rules;
}

/** Allowed member roles and required role sets, one rule per group of types that share them. */
function buildRoleRules(): SchemaNode[] {
  const types = Object.keys(allowedRolesByInstitutionType) as InstitutionType[];
  const allowed = groupByValue(types.map((type) => [type, allowedRolesByInstitutionType[type]] as const));
  const required = groupByValue(types.map((type) => [type, requiredRoleSetsByInstitutionType[type]] as const));
  return [
    ...allowed.map(({ keys, value: roles }) =>
      requireWhen('institution.role_not_allowed', whereFieldIn('institution_type', keys), {
        properties: {
          members: {
            type: 'array',
            items: { type: 'object', properties: { roles: { type: 'array', items: { enum: [...roles] } } } },
          },
        },
      }),
    ),
    ...required.map(({ keys, value: sets }) =>
      requireWhen('institution.required_roles', whereFieldIn('institution_type', keys), {
        properties: {
          members: {
            type: 'array',
            // Implied by the `contains` below, but ajv 8.20 lets `contains` pass an empty
            // list when the same check passed on the resource validated before it.
            minItems: 1,
            allOf: sets.map((set) => ({ contains: describeMemberHolding(set) })),
          },
        },
      }),
    ),
  ];
}

function describeMemberHolding(roles: readonly InstitutionRoleType[]): SchemaNode {
  return { type: 'object', required: ['roles'], properties: { roles: { type: 'array', contains: { enum: [...roles] } } } };
}

/** `$defs.institution`. */
export function buildInstitutionSchema(): SchemaNode {
  return describeResource(
    'An institution identity (Paxos InstitutionDetails at the top level, plus its members and the identity fields).',
    buildInstitutionProperties(),
    {
      required: ['members'],
      rules: [
        markRule('institution.required_details', { required: [...requiredInstitutionDetails] }),
        markRule('institution.prohibited_sub_type', {
          properties: { institution_sub_type: { not: { enum: [...prohibitedInstitutionSubTypes] } } },
        }),
        requireWhen('institution.company_details_required', whereFieldIn('institution_type', companyInstitutionTypes), {
          required: [...requiredCompanyDetails],
        }),
        requireWhen('institution.company_cdd_required', whereFieldIn('institution_type', companyInstitutionTypes), {
          required: ['customer_due_diligence'],
          properties: { customer_due_diligence: requireFields(requiredCompanyDueDiligence) },
        }),
        requireWhen('institution.trust_sub_type', whereFieldIs('institution_type', 'TRUST'), {
          properties: { institution_sub_type: { const: trustSubType } },
        }),
        requireWhen(
          'institution.trust_incorporation_address',
          {
            properties: {
              institution_type: { const: 'TRUST' },
              cip_id_type: { not: { enum: [...trustCipIdTypesWithoutIncorporationAddress] } },
            },
            required: ['institution_type'],
          },
          { required: ['incorporation_address'] },
        ),
        ...buildRegulationTradingRules(),
        ...buildRoleRules(),
        ...buildIdentityCommonRules(),
      ],
    },
  );
}
