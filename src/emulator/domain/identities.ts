/**
 * Identities: create (with institution members), update, find and render.
 * Uniqueness as Paxos answers it: a used `ref_id` and a used (`cip_id`,
 * `cip_id_type`, `cip_id_country`) are 409s naming the existing identity.
 */
import { problems, type RouteContext } from '../framework.js';
import { nextSeq, type EmulatorState } from '../state.js';
import { checkInstitutionDetails, checkInstitutionMembers, checkPersonDetails, type MemberInput } from './identity-rules.js';
import { refreshSummary, reopenVerification, scheduleDecision, setInitialSubStatuses, subStatusFields } from './identity-status.js';
import { addInstitutionMemberRecords, renderInstitutionMembers } from './institution-members.js';
import type { IdentityRecord, JsonObject } from './records.js';
import { asObject, throwIfViolated, type Violation } from './violations.js';
import type { InstitutionType } from '../../domain/paxos-enums.generated.js';

const statusFields = new Set<string>([...subStatusFields.PERSON, ...subStatusFields.INSTITUTION]);

/** Details as the client sent them, without the statuses only Paxos sets. */
function clientDetails(details: JsonObject | undefined): JsonObject | undefined {
  if (!details) return undefined;
  return Object.fromEntries(Object.entries(details).filter(([key]) => !statusFields.has(key)));
}

function cipKeyOf(details: JsonObject | undefined): string | undefined {
  if (!details || typeof details.cip_id !== 'string' || details.cip_id === '') return undefined;
  return `${String(details.cip_id_type ?? '')}|${String(details.cip_id_country ?? '')}|${details.cip_id}`;
}

function identityDetails(identity: IdentityRecord): JsonObject | undefined {
  return identity.type === 'PERSON' ? identity.person_details : identity.institution_details;
}

export function findIdentity(state: EmulatorState, id: string): IdentityRecord {
  const identity = state.identities[id];
  if (!identity) throw problems.notFound(`identity not found: ${id}`);
  return identity;
}

function assertRefIdFree(state: EmulatorState, refId: string | undefined, selfId?: string): void {
  if (refId === undefined || refId === '') return;
  const existing = state.identityIdByRefId[refId];
  if (existing !== undefined && existing !== selfId) throw problems.alreadyExists('duplicate ref_id provided', existing);
}

function assertCipFree(state: EmulatorState, key: string | undefined, selfId?: string): void {
  if (key === undefined) return;
  const existing = state.identityIdByCip[key];
  if (existing !== undefined && existing !== selfId) throw problems.alreadyExists('duplicate (cip_id, cip_id_type, cip_id_country) provided', existing);
}

function checkDetails(type: IdentityRecord['type'], details: JsonObject, dueDiligence: JsonObject | undefined, into: Violation[]): void {
  if (type === 'PERSON') checkPersonDetails(details, dueDiligence, into);
  else checkInstitutionDetails(details, dueDiligence, into);
}

export interface CreateIdentityInput {
  person_details?: JsonObject;
  institution_details?: JsonObject;
  institution_members?: MemberInput[];
  customer_due_diligence?: JsonObject;
  ref_id?: string;
  metadata?: Record<string, string>;
  tax_details?: JsonObject[];
  tax_details_not_required?: boolean;
  is_merchant?: boolean;
}

/** `POST /identity/identities`: the new identity, PENDING unless the approval mode decides at once. */
export function createIdentity(context: RouteContext, input: CreateIdentityInput): IdentityRecord {
  const { state } = context;
  assertRefIdFree(state, input.ref_id);
  const violations: Violation[] = [];
  const person = asObject(input.person_details);
  const institution = asObject(input.institution_details);
  if (person && institution) violations.push({ field: 'institution_details', message: 'give person_details or institution_details, not both' });
  if (!person && !institution) violations.push({ field: 'person_details', message: 'person_details (a PERSON) or institution_details (an INSTITUTION) is required' });
  const type = institution && !person ? 'INSTITUTION' : 'PERSON';
  const details = (type === 'PERSON' ? person : institution) ?? {};
  const members = input.institution_members ?? [];
  if (person || institution) checkDetails(type, details, input.customer_due_diligence, violations);
  if (type === 'INSTITUTION') {
    checkInstitutionMembers(details.institution_type as InstitutionType | undefined, members, 'institution_members', (id) => id in state.identities, violations, { requireRoleSets: true });
  } else if (members.length > 0) {
    violations.push({ field: 'institution_members', message: 'only an INSTITUTION has institution members' });
  }
  throwIfViolated(violations);
  const cipKey = cipKeyOf(details);
  assertCipFree(state, cipKey);

  const at = context.now().toISOString();
  const identity: IdentityRecord = {
    seq: nextSeq(state),
    id: context.newId(),
    type,
    summary_status: 'PENDING',
    ...(type === 'PERSON' ? { person_details: clientDetails(details) ?? {} } : { institution_details: clientDetails(details) ?? {} }),
    ...optional(input, ['ref_id', 'customer_due_diligence', 'metadata', 'tax_details', 'tax_details_not_required', 'is_merchant']),
    user_disabled: false,
    admin_disabled: false,
    created_at: at,
    updated_at: at,
  };
  setInitialSubStatuses(identity);
  state.identities[identity.id] = identity;
  if (identity.ref_id) state.identityIdByRefId[identity.ref_id] = identity.id;
  if (cipKey) state.identityIdByCip[cipKey] = identity.id;
  if (type === 'INSTITUTION') addInstitutionMemberRecords(context, identity.id, members);
  // A passthrough DENIED decides at creation: reported like any other change.
  refreshSummary(state, identity, context);
  scheduleDecision(state, identity, context.approval, context);
  return identity;
}

