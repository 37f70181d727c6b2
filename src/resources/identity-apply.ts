/**
 * The calls that create, adopt, update and approve a person or institution.
 * Every write carries the manifest's digest in the identity's metadata, so the
 * next refresh recognises the identity as converged without fetching it.
 */
import { isPaxosApiError, PaxosAmbiguousError, PaxosOnboardError } from '../errors.js';
import type { Address } from '../manifest/model.js';
import { splitPointer } from '../manifest/locate-node.js';
import type { PlanStep } from '../plan/plan-types.js';
import { canonicalJson } from '../plan/canonical-json.js';
import { sameValue } from './field-diff.js';
import { adoptedAsOf, identityBodyParts, metadataMarkingAdoption, metadataToWrite, type IdentityKindConfig, type IdentityResource, type Json } from './identity-fields.js';
import { describeCip } from './identity-plan.js';
import { identityRemote } from './identity-refresh.js';
import { createDecisionWatcher } from './identity-decisions.js';
import { SettleError, type Applied, type ApplyContext, type RemoteObject, type Settled } from './resource-handler.js';

const identitiesPath = '/v2/identity/identities';
const membersPath = '/v2/identity/institution-members';

export async function createIdentity(config: IdentityKindConfig, resource: IdentityResource, context: ApplyContext): Promise<Applied> {
  const { details, identity, members } = identityBodyParts(config, resource, (address) => idOf(context, address));
  const body = {
    ...identity,
    metadata: metadataToWrite(resource, context.model, undefined),
    [config.detailsKey]: details,
    ...(config.hasMembers ? { institution_members: members } : {}),
  };
  try {
    const record = await context.client.request<Json>({ method: 'POST', path: identitiesPath, body, retry: 'natural-key' });
    return { remote: identityRemote(record, 'remote-key'), outcome: 'created' };
  } catch (error) {
    const existingId = isPaxosApiError(error) && error.status === 409 ? error.existingId : undefined;
    if (existingId === undefined || !isPaxosApiError(error)) throw error;
    const existing = await getIdentity(context, existingId, false);
    // Our ref_id: an earlier attempt landed (or a concurrent run made it). Anything else is the cip tuple.
    if (existing.ref_id === resource.fields.ref_id) return { remote: identityRemote(existing, 'remote-key'), outcome: error.conflictOutcome };
    const owner = `identity ${existingId}${typeof existing.ref_id === 'string' ? ` (ref_id ${existing.ref_id})` : ''}`;
    if (context.model.options.onCipIdConflict === 'adopt') {
      context.warn(`${resource.address}: ${describeCip(resource, false)} already belongs to ${owner}: adopted it (on_cip_id_conflict: adopt)`);
      return { remote: await markAdoption(resource, existingId, existing, context), outcome: 'adopted' };
    }
    throw new PaxosOnboardError(
      'identity.cip_conflict',
      `${resource.address}: ${describeCip(resource, false)} already belongs to ${owner}; set on_cip_id_conflict: adopt to use it, or correct the cip_id`,
      { cause: error },
    );
  }
}

/**
 * Writes the digest into an identity found under its ref_id, so later
 * refreshes skip fetching it. One found by its cip tuple belongs to another
 * ref_id and is not updated from the manifest: it only gets the mark saying
 * which manifest ref_id it was adopted as, so later runs find it at once.
 */
export async function adoptIdentity(resource: IdentityResource, remote: RemoteObject, context: ApplyContext): Promise<Applied> {
  if (remote.matchedBy === 'cip') return { remote: await markAdoption(resource, remote.id, remote.record, context), outcome: 'adopted' };
  if (remote.matchedBy !== 'remote-key') return { remote, outcome: 'adopted' };
  const metadata = metadataToWrite(resource, context.model, remote.record.metadata ?? (await getIdentity(context, remote.id, false)).metadata);
  const record = await putIdentity(context, remote.id, { metadata });
  return { remote: identityRemote(record, 'remote-key'), outcome: 'adopted' };
}

async function markAdoption(resource: IdentityResource, id: string, record: Readonly<Json>, context: ApplyContext): Promise<RemoteObject> {
  if (adoptedAsOf(record) === resource.fields.ref_id) return identityRemote(record, 'cip');
  const metadata = metadataMarkingAdoption(resource, record.metadata ?? (await getIdentity(context, id, false)).metadata);
  return identityRemote(await putIdentity(context, id, { metadata }), 'cip');
}

