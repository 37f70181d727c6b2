/**
 * Reads several kinds share, each made at most once per refresh through
 * `context.shared`: the identity listing (persons, institutions, and the
 * accounts' choice of listing strategy read it), identity details by id.
 */
import pLimit from 'p-limit';
import type { Address } from '../manifest/model.js';
import { adoptedAsOf, type Json } from './identity-fields.js';
import type { RefreshContext, RemoteWorld } from './resource-handler.js';

/** The largest page the list endpoints serve: fewest calls per listing. */
export const listPageSize = 1000;
/** Batch size of list filters taking many values (`ref_ids`, `profile_ids`): the API caps them at 100. */
export const filterBatchSize = 100;
/** Reads in flight at once when one GET per object cannot be avoided; the client paces them anyway. */
export const readConcurrency = 10;

export interface IdentityListing {
  items: readonly Json[];
  byRefId: ReadonlyMap<string, Json>;
  /** Identities adopted by their cip tuple, by the manifest ref_id they were adopted as. */
  byAdoptedAs: ReadonlyMap<string, Json>;
}

/**
 * Every identity of the API user, in one listing (there is no ref_id filter).
 * The listing has no details (PII stays out of lists), but it has metadata.
 */
export function readIdentityListing(context: RefreshContext): Promise<IdentityListing> {
  return context.shared('identities', async () => {
    const items = await context.client.listAll<Json>({ method: 'GET', path: '/v2/identity/identities' }, { pageSize: listPageSize });
    const byRefId = new Map<string, Json>();
    const byAdoptedAs = new Map<string, Json>();
    for (const item of items) {
      if (typeof item.ref_id === 'string' && item.ref_id !== '') byRefId.set(item.ref_id, item);
      const adoptedAs = adoptedAsOf(item);
      if (adoptedAs !== undefined) byAdoptedAs.set(adoptedAs, item);
    }
    identityCounts.set(context.world, items.length);
    return { items, byRefId, byAdoptedAs };
  });
}

const identityCounts = new WeakMap<RemoteWorld, number>();

/**
 * How many identities the API user has, if this refresh listed them (0 if
 * not): a free estimate of how many accounts and profiles a full listing
 * would page through, to choose between listing all and asking per key.
 */
export function listedIdentityCount(world: RemoteWorld): number {
  return identityCounts.get(world) ?? 0;
}

/** One identity with its details and institution members. */
export function readIdentityDetails(context: RefreshContext, id: string): Promise<Json> {
  return context.shared(`identity:${id}`, () =>
    context.client.request<Json>({ method: 'GET', path: `/v2/identity/identities/${encodeURIComponent(id)}`, query: { include_details: true, include_institution_members: true } }),
  );
}

/** `read` of every item, `readConcurrency` at a time, results in input order. */
export function readEach<T, R>(items: readonly T[], read: (item: T) => Promise<R>): Promise<R[]> {
  return pLimit(readConcurrency).map(items, (item) => read(item));
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let at = 0; at < items.length; at += size) chunks.push(items.slice(at, at + size));
  return chunks;
}

const addressIndexes = new WeakMap<RemoteWorld, { size: number; byId: Map<string, Address> }>();

/** The manifest address a Paxos id belongs to, if the world holds it (to show a member as `person.alice`). */
export function addressOfId(world: RemoteWorld, id: string): Address | undefined {
  let index = addressIndexes.get(world);
  if (!index || index.size !== world.byAddress.size) {
    const byId = new Map<string, Address>();
    for (const [address, remote] of world.byAddress) if (!byId.has(remote.id)) byId.set(remote.id, address);
    index = { size: world.byAddress.size, byId };
    addressIndexes.set(world, index);
  }
  return index.byId.get(id);
}

/** A Paxos id (`identity_id`, `profile_id`, ...) of an address the world holds. */
export function remoteIdOf(world: RemoteWorld, address: Address | undefined, name: string): string | undefined {
  return address === undefined ? undefined : world.byAddress.get(address)?.ids[name];
}
