/**
 * Persons and institutions are both Paxos identities. This maps between the
 * manifest's flat fields and the API's shape (`person_details` /
 * `institution_details` plus the identity-level fields), both ways, and
 * computes the digest the tool keeps in each identity's metadata.
 */
import type { Address, Model, ResourceOf } from '../manifest/model.js';
import { canonicalJson, sha256Hex } from '../plan/canonical-json.js';
import { isPlainObject } from './field-diff.js';
import { replaceReferences } from './resolve-references.js';

export type IdentityKind = 'person' | 'institution';
export type IdentityResource = ResourceOf<IdentityKind>;
export type Json = Record<string, unknown>;

/** What differs between the two identity kinds; everything else is shared. */
export interface IdentityKindConfig<K extends IdentityKind = IdentityKind> {
  kind: K;
  identityType: 'PERSON' | 'INSTITUTION';
  detailsKey: 'person_details' | 'institution_details';
  /** A manifest group whose keys the API keeps flat in the details (persons: `verification`). */
  groupedDetails?: { field: string; keys: readonly string[] };
  /** Details the API takes as a date-time that the manifest also takes as a date (sent as midnight UTC). */
  dateTimeDetails?: readonly string[];
  /** Whether the manifest's `members` are institution members. */
  hasMembers: boolean;
  /** Fields the API cannot change once created (JSON pointers). */
  immutableFields: readonly string[];
  sensitiveFields: readonly string[];
  /** The sandbox-status body that approves this kind. */
  approvalBody: Readonly<Record<string, string>>;
}

/** The metadata key holding the digest of the manifest's fields this tool last wrote. */
export const digestMetadataKey = 'paxos_onboard_digest';

/** Identity-level fields (not details) the manifest and the API share by name. */
const identityFields = ['ref_id', 'metadata', 'customer_due_diligence', 'tax_details', 'tax_details_not_required', 'is_merchant'] as const;
const identityFieldSet = new Set<string>(identityFields);
/** Details Paxos sets and reports but nobody writes: never compared. */
const reportedOnly = new Set(['id_verification_status', 'sanctions_verification_status', 'additional_screening_status', 'document_verification_status', 'id_verification_url']);

/**
 * A digest of everything the manifest says about the identity, references
 * as ref_ids (stable before any id exists). Written into the identity's
 * metadata on create and update; refresh compares it with the listing to
 * skip the GET of unchanged identities. A hash only: no field leaves in clear.
 */
export function identityDigest(resource: IdentityResource, model: Model): string {
  // Refresh, plan and create each ask; a model and its resources do not change, so each identity is hashed once.
  const known = digestsByModel.get(model) ?? new WeakMap<IdentityResource, string>();
  digestsByModel.set(model, known);
  let digest = known.get(resource);
  if (digest === undefined) {
    const fields = replaceReferences(resource, (address) => model.resources.get(address)?.remoteKey?.value ?? address);
    digest = `v1:${sha256Hex(canonicalJson({ kind: resource.kind, fields }))}`;
    known.set(resource, digest);
  }
  return digest;
}

const digestsByModel = new WeakMap<Model, WeakMap<IdentityResource, string>>();

/** The metadata to write: the manifest's when it has some (else what the remote has), plus the digest. */
export function metadataToWrite(resource: IdentityResource, model: Model, remoteMetadata: unknown): Record<string, string> {
  const written = resource.fields.metadata;
  const base = written ?? (isPlainObject(remoteMetadata) ? (remoteMetadata as Record<string, string>) : {});
  const { [digestMetadataKey]: _previous, ...kept } = base;
  return { ...kept, [digestMetadataKey]: identityDigest(resource, model) };
}

/**
 * The metadata key that marks an identity adopted by its cip tuple
 * (`on_cip_id_conflict: adopt`) with the manifest ref_id it stands for: it
 * keeps its own ref_id, so without the mark every refresh would have to look
 * for it again, and every plan would adopt it again.
 */
export const adoptedAsMetadataKey = 'paxos_onboard_adopted_as';