function optional<T extends object, K extends keyof T>(source: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const result: Partial<Pick<T, K>> = {};
  for (const key of keys) if (source[key] !== undefined) result[key] = source[key];
  return result;
}

export interface UpdateIdentityInput {
  person_details?: JsonObject;
  institution_details?: JsonObject;
  customer_due_diligence?: JsonObject;
  ref_id?: string;
  metadata?: Record<string, string>;
  tax_details?: JsonObject[];
  set_tax_details_not_required?: boolean;
  set_user_disabled?: boolean;
  is_merchant?: boolean;
  last_kyc_refresh_date?: string;
}

/** `PUT /identity/identities/{id}`: a delta over the stored identity; the type cannot change. */
export function updateIdentity(context: RouteContext, identity: IdentityRecord, input: UpdateIdentityInput): IdentityRecord {
  const { state } = context;
  const wrongDetails = identity.type === 'PERSON' ? input.institution_details : input.person_details;
  if (wrongDetails) {
    throw problems.invalidField(identity.type === 'PERSON' ? 'institution_details' : 'person_details', `changing a ${identity.type} identity to another type is not supported`);
  }
  assertRefIdFree(state, input.ref_id, identity.id);
  const current = identityDetails(identity) ?? {};
  const given = clientDetails(identity.type === 'PERSON' ? input.person_details : input.institution_details) ?? {};
  const merged: JsonObject = { ...current, ...given };
  const changedFields = Object.keys(given).filter((field) => !sameJson(current[field], given[field]));
  const dueDiligence = input.customer_due_diligence ? { ...identity.customer_due_diligence, ...input.customer_due_diligence } : identity.customer_due_diligence;
  const violations: Violation[] = [];
  checkDetails(identity.type, merged, dueDiligence, violations);
  throwIfViolated(violations);
  const oldCip = cipKeyOf(current);
  const newCip = cipKeyOf(merged);
  assertCipFree(state, newCip, identity.id);

  if (identity.type === 'PERSON') identity.person_details = merged;
  else identity.institution_details = merged;
  if (oldCip !== newCip) {
    if (oldCip) delete state.identityIdByCip[oldCip];
    if (newCip) state.identityIdByCip[newCip] = identity.id;
  }
  if (input.ref_id !== undefined && input.ref_id !== identity.ref_id) {
    if (identity.ref_id) delete state.identityIdByRefId[identity.ref_id];
    identity.ref_id = input.ref_id;
    if (input.ref_id) state.identityIdByRefId[input.ref_id] = identity.id;
  }
  if (dueDiligence) identity.customer_due_diligence = dueDiligence;
  if (input.metadata !== undefined) identity.metadata = input.metadata;
  if (input.tax_details !== undefined) identity.tax_details = input.tax_details;
  if (input.set_tax_details_not_required !== undefined) identity.tax_details_not_required = input.set_tax_details_not_required;
  if (input.is_merchant !== undefined) identity.is_merchant = input.is_merchant;
  if (input.last_kyc_refresh_date !== undefined) identity.last_kyc_refresh_date = input.last_kyc_refresh_date;
  identity.updated_at = context.now().toISOString();
  if (input.set_user_disabled !== undefined) identity.user_disabled = input.set_user_disabled;
  refreshSummary(state, identity, context);
  if (!context.lenient.has('keep-approval-on-update')) reopenVerification(state, identity, changedFields, context.approval, context);
  return identity;
}

/** Equal as JSON values, whatever the key order (an address sent back with its fields reordered is unchanged). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const aKeys = Object.keys(a);
  const bKeys = Object.keys(b);
  if (aKeys.length !== bKeys.length) return false;
  return aKeys.every((key) => Object.hasOwn(b, key) && sameJson((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

export interface RenderOptions {
  details: boolean;
  members: boolean;
}

/**
 * The API's Identity. Details (PII, and with them the sub-statuses) only when
 * asked for, as Paxos keeps them out of reads by default (`include_details`).
 */
export function renderIdentity(state: EmulatorState, identity: IdentityRecord, options: RenderOptions): JsonObject {
  const { seq: _seq, person_details, institution_details, customer_due_diligence, ...rest } = identity;
  return {
    ...rest,
    ...(options.details && person_details ? { person_details } : {}),
    ...(options.details && institution_details ? { institution_details } : {}),
    ...(options.details && customer_due_diligence ? { customer_due_diligence } : {}),
    ...(options.members && identity.type === 'INSTITUTION' ? { institution_members: renderInstitutionMembers(state, identity.id) } : {}),
  };
}

