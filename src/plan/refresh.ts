/**
 * `refreshRemote(model, client)`: reads what the manifest needs to know of the
 * remote, kind by kind in `resourceKinds` order (dependencies first, so each
 * kind sees the ids of what it depends on), and counts what it cost.
 */
import { resourceKinds, type ResourceKind } from '../manifest/kinds.js';
import type { Model, ResourceOf } from '../manifest/model.js';
import type { PaxosClient } from '../paxos/types.js';
import { handlerFor } from '../resources/index.js';
import type { RefreshContext, RemoteWorld, StrayObject } from '../resources/resource-handler.js';
import { canonicalJson, sha256Hex } from './canonical-json.js';
import type { RemoteFingerprint } from './plan-types.js';

export interface RefreshOptions {
  /** Read every object in full (identities: one GET each) to see changes made outside the tool. */
  deep?: boolean;
}

export interface RefreshResult {
  world: RemoteWorld;
  /** API calls the refresh made, in total and per kind (shared reads count for the kind that made them first). */
  calls: number;
  callsByKind: Partial<Record<ResourceKind, number>>;
  /** Of those, repeats after a failure, and 429 answers. */
  retries: number;
  rateLimited: number;
  fingerprint: RemoteFingerprint;
}

export async function refreshRemote(model: Model, client: PaxosClient, options: RefreshOptions = {}): Promise<RefreshResult> {
  const world: RemoteWorld = { byAddress: new Map(), cipOwners: new Map() };
  const reads = new Map<string, Promise<unknown>>();
  const context: RefreshContext = {
    client,
    model,
    world,
    deep: options.deep ?? false,
    shared<T>(key: string, read: () => Promise<T>): Promise<T> {
      let pending = reads.get(key);
      if (!pending) {
        pending = read();
        reads.set(key, pending);
      }
      return pending as Promise<T>;
    },
  };
  const byKind = groupByKind(model);
  const callsByKind: Partial<Record<ResourceKind, number>> = {};
  const startedAt = client.stats();
  for (const kind of resourceKinds) {
    const resources = byKind.get(kind);
    if (!resources) continue;
    const before = client.stats().calls;
    await refreshKind(kind, resources as Array<ResourceOf<typeof kind>>, context);
    callsByKind[kind] = client.stats().calls - before;
  }
  // Orphans, after every kind (accounts look under stray identities); only for the manifest's kinds, which its token may read.
  const strays: StrayObject[] = [];
  world.strays = strays;
  for (const kind of resourceKinds) {
    const find = handlerFor(kind).findStrays;
    if (!byKind.has(kind) || !find) continue;
    const before = client.stats().calls;
    strays.push(...(await find(model.options.refIdPrefix, context)));
    callsByKind[kind] = (callsByKind[kind] ?? 0) + client.stats().calls - before;
  }
  const endedAt = client.stats();
  return {
    world,
    calls: endedAt.calls - startedAt.calls,
    callsByKind,
    retries: endedAt.retries - startedAt.retries,
    rateLimited: endedAt.rateLimited - startedAt.rateLimited,
    fingerprint: fingerprintWorld(world),
  };
}

function refreshKind<K extends ResourceKind>(kind: K, resources: ReadonlyArray<ResourceOf<K>>, context: RefreshContext): Promise<void> {
  return handlerFor(kind).refresh(resources, context);
}

function groupByKind(model: Model): Map<ResourceKind, Array<ResourceOf<ResourceKind>>> {
  const groups = new Map<ResourceKind, Array<ResourceOf<ResourceKind>>>();
  for (const resource of model.resources.values()) {
    const list = groups.get(resource.kind) ?? [];
    list.push(resource);
    groups.set(resource.kind, list);
  }
  return groups;
}

/**
 * A digest of what the plan depends on: per address its id, status, how it
 * was found, the record's version (`updated_at`, `modified_at`) and its
 * metadata (where kinds keep their marks, such as an identity's digest); plus
 * the cip owners. Generic: no kind's fields are named here. The same when nothing changed
 * remotely, whatever order the reads answered in.
 */
export function fingerprintWorld(world: RemoteWorld): RemoteFingerprint {
  const objects = [...world.byAddress].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([address, remote]) => {
    const { record } = remote;
    return {
      address,
      id: remote.id,
      status: remote.status ?? null,
      matchedBy: remote.matchedBy,
      version: record.updated_at ?? record.modified_at ?? null,
      metadata: record.metadata ?? null,
    };
  });
  const cipOwners = [...world.cipOwners].map(([address, owner]) => [address, owner.id]).sort(([a], [b]) => String(a).localeCompare(String(b)));
  const strays = (world.strays ?? []).map(({ kind, remote }) => ({ kind, id: remote.id, status: remote.status ?? null })).sort((a, b) => a.id.localeCompare(b.id));
  // Only when there are strays: the digest of a world without any stays as it was.
  return `sha256:${sha256Hex(canonicalJson({ objects, cipOwners, ...(strays.length > 0 ? { strays } : {}) }))}`;
}
