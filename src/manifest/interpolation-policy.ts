/**
 * Where `${env:}`/`${file:}` may not go, and which variables they may not
 * read. An interpolated value is a secret or PII by definition and is masked
 * wherever a value is shown; but some fields are shown as they are, by
 * design, because they are how a reader recognises a resource: settings,
 * remote keys (a `ref_id` is printed on every plan line), and addresses
 * (printed in every message about a reference). A secret there would be
 * published with the plan, so interpolation is refused there outright.
 */
import { findKindOfCollection, kindSpecs } from './kinds.js';
import type { PathSegment } from './locate-node.js';

/** The tool's own credentials: never part of a manifest, whatever the field. */
export const credentialVariables: ReadonlySet<string> = new Set(['PAXOS_CLIENT_ID', 'PAXOS_CLIENT_SECRET']);

export interface ForbiddenInterpolation {
  /** What the field is, for the message: `ref_id_prefix`, `the address in identity`. */
  field: string;
  /** Why it is printed as it is. */
  why: string;
  hint: string;
}

/**
 * Whether the scalar at `path` (from the document root) must be written
 * literally; undefined when interpolation is allowed there.
 */
export function findForbiddenInterpolation(path: readonly PathSegment[]): ForbiddenInterpolation | undefined {
  const [top, key, field, ...rest] = path.map(String);
  if (top === 'version' || top === 'environment') {
    return { field: top, why: 'it decides where the manifest may be applied and is printed as written', hint: `write \`${top}:\` literally` };
  }
  if (top === 'options') {
    const name = key ?? 'options';
    return {
      field: `options.${name}`,
      why: name === 'ref_id_prefix' ? 'the prefix is part of every derived ref_id, which plans print in full' : 'options are printed as written',
      hint: name === 'ref_id_prefix' ? 'write the prefix literally (e.g. `ref_id_prefix: acme-ci-`); it is an identifier, not a secret' : `write \`${name}\` literally`,
    };
  }
  if (top === undefined || key === undefined || field === undefined) return undefined;
  const kind = findKindOfCollection(top);
  if (!kind) return undefined;
  const spec = kindSpecs[kind];
  if (rest.length === 0 && spec.remoteKey?.field === field) {
    return {
      field,
      why: `the ${field} is how Paxos and every plan name the resource, printed in full`,
      hint: `write the ${field} literally, or leave it out to derive it from ref_id_prefix and the address`,
    };
  }
  const isReference = spec.references.some((reference) =>
    reference.inList === undefined ? rest.length === 0 && reference.field === field : reference.inList === field && rest.length === 2 && rest[1] === reference.field,
  );
  if (isReference) {
    const name = rest.length === 2 ? `${field}[].${rest[1] ?? ''}` : field;
    return {
      field: name,
      why: 'an address names another resource of the manifest and is printed in messages and plans',
      hint: 'write the address literally (e.g. `person.alice`)',
    };
  }
  return undefined;
}