/** PUTs the fields an `update` step changed (a delta, as the API takes it) and syncs members when they changed. */
export async function updateIdentity(config: IdentityKindConfig, resource: IdentityResource, step: PlanStep, context: ApplyContext): Promise<Applied> {
  const id = requireRemoteId(step);
  const changed = new Set((step.changes ?? []).map((change) => splitPointer(change.path)[0] ?? ''));
  const { details, identity, members } = identityBodyParts(config, resource, (address) => idOf(context, address));
  const detailsDelta: Json = {};
  for (const [key, value] of Object.entries(details)) {
    if (changed.has(key) || (config.groupedDetails && changed.has(config.groupedDetails.field) && config.groupedDetails.keys.includes(key))) detailsDelta[key] = value;
  }
  const body: Json = {};
  if (Object.keys(detailsDelta).length > 0) body[config.detailsKey] = detailsDelta;
  for (const key of ['customer_due_diligence', 'tax_details', 'is_merchant']) if (changed.has(key)) body[key] = identity[key];
  if (changed.has('tax_details_not_required')) body.set_tax_details_not_required = identity.tax_details_not_required;
  const current = resource.fields.metadata === undefined ? (await getIdentity(context, id, false)).metadata : undefined;
  body.metadata = metadataToWrite(resource, context.model, current);
  if (config.hasMembers && changed.has('members')) await syncMembers(context, id, members);
  const record = await putIdentity(context, id, body);
  return { remote: identityRemote(record, 'remote-key'), outcome: 'updated' };
}

/**
 * Asks for approval through sandbox-status (sandbox only; the plan never
 * approves in production). Its answer is empty, so the identity is returned
 * as it stands and `settleIdentity` waits for the decision with the others.
 */
export async function approveIdentity(config: IdentityKindConfig, remote: RemoteObject, context: ApplyContext): Promise<RemoteObject> {
  if (remote.status === 'APPROVED') return remote;
  await context.client.request({ method: 'PUT', path: `${identitiesPath}/${encodeURIComponent(remote.id)}/sandbox-status`, body: config.approvalBody, retry: 'safe' });
  return remote;
}

/**
 * Waits for Paxos's decision on a PENDING identity (one watcher per run reads
 * the events feed for all of them), up to the manifest's `approval_timeout`.
 * APPROVED, DISABLED and ERROR settle it (the plan warns about the latter
 * two); DENIED fails its branch with the sub-statuses Paxos gave.
 */
export async function settleIdentity(resource: IdentityResource, remote: RemoteObject, context: ApplyContext): Promise<Settled> {
  let record: Json = remote.record;
  if (remote.status === 'PENDING') {
    context.phase('waiting-for-approval');
    const watcher = context.shared('identity-decisions', () => createDecisionWatcher(context.client, { pollIntervalMs: context.pollIntervalMs, since: context.startedAt }));
    try {
      record = await watcher.waitFor(remote.id, context.model.options.approvalTimeoutMs);
    } catch (error) {
      if (error instanceof PaxosOnboardError && error.code === 'approval.timeout') {
        throw new PaxosOnboardError('approval.timeout', `${resource.address}: identity ${remote.id} is still PENDING after approval_timeout (${context.model.options.approvalTimeout}); raise approval_timeout, or run apply again later to go on waiting`, { cause: error });
      }
      throw error;
    }
  }
  const settled = identityRemote({ ...remote.record, ...record }, remote.matchedBy);
  if (settled.status === 'DENIED') {
    const full = await getIdentity(context, remote.id, true).catch(() => record);
    throw new SettleError('identity.denied', `${resource.address}: Paxos DENIED identity ${remote.id}${subStatuses(full)}; it cannot trade. Contact Paxos, or onboard the customer again under a new ref_id`, settled);
  }
  return { remote: settled };
}

/** ` (id_verification_status DENIED, sanctions_verification_status APPROVED)`, from wherever the record keeps them. */
function subStatuses(record: Json): string {
  const fields = ['id_verification_status', 'sanctions_verification_status', 'document_verification_status', 'additional_screening_status'];
  const details = { ...record, ...((record.person_details ?? record.institution_details ?? {}) as Json) };
  const found = fields.filter((field) => typeof details[field] === 'string').map((field) => `${field} ${String(details[field])}`);
  return found.length > 0 ? ` (${found.join(', ')})` : '';
}

