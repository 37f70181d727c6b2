/**
 * Identity routes: `/v2/identity/identities` (create, list, get, update,
 * sandbox-status) and `/v2/identity/institution-members`. Thin: parse, call
 * the domain, render.
 */
import type { Route, RouteContext, Ticker } from '../framework.js';
import { IdentityStatus, IdentityType } from '../../domain/paxos-enums.generated.js';
import { createIdentity, findIdentity, renderIdentity, updateIdentity, type CreateIdentityInput, type UpdateIdentityInput } from '../domain/identities.js';
import { applySandboxStatus, identityDecisionTicker, type SandboxStatusInput } from '../domain/identity-status.js';
import { addInstitutionMembers, deleteInstitutionMember, renderInstitutionMember } from '../domain/institution-members.js';
import { paginate, readBoolean, readEnum, readTimeRange } from '../domain/list-query.js';
import type { JsonObject } from '../domain/records.js';

const full = { details: true, members: true };

function listIdentities({ state, query }: RouteContext) {
  const status = readEnum(query, 'summary_status', IdentityStatus);
  const type = readEnum(query, 'identity_type', IdentityType);
  const created = readTimeRange(query, 'created_at');
  const updated = readTimeRange(query, 'updated_at');
  const page = paginate(
    Object.values(state.identities),
    query,
    (identity) => (!status || identity.summary_status === status) && (!type || identity.type === type) && created(identity.created_at) && updated(identity.updated_at),
    { defaultOrder: 'DESC' },
  );
  return { body: { ...page, items: page.items.map((identity) => renderIdentity(state, identity, { details: false, members: false })) } };
}

function getIdentity({ state, params, query }: RouteContext) {
  const identity = findIdentity(state, params.id ?? '');
  const options = { details: readBoolean(query, 'include_details'), members: readBoolean(query, 'include_institution_members') };
  return { body: renderIdentity(state, identity, options) };
}

function postIdentity(context: RouteContext) {
  const identity = createIdentity(context, context.body as CreateIdentityInput);
  return { body: renderIdentity(context.state, identity, full) };
}

function putIdentity(context: RouteContext) {
  const identity = updateIdentity(context, findIdentity(context.state, context.params.id ?? ''), context.body as UpdateIdentityInput);
  return { body: renderIdentity(context.state, identity, full) };
}

function putSandboxStatus(context: RouteContext) {
  applySandboxStatus(context.state, findIdentity(context.state, context.params.id ?? ''), context.body as SandboxStatusInput, context);
  return { body: {} };
}

function postInstitutionMembers(context: RouteContext) {
  const body = context.body as { institution_id: string; members: JsonObject[] };
  const added = addInstitutionMembers(context, body.institution_id, body.members);
  return { body: { institution_id: body.institution_id, members: added.map((member) => renderInstitutionMember(context.state, member)) } };
}

function deleteMember({ state, params }: RouteContext) {
  deleteInstitutionMember(state, params.id ?? '');
  return { body: {} };
}

export const identityRoutes: Route[] = [
  { method: 'GET', path: '/v2/identity/identities', operationId: 'ListIdentities', handler: listIdentities },
  { method: 'POST', path: '/v2/identity/identities', operationId: 'CreateIdentity', handler: postIdentity },
  { method: 'GET', path: '/v2/identity/identities/:id', operationId: 'GetIdentity', handler: getIdentity },
  { method: 'PUT', path: '/v2/identity/identities/:id', operationId: 'UpdateIdentity', handler: putIdentity },
  { method: 'PUT', path: '/v2/identity/identities/:id/sandbox-status', operationId: 'SandboxSetIdentityStatus', handler: putSandboxStatus },
  { method: 'POST', path: '/v2/identity/institution-members', operationId: 'AddInstitutionMembers', handler: postInstitutionMembers },
  { method: 'DELETE', path: '/v2/identity/institution-members/:id', operationId: 'DeleteInstitutionMember', handler: deleteMember },
];

export const identityTickers: Ticker[] = [identityDecisionTicker];
