/**
 * Paxos's onboarding rules for identity details, as the emulator enforces
 * them on create and update. The tables come from `src/domain/paxos-rules.ts`;
 * this file only walks a request against them and collects every violation.
 */
import {
  allowedRolesByInstitutionType,
  companyInstitutionTypes,
  passthroughVerificationStatuses,
  prohibitedInstitutionSubTypes,
  regulationTradingRequirements,
  requiredAddressFields,
  requiredCompanyDetails,
  requiredCompanyDueDiligence,
  requiredInstitutionDetails,
  requiredPersonDetails,
  requiredPersonDueDiligence,
  requiredRoleSetsByInstitutionType,
  trustCipIdTypesWithoutIncorporationAddress,
  trustSubType,
  usResidentPersonCipIdTypes,
} from '../../domain/paxos-rules.js';
import type { InstitutionRoleType, InstitutionType, RegulationStatus, TradingType } from '../../domain/paxos-enums.generated.js';
import { asObject, isPresent, type Violation } from './violations.js';

type Details = Record<string, unknown>;

function requireFields(object: Details | undefined, fields: readonly string[], prefix: string, into: Violation[]): void {
  for (const field of fields) if (!isPresent(object?.[field])) into.push({ field: `${prefix}.${field}`, message: 'is required' });
}

/** Required person details and due diligence, US-resident cip types and passthrough IDV fields. */
export function checkPersonDetails(person: Details, dueDiligence: Details | undefined, into: Violation[]): void {
  requireFields(person, requiredPersonDetails, 'person_details', into);
  const address = asObject(person.address);
  if (address) requireFields(address, requiredAddressFields, 'person_details.address', into);
  requireFields(dueDiligence, requiredPersonDueDiligence, 'customer_due_diligence', into);
  const cipType = person.cip_id_type;
  if (address?.country === 'USA' && isPresent(cipType) && !(usResidentPersonCipIdTypes as readonly unknown[]).includes(cipType)) {
    into.push({ field: 'person_details.cip_id_type', message: `US residents must use ${usResidentPersonCipIdTypes.join(' or ')}` });
  }
  if (person.verifier_type === 'PASSTHROUGH') {
    requireFields(person, ['passthrough_verifier_type', 'passthrough_verified_at', 'passthrough_verification_status'], 'person_details', into);
    const status = person.passthrough_verification_status;
    if (isPresent(status) && !(passthroughVerificationStatuses as readonly unknown[]).includes(status)) {
      into.push({ field: 'person_details.passthrough_verification_status', message: `must be ${passthroughVerificationStatuses.join(' or ')}` });
    }
  }
}

/** Required institution details by type, sub-type rules and the regulation × trading table. */
export function checkInstitutionDetails(institution: Details, dueDiligence: Details | undefined, into: Violation[]): void {
  requireFields(institution, requiredInstitutionDetails, 'institution_details', into);
  const business = asObject(institution.business_address);
  if (business) requireFields(business, requiredAddressFields, 'institution_details.business_address', into);
  const type = institution.institution_type as InstitutionType | undefined;
  const subType = institution.institution_sub_type;
  if ((prohibitedInstitutionSubTypes as readonly unknown[]).includes(subType)) {
    into.push({ field: 'institution_details.institution_sub_type', message: `${String(subType)} is a prohibited institution sub-type` });
  }
  if (type === 'TRUST') {
    if (isPresent(subType) && subType !== trustSubType) {
      into.push({ field: 'institution_details.institution_sub_type', message: `a TRUST must have institution_sub_type ${trustSubType}` });
    }
    const cipType = institution.cip_id_type;
    const exempt = (trustCipIdTypesWithoutIncorporationAddress as readonly unknown[]).includes(cipType);
    if (!exempt && !isPresent(institution.incorporation_address)) {
      into.push({ field: 'institution_details.incorporation_address', message: `is required for a TRUST unless cip_id_type is ${trustCipIdTypesWithoutIncorporationAddress.join(' or ')}` });
    }
    return;
  }
  if (!type || !(companyInstitutionTypes as readonly string[]).includes(type)) return;
  requireFields(institution, requiredCompanyDetails, 'institution_details', into);
  requireFields(dueDiligence, requiredCompanyDueDiligence, 'customer_due_diligence', into);
  const regulation = institution.regulation_status as RegulationStatus | undefined;
  const trading = institution.trading_type as TradingType | undefined;
  const requirement = regulation && trading ? regulationTradingRequirements[regulation]?.[trading] : undefined;
  if (requirement === 'not_allowed') {
    into.push({ field: 'institution_details.trading_type', message: `${trading} is not allowed with regulation_status ${regulation}` });
  } else if (requirement) {
    for (const field of requirement) {
      if (!isPresent(institution[field])) into.push({ field: `institution_details.${field}`, message: `is required when regulation_status is ${regulation} and trading_type is ${trading}` });
    }
  }
}

export interface MemberInput {
  identity_id?: unknown;
  roles?: unknown;
}

/**
 * Members of an institution: each an existing identity (not the institution
 * itself), with roles allowed for the type. `requireRoleSets` adds the "at
 * least one BENEFICIAL_OWNER ..." rule, which applies to the whole member list.
 */
export function checkInstitutionMembers(
  type: InstitutionType | undefined,
  members: readonly MemberInput[],
  field: string,
  exists: (identityId: string) => boolean,
  into: Violation[],
  options: { requireRoleSets: boolean; selfId?: string },
): void {
  const allowed: readonly string[] = type ? allowedRolesByInstitutionType[type] ?? [] : [];
  members.forEach((member, index) => {
    const at = `${field}[${index}]`;
    const identityId = member.identity_id;
    if (typeof identityId !== 'string' || identityId === '') into.push({ field: `${at}.identity_id`, message: 'is required' });
    else if (identityId === options.selfId) into.push({ field: `${at}.identity_id`, message: 'an institution cannot be its own member' });
    else if (!exists(identityId)) into.push({ field: `${at}.identity_id`, message: `identity ${identityId} does not exist; create the member identity first` });
    const roles = Array.isArray(member.roles) ? (member.roles as string[]) : [];
    if (roles.length === 0) into.push({ field: `${at}.roles`, message: 'must name at least one role' });
    if (!type) return;
    for (const role of roles) if (!allowed.includes(role)) into.push({ field: `${at}.roles`, message: `${role} is not allowed for a ${type}; allowed: ${allowed.join(', ')}` });
  });
  if (!options.requireRoleSets || !type) return;
  const held = new Set(members.flatMap((member) => (Array.isArray(member.roles) ? (member.roles as string[]) : [])));
  for (const set of requiredRoleSetsByInstitutionType[type] ?? []) {
    if (!set.some((role: InstitutionRoleType) => held.has(role))) {
      into.push({ field, message: `a ${type} needs at least one member with role ${set.join(' or ')}` });
    }
  }
}