/** The owner's metadata with the mark added; nothing else of the record changes. */
export function metadataMarkingAdoption(resource: IdentityResource, remoteMetadata: unknown): Record<string, string> {
  const kept = isPlainObject(remoteMetadata) ? (remoteMetadata as Record<string, string>) : {};
  return { ...kept, [adoptedAsMetadataKey]: resource.fields.ref_id };
}

/** The manifest ref_id an identity was adopted as, if it carries the mark. */
export function adoptedAsOf(record: Readonly<Json>): string | undefined {
  const metadata = record.metadata;
  const value = isPlainObject(metadata) ? metadata[adoptedAsMetadataKey] : undefined;
  return typeof value === 'string' ? value : undefined;
}

/** The digest an identity record carries in its metadata, if any. */
export function digestOf(record: Readonly<Json>): string | undefined {
  const metadata = record.metadata;
  const value = isPlainObject(metadata) ? metadata[digestMetadataKey] : undefined;
  return typeof value === 'string' ? value : undefined;
}

/** The create (and update) body parts of a resource, addresses replaced by `idOf`. */
export function identityBodyParts(config: IdentityKindConfig, resource: IdentityResource, idOf: (address: Address) => string): { details: Json; identity: Json; members: Json[] } {
  const fields = replaceReferences(resource, idOf);
  const details: Json = {};
  const identity: Json = {};
  for (const [key, value] of Object.entries(fields)) {
    if (identityFieldSet.has(key)) identity[key] = value;
    else if (key === config.groupedDetails?.field && isPlainObject(value)) Object.assign(details, value);
    else if (!(config.hasMembers && key === 'members')) details[key] = value;
  }
  for (const key of config.dateTimeDetails ?? []) {
    const value = details[key];
    if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) details[key] = `${value}T00:00:00Z`;
  }
  const members = config.hasMembers && Array.isArray(fields.members) ? (fields.members as Json[]).map(({ identity: id, ...rest }) => ({ identity_id: id, ...rest })) : [];
  return { details, identity, members };
}

/**
 * A remote identity (fetched with details and members) in the manifest's
 * field space, member ids shown as the addresses they belong to, so it
 * diffs against `resource.fields` directly.
 */
export function remoteIdentityFields(config: IdentityKindConfig, record: Readonly<Json>, addressOf: (id: string) => string): Json {
  const fields: Json = {};
  const details = isPlainObject(record[config.detailsKey]) ? (record[config.detailsKey] as Json) : {};
  const grouped: Json = {};
  for (const [key, value] of Object.entries(details)) {
    if (reportedOnly.has(key)) continue;
    if (config.groupedDetails?.keys.includes(key)) grouped[key] = value;
    else fields[key] = value;
  }
  if (config.groupedDetails && Object.keys(grouped).length > 0) fields[config.groupedDetails.field] = grouped;
  for (const key of identityFields) if (record[key] !== undefined) fields[key] = record[key];
  if (isPlainObject(fields.metadata)) {
    const { [digestMetadataKey]: _digest, ...user } = fields.metadata;
    fields.metadata = user;
  }
  if (config.hasMembers && Array.isArray(record.institution_members)) {
    fields.members = (record.institution_members as Json[]).map((member) => compact({
      identity: typeof member.identity_id === 'string' ? addressOf(member.identity_id) : member.identity_id,
      roles: member.roles,
      ownership: member.ownership,
      position: member.position,
    }));
  }
  return fields;
}

/** Whether a record carries details (fetched with `include_details`), so a field diff is possible. */
export function hasDetails(config: IdentityKindConfig, record: Readonly<Json>): boolean {
  return isPlainObject(record[config.detailsKey]);
}

/** `(cip_id_type, cip_id_country, cip_id)` as one key, or undefined when incomplete. */
export function cipKey(details: Readonly<Json> | undefined): string | undefined {
  if (!details || typeof details.cip_id !== 'string' || details.cip_id === '') return undefined;
  return `${String(details.cip_id_type ?? '')}|${String(details.cip_id_country ?? '')}|${details.cip_id}`;
}

function compact(object: Json): Json {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
}
