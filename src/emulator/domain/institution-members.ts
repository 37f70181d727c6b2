/**
 * Institution members: stored one record per membership (its `id` is what
 * `DELETE /identity/institution-members/{id}` takes), shown inside the
 * institution with the member's name and summary status.
 */
import { problems, type RouteContext } from '../framework.js';
import { nextSeq, type EmulatorState } from '../state.js';
import type { InstitutionType } from '../../domain/paxos-enums.generated.js';
import { checkInstitutionMembers, type MemberInput } from './identity-rules.js';
import type { InstitutionMemberRecord, JsonObject } from './records.js';
import { throwIfViolated, type Violation } from './violations.js';

interface MemberFields extends MemberInput {
  ownership?: unknown;
  position?: unknown;
}

/** Stores already-validated members of `institutionId`; returns the new records. */
export function addInstitutionMemberRecords(context: RouteContext, institutionId: string, members: readonly MemberFields[]): InstitutionMemberRecord[] {
  return members.map((member) => {
    const record: InstitutionMemberRecord = {
      seq: nextSeq(context.state),
      id: context.newId(),
      institution_id: institutionId,
      identity_id: String(member.identity_id),
      roles: [...(member.roles as string[])],
      ...(typeof member.ownership === 'string' ? { ownership: member.ownership } : {}),
      ...(typeof member.position === 'string' ? { position: member.position } : {}),
    };
    context.state.institutionMembers[record.id] = record;
    return record;
  });
}

/** `POST /identity/institution-members`: adds members beside the existing ones. */
export function addInstitutionMembers(context: RouteContext, institutionId: string, members: readonly MemberFields[]): InstitutionMemberRecord[] {
  const institution = context.state.identities[institutionId];
  if (!institution) throw problems.notFound(`identity not found: ${institutionId}`);
  if (institution.type !== 'INSTITUTION') throw problems.invalidField('institution_id', `identity ${institutionId} is a ${institution.type}, not an INSTITUTION`);
  const violations: Violation[] = [];
  const type = institution.institution_details?.institution_type as InstitutionType | undefined;
  checkInstitutionMembers(type, members, 'members', (id) => id in context.state.identities, violations, { requireRoleSets: false, selfId: institutionId });
  throwIfViolated(violations);
  return addInstitutionMemberRecords(context, institutionId, members);
}

/** `DELETE /identity/institution-members/{id}`. */
export function deleteInstitutionMember(state: EmulatorState, memberId: string): void {
  if (!state.institutionMembers[memberId]) throw problems.notFound(`institution member not found: ${memberId}`);
  delete state.institutionMembers[memberId];
}

/** The API's InstitutionMember. */
export function renderInstitutionMember(state: EmulatorState, member: InstitutionMemberRecord): JsonObject {
  const identity = state.identities[member.identity_id];
  const name = identity ? nameOf(identity.type, identity.person_details, identity.institution_details) : undefined;
  return {
    id: member.id,
    identity_id: member.identity_id,
    roles: member.roles,
    ...(member.ownership !== undefined ? { ownership: member.ownership } : {}),
    ...(member.position !== undefined ? { position: member.position } : {}),
    ...(name ? { name } : {}),
    ...(identity ? { summary_status: identity.summary_status } : {}),
  };
}

export function renderInstitutionMembers(state: EmulatorState, institutionId: string): JsonObject[] {
  return Object.values(state.institutionMembers)
    .filter((member) => member.institution_id === institutionId)
    .sort((a, b) => a.seq - b.seq)
    .map((member) => renderInstitutionMember(state, member));
}

function nameOf(type: string, person: JsonObject | undefined, institution: JsonObject | undefined): string | undefined {
  if (type === 'INSTITUTION') return typeof institution?.name === 'string' ? institution.name : undefined;
  const name = [person?.first_name, person?.last_name].filter((part) => typeof part === 'string' && part !== '').join(' ');
  return name || undefined;
}
