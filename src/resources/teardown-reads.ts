/**
 * What the kinds' teardown methods share: which remote keys the manifest
 * still claims (anything else under its prefix is a stray), and a profile's
 * balance, which decides whether Paxos lets it be deactivated.
 */
import { kindSpecs, type ResourceKind } from '../manifest/kinds.js';
import type { Model } from '../manifest/model.js';
import type { PaxosClient } from '../paxos/types.js';
import type { Json } from './identity-fields.js';
import type { RemoteObject, StrayObject } from './resource-handler.js';

/** The remote keys (ref_ids, nicknames) the manifest's resources of `kind`'s key space hold. */
export function claimedKeys(model: Model, kind: ResourceKind): Set<string> {
  const space = kindSpecs[kind].remoteKey?.space;
  const claimed = new Set<string>();
  if (space === undefined) return claimed;
  for (const resource of model.resources.values()) {
    if (kindSpecs[resource.kind].remoteKey?.space === space && resource.remoteKey) claimed.add(resource.remoteKey.value);
  }
  return claimed;
}

/** `key` is this manifest's making (starts with the prefix) and no resource declares it. */
export function isStrayKey(key: unknown, prefix: string, claimed: ReadonlySet<string>): key is string {
  // An empty prefix would make every object of the API user a stray: nothing is taken for one then.
  return prefix !== '' && typeof key === 'string' && key.startsWith(prefix) && !claimed.has(key);
}

export function stray(kind: ResourceKind, field: 'ref_id' | 'nickname', remote: RemoteObject): StrayObject {
  return { kind, remoteKey: `${field}=${String(remote.record[field])}`, remote };
}

/**
 * The assets a profile holds, as `10000 USD, 0.5 ETH` (empty when none).
 * Paxos refuses to deactivate a profile with a balance ("Profiles with more
 * than zero balances cannot be deactivated"), and a sandbox has no way to
 * take test funds back out, so such a profile is kept and said so.
 */
export async function heldAssets(client: PaxosClient, profileId: string): Promise<string> {
  const answer = await client.request<{ items?: Json[] }>({ method: 'GET', path: `/v2/profiles/${encodeURIComponent(profileId)}/balances` });
  const held = (answer.items ?? []).flatMap((item) => {
    const total = Number(item.available ?? 0) + Number(item.trading ?? 0);
    return total > 0 ? [`${String(item.available ?? '0')} ${String(item.asset)}`] : [];
  });
  return held.join(', ');
}

/** Deactivates a profile unless it holds assets; says which it did. */
export async function deactivateIfEmpty(client: PaxosClient, profileId: string): Promise<{ kept?: string }> {
  const held = await heldAssets(client, profileId);
  if (held !== '') return { kept: `profile ${profileId} holds ${held}: Paxos refuses to deactivate a profile with a balance, so it stays active` };
  await client.request({ method: 'PUT', path: `/v2/profiles/${encodeURIComponent(profileId)}/deactivate`, retry: 'safe' });
  return {};
}
