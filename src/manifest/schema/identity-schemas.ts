/**
 * The parts of the schema shared by persons and institutions (address, tax
 * details, due diligence) and the person resource with its Paxos rules.
 * Descriptions follow the Paxos spec's own wording where it has some.
 */
import {
  requiredAddressFields,
  requiredPersonDetails,
  requiredPersonDueDiligence,
  usResidentPersonCipIdTypes,
} from '../../domain/paxos-rules.js';
import {
  countryCodePattern,
  describeBoolean,
  describeEnumList,
  describeMetadata,
  describeObject,
  describeResource,
  describePaxosText,
  describeText,
  markRule,
  referTo,
  requireFields,
  requireWhen,
  whereFieldIs,
  type SchemaNode,
} from './schema-helpers.js';

/**
 * `$defs` entries for the shapes identities share. Only shapes without `$ref`s
 * of their own live here, so ajv inlines them and reports errors at paths from
 * the schema root.
 */
export function buildIdentityPartDefinitions(): Record<string, SchemaNode> {
  const addressLine = (description: string) => describePaxosText(description, 35);
  return {
    MailingAddress: describeObject(
      'A mailing address.',
      {
        address1: addressLine('First address line.'),
        address2: addressLine('Second address line.'),
        city: addressLine('City.'),
        province: addressLine('Province or state (e.g. NY).'),
        country: addressLine('Country (e.g. USA).'),
        zip_code: addressLine('Postal code; quote it ("10001") so YAML keeps leading zeros.'),
      },
      { required: [...requiredAddressFields] },
    ),
    TaxDetail: describeObject(
      'Tax details of the identity.',
      {
        tax_payer_id: describePaxosText(
          'For U.S. citizens it is the SSN, TIN or EIN. For Brazil citizens, it is the CPF. Allowed in create and update.',
          35,
        ),
        tax_payer_country: describeText('Allowed in create and update. Must be an ISO 3166-1 alpha 3 code.', {
          pattern: countryCodePattern,
        }),
      },
      { required: ['tax_payer_id', 'tax_payer_country'] },
    ),
  };
}

/** Paxos CustomerDueDiligence (the writable part); inlined where used, as it refers to enums. */
function buildCustomerDueDiligenceSchema(): SchemaNode {
  return describeObject('Customer due diligence answers about the identity.', {
      aliases: {
        type: 'array',
        description: 'A list of alternate names or aliases associated with the Identity.',
        items: { type: 'string' },
      },
      estimated_net_worth: referTo('CustomerDueDiligenceNetWorthRange', 'Estimated net worth range.'),
      estimated_yearly_income: referTo('CustomerDueDiligenceYearlyIncomeRange', 'Estimated yearly income range.'),
      expected_transfer_value: referTo('CustomerDueDiligenceTransferValueRange', 'Expected transfer value range.'),
      source_of_wealth: referTo('WealthSource', 'Where the wealth of the identity comes from.'),
      source_of_funds: referTo('FundsSource', 'Where the funds to be transferred come from.'),
      purpose_of_account: referTo('AccountPurpose', 'Purpose of the account.'),
      employment_status: referTo('EmploymentStatus', 'Employment status of the person.'),
      employment_industry_sector: referTo('InstitutionSubType', 'Industry sector the person works in.'),
      industry_sector: referTo('InstitutionSubType', 'Industry sector of the institution.'),
      has_underlying_trust_structure: describeBoolean(
        'Whether or not the institution tied to the Identity has an underlying trust structure.',
      ),
      has_nominee_shareholders: describeBoolean('Whether or not the institution tied to the Identity has nominee shareholders.'),
      is_publicly_traded: describeBoolean(
        '`true` or `false` indicating whether or not the company is listed on a public stock exchange.',
      ),
      merchant_funding_source: referTo('MerchantFundingSourceFundingSource', 'Funding source of a merchant.'),
      customer_regions: describeEnumList('CustomerRegion', 'Regions where the customer base is located.'),
  });
}

/** Properties every identity resource has besides its details. */
export function buildIdentityCommonProperties(): Record<string, SchemaNode> {
  return {
    ref_id: describeText(
      'A user-facing ID to prevent duplicate identity creation. Unique for all identities created by the same API user. Default: <ref_id_prefix><kind>-<key>.',
      { minLength: 1 },
    ),
    metadata: describeMetadata('API User-facing metadata.'),
    customer_due_diligence: buildCustomerDueDiligenceSchema(),
    tax_details: {
      type: 'array',
      description:
        'List of tax details associated with the identity. Must be set if tax_details_not_required is false or not set.',
      items: { $ref: '#/$defs/TaxDetail' },
    },
    tax_details_not_required: describeBoolean('Set to true if tax details are not legally required.'),
    is_merchant: describeBoolean('Set to true to indicate that this identity is a merchant.'),
  };
}

