import type { DocumentSet, WrittenResource } from './document-set.js';
import { kindSpecs, resolveRemoteKey, type Address, type ResourceKind } from './kinds.js';
import { joinPointer, splitPointer } from './locate-node.js';
import type { Model, Resource, ResourceOf, ResourceReference } from './model.js';
import { resolveOptions, type Environment } from './options.js';
import { listReferences } from './references.js';

/** Field defaults per kind, applied when the field is not written. */
const fieldDefaults: Partial<Record<ResourceKind, Readonly<Record<string, unknown>>>> = {
  account: { profile: false },
};

/**
 * Normalises the merged written shape into the model. References that do not
 * resolve are left out of `dependsOn` (the reference check reports them), so
 * this also runs on an invalid set to let the cycle check see the graph.
 */
export function normaliseDocuments(set: DocumentSet): Model {
  const options = resolveOptions(set.options);
  const followers = indexFollowers(set);
  const sensitive = indexSensitivePaths(set);
  const resources = new Map<Address, Resource>();
  for (const written of set.resources.values()) {
    const remote = resolveRemoteKey(written.kind, written.key, written.body, options.refIdPrefix);
    const fields: Record<string, unknown> = { ...fieldDefaults[written.kind], ...written.body };
    if (remote) fields[remote.field] = remote.value;
    const references: ResourceReference[] = [];
    const dependsOn = new Set<Address>();
    for (const reference of listReferences(written)) {
      if (!set.resources.has(reference.target as Address)) continue;
      const address = reference.target as Address;
      references.push({ path: joinPointer(reference.path), address });
      dependsOn.add(address);
    }
    for (const after of kindSpecs[written.kind].orderedAfter) {
      const value = written.body[after.field];
      if (typeof value !== 'string') continue;
      for (const address of followers.get(`${after.kind}\u0000${after.field}\u0000${value}`) ?? []) {
        if (address !== written.address) dependsOn.add(address);
      }
    }
    const resource: ResourceOf<ResourceKind> = {
      address: written.address,
      kind: written.kind,
      key: written.key,
      // Read lazily: finding a position parses the file's syntax tree, which a valid run otherwise never needs.
      get source() {
        return { file: written.file.path, ...written.position };
      },
      // Schema-valid by now (an invalid set yields no model to callers), so the written shape is the typed one.
      fields: fields as unknown as ResourceOf<ResourceKind>['fields'],
      ...(remote ? { remoteKey: { field: remote.field, value: remote.value } } : {}),
      references,
      dependsOn: [...dependsOn],
      sensitivePaths: (sensitive.size > 0 && sensitive.get(sensitiveIdOf(written))) || [],
    };
    resources.set(written.address, resource as Resource);
  }
  return {
    environment: (set.environment ?? 'sandbox') as Environment,
    options,
    resources,
    files: set.files.map((file) => file.path),
  };
}

/**
 * For every `orderedAfter` rule in the kind table, the resources it points
 * at, keyed by (kind, field, value): one pass, so orders find the deposits on
 * their profile without a scan per order.
 */
function indexFollowers(set: DocumentSet): Map<string, Address[]> {
  // The fields to index, per kind: a few lookups per resource rather than a look at every field.
  const wanted = new Map<ResourceKind, Set<string>>();
  for (const spec of Object.values(kindSpecs)) {
    for (const after of spec.orderedAfter) wanted.set(after.kind, (wanted.get(after.kind) ?? new Set()).add(after.field));
  }
  const index = new Map<string, Address[]>();
  for (const resource of set.resources.values()) {
    const fields = wanted.get(resource.kind);
    if (!fields) continue;
    for (const field of fields) {
      const value = resource.body[field];
      if (typeof value !== 'string') continue;
      const key = `${resource.kind}\u0000${field}\u0000${value}`;
      const list = index.get(key);
      if (list) list.push(resource.address);
      else index.set(key, [resource.address]);
    }
  }
  return index;
}

/** Sensitive pointers of each resource, `/persons/alice/cip_id` → `alice`'s `/cip_id`; one pass per file. */
function indexSensitivePaths(set: DocumentSet): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const file of set.files) {
    for (const pointer of file.sensitive) {
      const [collection, key, ...rest] = splitPointer(pointer);
      if (collection === undefined || key === undefined || rest.length === 0) continue;
      const id = `${file.path}\u0000${collection}\u0000${key}`;
      const list = index.get(id) ?? [];
      list.push(joinPointer(rest));
      index.set(id, list);
    }
  }
  return index;
}

function sensitiveIdOf(written: WrittenResource): string {
  return `${written.file.path}\u0000${written.collection}\u0000${written.key}`;
}
