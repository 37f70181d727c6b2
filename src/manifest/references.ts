import { kindSpecs, type ReferenceField } from './kinds.js';
import type { PathSegment } from './locate-node.js';
import { isObject } from './schema-lookup.js';
import type { WrittenResource } from './document-set.js';

/** One address written in a resource. */
export interface WrittenReference {
  /** The address as written (not yet known to resolve). */
  target: string;
  /** Where it is, relative to the resource body: `['members', 0, 'identity']`. */
  path: PathSegment[];
  field: ReferenceField;
}

/** Every address a resource names, in the order of its kind's reference table. */
export function listReferences(resource: WrittenResource): WrittenReference[] {
  const found: WrittenReference[] = [];
  for (const field of kindSpecs[resource.kind].references) {
    if (field.inList === undefined) {
      const target = resource.body[field.field];
      if (typeof target === 'string') found.push({ target, path: [field.field], field });
      continue;
    }
    const list = resource.body[field.inList];
    if (!Array.isArray(list)) continue;
    list.forEach((entry, index) => {
      const target = isObject(entry) ? entry[field.field] : undefined;
      if (typeof target === 'string') found.push({ target, path: [field.inList as string, index, field.field], field });
    });
  }
  return found;
}
