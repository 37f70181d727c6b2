/**
 * Resources hold addresses where the API wants ids (DESIGN.md "The
 * manifest"). These replace each written address, at the paths the model
 * lists in `references`, by what the caller needs there: a Paxos id when
 * building a request, a ref_id when hashing, an address when comparing.
 */
import { splitPointer } from '../manifest/locate-node.js';
import type { Address, Resource } from '../manifest/model.js';

/** A deep copy of the resource's fields with every reference replaced by `replace(address)`. */
export function replaceReferences(resource: Pick<Resource, 'fields' | 'references'>, replace: (address: Address) => unknown): Record<string, unknown> {
  const copy = structuredClone(resource.fields) as Record<string, unknown>;
  for (const reference of resource.references) {
    const segments = splitPointer(reference.path);
    const last = segments.pop();
    if (last === undefined) continue;
    let parent: unknown = copy;
    for (const segment of segments) parent = (parent as Record<string, unknown> | undefined)?.[segment];
    if (typeof parent === 'object' && parent !== null) (parent as Record<string, unknown>)[last] = replace(reference.address);
  }
  return copy;
}
