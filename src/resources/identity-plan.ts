/**
 * The plan step of a person or institution, from what refresh found. Pure.
 */
import { verifiedFields } from '../domain/paxos-rules.js';
import type { ApprovalMode } from '../manifest/options.js';
import { maskValue } from '../plan/mask.js';
import { diffWrittenFields } from './field-diff.js';
import { immutableReason, toFieldChanges } from './field-changes.js';
import { adoptedAsOf, digestOf, hasDetails, identityDigest, remoteIdentityFields, type IdentityKindConfig, type IdentityResource } from './identity-fields.js';
import { addressOfId } from './remote-reads.js';
import type { PlanContext, RemoteObject, StepDraft } from './resource-handler.js';

export function planIdentityStep(config: IdentityKindConfig, resource: IdentityResource, context: PlanContext): StepDraft {
  const { model, world } = context;
  const approval = model.options.approval;
  const remoteKey = `ref_id=${resource.fields.ref_id}`;
  const remote = world.byAddress.get(resource.address);
  if (!remote) {
    const owner = world.cipOwners.get(resource.address);
    if (owner) return { action: 'blocked', remoteKey, reason: cipConflictReason(resource, owner, context) };
    return { action: 'create', remoteKey, ...followUp('PENDING', approval) };
  }
  const found = { remoteKey, remoteId: remote.id, ...(remote.status !== undefined ? { remoteStatus: remote.status } : {}) };
  if (remote.record.type !== config.identityType) {
    return { ...found, action: 'blocked', reason: `${remoteKey} names a ${String(remote.record.type)} identity (${remote.id}), not a ${config.identityType}: the identity type cannot be changed; use another ref_id` };
  }
  if (remote.status === 'DENIED') {
    return { ...found, action: 'blocked', reason: `identity ${remote.id} is DENIED by Paxos: it cannot be approved or used; contact Paxos, or onboard the customer again under a new ref_id` };
  }
  const warnings = statusWarnings(remote);
  if (remote.matchedBy === 'cip') {
    const adoptionWarnings = [...warnings, cipAdoptWarning(resource, remote, context)];
    if (adoptedAsOf(remote.record) !== resource.fields.ref_id) return { ...found, action: 'adopt', ...followUp(remote.status, approval), warnings: adoptionWarnings };
    return { ...found, ...settledAction(remote.status, approval), warnings: adoptionWarnings };
  }
  const changes = hasDetails(config, remote.record)
    ? toFieldChanges(
        diffWrittenFields(resource.fields, remoteIdentityFields(config, remote.record, (id) => addressOfId(world, id) ?? id)),
        config.immutableFields,
        { resource, handler: config, showSensitive: context.showSensitive },
      )
    : [];
  const withWarnings = warnings.length > 0 ? { warnings } : {};
  const reason = immutableReason(changes, `identity ${remote.id}`);
  if (reason !== undefined) return { ...found, action: 'blocked', changes, reason, ...withWarnings };
  if (changes.length > 0) {
    // Paxos may verify an identity again when verified details change: it is PENDING after the update, and approved again as the manifest says.
    const reverified = remote.status === 'APPROVED' && changes.some((change) => verifiedFields[config.identityType][change.path.split('/')[1] ?? ''] !== undefined);
    const reverifyWarnings = reverified ? [...warnings, `updating verified details sends identity ${remote.id} back to PENDING until Paxos verifies it again${approval === 'none' ? ' (approval: none: its trades wait for that)' : ''}`] : warnings;
    return { ...found, action: 'update', changes, ...followUp(reverified ? 'PENDING' : remote.status, approval), ...(reverifyWarnings.length > 0 ? { warnings: reverifyWarnings } : {}) };
  }
  // Found and matching, but not (or no longer) carrying this manifest's digest: adopting writes it.
  if (digestOf(remote.record) !== identityDigest(resource, model)) return { ...found, action: 'adopt', ...followUp(remote.status, approval), ...withWarnings };
  return { ...found, ...settledAction(remote.status, approval), ...withWarnings };
}

/** The action for an identity already in place: only its approval may be left to do. */
function settledAction(status: string | undefined, approval: ApprovalMode): Pick<StepDraft, 'action'> {
  if (status === 'PENDING' && approval === 'sandbox') return { action: 'approve' };
  if (status === 'PENDING' && approval === 'wait') return { action: 'wait' };
  return { action: 'noop' };
}

/** What follows create/adopt/update for an identity in `status`: approval per the manifest's mode. */
function followUp(status: string | undefined, approval: ApprovalMode): Pick<StepDraft, 'then'> {
  if (status !== 'PENDING' || approval === 'none') return {};
  return { then: [approval === 'sandbox' ? 'approve' : 'wait'] };
}

function statusWarnings(remote: RemoteObject): string[] {
  if (remote.status === 'DISABLED') return [`identity ${remote.id} is DISABLED: it can only sell`];
  if (remote.status === 'ERROR') return [`identity ${remote.id} is in ERROR (frozen by Paxos): orders for it will fail`];
  return [];
}

/** `cip_id ***-**-1111 (SSN, USA)`, masked unless PII is shown. */
export function describeCip(resource: IdentityResource, showSensitive: boolean): string {
  const { cip_id: cipId, cip_id_type: type, cip_id_country: country } = resource.fields;
  return `cip_id ${showSensitive ? cipId : String(maskValue(cipId, '/cip_id'))} (${type}, ${country})`;
}

function owned(owner: RemoteObject): string {
  const refId = owner.record.ref_id;
  return `identity ${owner.id} (${typeof refId === 'string' && refId !== '' ? `ref_id ${refId}` : 'no ref_id'})`;
}

function cipConflictReason(resource: IdentityResource, owner: RemoteObject, context: PlanContext): string {
  return (
    `${describeCip(resource, context.showSensitive)} already belongs to ${owned(owner)}, which this manifest does not manage; ` +
    'with on_cip_id_conflict: fail it is not created. Set on_cip_id_conflict: adopt to use that identity, or correct the cip_id'
  );
}

function cipAdoptWarning(resource: IdentityResource, owner: RemoteObject, context: PlanContext): string {
  return `${describeCip(resource, context.showSensitive)} already belongs to ${owned(owner)}: adopted as ${resource.address} (on_cip_id_conflict: adopt); it keeps its ref_id and is not updated from this manifest`;
}