/** Rules every identity follows. */
export function buildIdentityCommonRules(): SchemaNode[] {
  return [
    requireWhen(
      'identity.tax_details_required',
      { not: whereFieldIs('tax_details_not_required', true) },
      { required: ['tax_details'] },
    ),
  ];
}

function buildVerificationSchema(): SchemaNode {
  return describeObject('How the person was verified (the verification fields of Paxos PersonDetails).', {
    verifier_type: referTo('identityprotoVerifierType', 'Who verifies the person; PASSTHROUGH when you verified them yourself.'),
    verifier_id: describeText('Allowed in create and update. The id used by the external verifier.'),
    passthrough_verifier_type: referTo('PassthroughVerifierType', 'The external verifier that verified the person (e.g. JUMIO).'),
    passthrough_verified_at: describeText(
      'When PASSTHROUGH verifier is used, this specifies the time that ID verification was completed.',
      { format: 'date-time' },
    ),
    passthrough_verification_id: describeText("Unique identifier for the underlying person's ID verification record."),
    passthrough_verification_status: referTo('PassthroughVerificationStatus', 'Result of the passthrough verification.'),
    passthrough_verification_fields: describeEnumList(
      'PassthroughVerificationField',
      "List of verification fields used by the external verifier to validate the person's identity.",
    ),
  });
}

/** `$defs.person`: Paxos PersonDetails flattened, with the person rules. */
export function buildPersonSchema(): SchemaNode {
  const name = (description: string) => describePaxosText(`${description} Allowed in create and update.`);
  return describeResource(
    'A person identity (Paxos PersonDetails at the top level, plus the identity fields).',
    {
      first_name: name('First name.'),
      middle_name: describeText('Middle name. Allowed in create and update.', { maxLength: 200 }),
      last_name: name('Last name.'),
      date_of_birth: describeText('Date of birth, YYYY-MM-DD. Allowed in create and update.', { format: 'date' }),
      nationality: describeText('Allowed in create and update. Must be an ISO 3166-1 alpha 3 code.', {
        pattern: countryCodePattern,
      }),
      cip_id: describePaxosText(
        'SSN or TIN, unique for each Identity object (SSN format: xxx-xx-xxxx, ITIN format: xxx-xx-xxxx). Use ${env:NAME} to keep it out of git.',
      ),
      cip_id_type: referTo('PersonDetailsCIPIDType', 'Kind of cip_id. US residents use SSN or ITIN.'),
      cip_id_country: describeText('Allowed in create and update. Must be an ISO 3166-1 alpha 3 code.', {
        pattern: countryCodePattern,
      }),
      address: referTo('MailingAddress', 'Residential address of the person.'),
      email: describeText('Email address. Allowed in create and update.'),
      phone_number: describeText('Phone number. Allowed in create and update.'),
      country_of_birth: describeText('Country of birth. Allowed in create and update.'),
      profession: describeText('Profession. Allowed in create and update.'),
      govt_id: describePaxosText('DEPRECATED: use cip_id instead.'),
      govt_id_type: referTo('PersonDetailsCIPIDType', 'DEPRECATED: use cip_id_type instead.'),
      verification: buildVerificationSchema(),
      ...buildIdentityCommonProperties(),
    },
    {
      rules: [
        markRule('person.required_details', { required: [...requiredPersonDetails] }),
        markRule('person.cdd_required', {
          required: ['customer_due_diligence'],
          properties: { customer_due_diligence: requireFields(requiredPersonDueDiligence) },
        }),
        requireWhen(
          'person.passthrough_details',
          { properties: { verification: { type: 'object', ...whereFieldIs('verifier_type', 'PASSTHROUGH') } }, required: ['verification'] },
          {
            properties: {
              verification: requireFields([
                'passthrough_verifier_type',
                'passthrough_verified_at',
                'passthrough_verification_status',
              ]),
            },
          },
        ),
        requireWhen(
          'person.us_resident_cip_id_type',
          { properties: { address: { type: 'object', ...whereFieldIs('country', 'USA') } }, required: ['address'] },
          { properties: { cip_id_type: { enum: [...usResidentPersonCipIdTypes] } } },
        ),
        ...buildIdentityCommonRules(),
      ],
    },
  );
}