/** Only APPROVED identities buy (PAXOS-API-NOTES.md "Statuses"). */
export function identityTradeBlocker(status: string | undefined, id: string | undefined): string | undefined {
  if (status === undefined || status === 'APPROVED') return undefined;
  return `${id === undefined ? 'the identity to be created' : `identity ${id}`} ${id === undefined ? 'will be' : 'is'} ${status}, and only APPROVED identities trade`;
}

/**
 * Institution members are not part of the identity PUT: removes the members
 * the manifest no longer lists (or lists differently), then adds the missing
 * ones, so a member whose roles changed is replaced rather than duplicated.
 * A member matches on identity and roles, and on ownership and position when
 * the manifest writes them.
 *
 * Adding members has no key, so a repeat of an add that landed adds them
 * twice: it is never repeated blindly. When its answer is lost, the members
 * are read again and only those still missing are added, once. A delete is
 * repeated, and a repeat of one that landed answers 404: the member is gone,
 * which is what was wanted.
 */
async function syncMembers(context: ApplyContext, institutionId: string, desired: readonly Json[]): Promise<void> {
  const { stale, missing } = compareMembers(desired, await readMembers(context, institutionId));
  for (const member of stale) await deleteMember(context, String(member.id));
  if (missing.length === 0) return;
  try {
    await addMembers(context, institutionId, missing);
  } catch (error) {
    if (!(error instanceof PaxosAmbiguousError)) throw error;
    const { missing: stillMissing } = compareMembers(desired, await readMembers(context, institutionId));
    if (stillMissing.length > 0) await addMembers(context, institutionId, stillMissing);
  }
}

/** The remote members the manifest does not list (`stale`), and the manifest's members the remote lacks (`missing`), matched as multisets. */
function compareMembers(desired: readonly Json[], remote: readonly Json[]): { stale: Json[]; missing: Json[] } {
  const stale = [...remote];
  const missing: Json[] = [];
  for (const member of desired) {
    const at = stale.findIndex((candidate) => sameMember(member, candidate));
    if (at >= 0) stale.splice(at, 1);
    else missing.push(member);
  }
  return { stale, missing };
}

async function readMembers(context: ApplyContext, institutionId: string): Promise<Json[]> {
  const record = await getIdentity(context, institutionId, true);
  return Array.isArray(record.institution_members) ? [...(record.institution_members as Json[])] : [];
}

function addMembers(context: ApplyContext, institutionId: string, members: readonly Json[]): Promise<unknown> {
  return context.client.request({ method: 'POST', path: membersPath, body: { institution_id: institutionId, members }, retry: 'never' });
}

async function deleteMember(context: ApplyContext, memberId: string): Promise<void> {
  try {
    await context.client.request({ method: 'DELETE', path: `${membersPath}/${encodeURIComponent(memberId)}`, retry: 'safe' });
  } catch (error) {
    // Gone already: an earlier attempt of this delete landed (or someone else removed it).
    if (isPaxosApiError(error) && error.status === 404) return;
    throw error;
  }
}

function sameMember(wanted: Json, remote: Json): boolean {
  const roles = (member: Json) => canonicalJson(Array.isArray(member.roles) ? [...(member.roles as string[])].sort() : []);
  return (
    wanted.identity_id === remote.identity_id &&
    roles(wanted) === roles(remote) &&
    (wanted.ownership === undefined || sameValue(wanted.ownership, remote.ownership)) &&
    (wanted.position === undefined || wanted.position === remote.position)
  );
}

function getIdentity(context: ApplyContext, id: string, full: boolean): Promise<Json> {
  return context.client.request<Json>({
    method: 'GET',
    path: `${identitiesPath}/${encodeURIComponent(id)}`,
    ...(full ? { query: { include_details: true, include_institution_members: true } } : {}),
  });
}

function putIdentity(context: ApplyContext, id: string, body: Json): Promise<Json> {
  return context.client.request<Json>({ method: 'PUT', path: `${identitiesPath}/${encodeURIComponent(id)}`, body, retry: 'safe' });
}

/** The identity id of an address applied before this one (dependencies always are). */
export function idOf(context: ApplyContext, address: Address): string {
  const remote = context.remoteOf(address);
  return remote.ids.identity_id ?? remote.id;
}

export function requireRemoteId(step: PlanStep): string {
  if (step.remoteId === undefined) throw new PaxosOnboardError('plan.step_without_remote', `${step.address}: an ${step.action} step needs the remote id the plan found`);
  return step.remoteId;
}
