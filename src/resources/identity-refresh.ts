/**
 * Refresh of persons and institutions with as few calls as the API allows:
 *
 * - ONE listing of all identities (shared by both kinds), matched by ref_id.
 * - The listing has no details (Paxos keeps PII out of lists), so the tool
 *   writes a digest of the manifest's fields into each identity's metadata
 *   when it creates or updates it. An identity whose listed digest equals the
 *   manifest's is taken as converged without a GET; only identities whose
 *   digest differs (changed manifest, or an identity made outside the tool)
 *   are fetched with details to compute the real field diff.
 *   Trade-off, as in Terraform: a change made to an identity outside the tool
 *   (in the Paxos dashboard, by another script) is not seen by the default
 *   refresh. `deep: true` GETs every identity instead.
 * - cip conflicts: for identities the plan would create, remote identities of
 *   the same type that no ref_id of the manifest claims are fetched with
 *   details (at most `cipLookupCap`, newest first; beyond that the conflict
 *   surfaces at apply as a 409) and searched for the same cip tuple.
 */
import { kindSpecs } from '../manifest/kinds.js';
import { cipKey, digestOf, identityDigest, type IdentityKindConfig, type IdentityResource, type Json } from './identity-fields.js';
import { readEach, readIdentityDetails, readIdentityListing } from './remote-reads.js';
import type { RefreshContext, RemoteObject } from './resource-handler.js';

/** Most unclaimed identities fetched per kind to look for a cip tuple before creating. */
export const cipLookupCap = 200;

export async function refreshIdentities(config: IdentityKindConfig, resources: readonly IdentityResource[], context: RefreshContext): Promise<void> {
  if (resources.length === 0) return;
  const listing = await readIdentityListing(context);
  const toFetch: Array<{ resource: IdentityResource; listed: Json }> = [];
  const missing: IdentityResource[] = [];
  for (const resource of resources) {
    const listed = listing.byRefId.get(resource.fields.ref_id);
    const adopted = listed ? undefined : listing.byAdoptedAs.get(resource.fields.ref_id);
    // Adopted by its cip tuple under `adopt` in an earlier run: the mark finds it without a lookup.
    if (adopted && context.model.options.onCipIdConflict === 'adopt') context.world.byAddress.set(resource.address, identityRemote(adopted, 'cip'));
    else if (!listed) missing.push(resource);
    else if (listed.type === config.identityType && (context.deep || digestOf(listed) !== identityDigest(resource, context.model))) toFetch.push({ resource, listed });
    else context.world.byAddress.set(resource.address, identityRemote(listed, 'remote-key'));
  }
  const fetched = await readEach(toFetch, ({ listed }) => readIdentityDetails(context, String(listed.id)));
  toFetch.forEach(({ resource }, index) => context.world.byAddress.set(resource.address, identityRemote(fetched[index] ?? {}, 'remote-key')));
  if (missing.length > 0) await findCipOwners(config, missing, listing.items, context);
}

async function findCipOwners(config: IdentityKindConfig, missing: readonly IdentityResource[], listed: readonly Json[], context: RefreshContext): Promise<void> {
  const claimed = claimedRefIds(context);
  const candidates = listed
    .filter((item) => item.type === config.identityType && !(typeof item.ref_id === 'string' && claimed.has(item.ref_id)))
    .slice(0, cipLookupCap);
  if (candidates.length === 0) return;
  const details = await readEach(candidates, (item) => readIdentityDetails(context, String(item.id)));
  const owners = new Map<string, Json>();
  for (const record of details) {
    const key = cipKey(record[config.detailsKey] as Json | undefined);
    if (key !== undefined && !owners.has(key)) owners.set(key, record);
  }
  for (const resource of missing) {
    const owner = owners.get(cipKey(resource.fields as unknown as Json) ?? '');
    if (!owner) continue;
    const remote = identityRemote(owner, 'cip');
    context.world.cipOwners.set(resource.address, remote);
    // Under `adopt`, dependents use the owner: accounts are then listed under its id.
    if (context.model.options.onCipIdConflict === 'adopt') context.world.byAddress.set(resource.address, remote);
  }
}

/** Ref_ids of every identity in the manifest (both kinds): their records are ours, never cip owners to adopt. */
function claimedRefIds(context: RefreshContext): Set<string> {
  const claimed = new Set<string>();
  for (const resource of context.model.resources.values()) {
    if (kindSpecs[resource.kind].remoteKey?.space === 'identity' && resource.remoteKey) claimed.add(resource.remoteKey.value);
  }
  return claimed;
}

export function identityRemote(record: Json, matchedBy: RemoteObject['matchedBy']): RemoteObject {
  const id = String(record.id);
  return {
    id,
    record,
    ids: { identity_id: id },
    ...(typeof record.summary_status === 'string' ? { status: record.summary_status } : {}),
    matchedBy,
  };
}
