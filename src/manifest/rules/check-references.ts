import type { Issue } from '../../errors.js';
import { suggestClosest } from '../did-you-mean.js';
import type { DocumentSet, WrittenResource } from '../document-set.js';
import { kindSpecs, parseAddress, type Address } from '../kinds.js';
import { joinPointer, locateValue } from '../locate-node.js';
import { listReferences, type WrittenReference } from '../references.js';

/**
 * Every address resolves, to a kind the field accepts; a `profile:` naming an
 * account needs that account to have `profile: true`.
 */
export function checkReferences(set: DocumentSet, issues: Issue[]): void {
  for (const resource of set.resources.values()) {
    for (const reference of listReferences(resource)) {
      // A placeholder left by a refused or failed interpolation is reported there already.
      if (resource.file.unresolved.has(joinPointer([resource.collection, resource.key, ...reference.path]))) continue;
      const problem = explainReference(set, reference);
      if (!problem) continue;
      issues.push({
        ...problem,
        file: resource.file.path,
        ...locateValue(resource.file, [resource.collection, resource.key, ...reference.path]),
      });
    }
  }
}

function explainReference(set: DocumentSet, reference: WrittenReference): Pick<Issue, 'code' | 'message' | 'hint'> | undefined {
  const { target, field } = reference;
  const fieldName = field.inList ? `${field.inList}[].${field.field}` : field.field;
  const accepted = field.accepts.map((kind) => `${kind}.<key>`).join(' or ');
  const parsed = parseAddress(target);
  if (parsed && !field.accepts.includes(parsed.kind)) {
    return {
      code: 'ref.wrong_kind',
      message: `\`${fieldName}\` must name ${accepted}, but \`${target}\` is a ${parsed.kind}`,
    };
  }
  const resolved = set.resources.get(target as Address);
  if (!resolved) {
    return {
      code: 'ref.unresolved',
      message: `\`${target}\` is not defined in any manifest file${suggestClosest(target, candidates(set, field.accepts))}`,
      hint: parsed ? `define it under \`${kindSpecs[parsed.kind].collection}:\`, or fix the address` : `write an address: ${accepted}`,
    };
  }
  if (field.needsProfile && !hasProfile(resolved)) {
    return {
      code: 'ref.no_profile',
      message: `\`${target}\` has no profile, so \`${fieldName}\` cannot name it`,
      hint: `set \`profile: true\` on ${target}, or name a standalone profile.<key>`,
    };
  }
  return undefined;
}

/** A resource that owns a profile: a standalone profile, or an account with `profile: true`. */
export function hasProfile(resource: WrittenResource): boolean {
  const owns = kindSpecs[resource.kind].ownsProfile;
  return owns === 'always' || (owns === 'when_flagged' && resource.body.profile === true);
}

function* candidates(set: DocumentSet, kinds: readonly string[]): Iterable<string> {
  for (const resource of set.resources.values()) if (kinds.includes(resource.kind)) yield resource.address;
}

