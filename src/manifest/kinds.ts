/**
 * The resource kinds of the manifest as data: which collection holds them,
 * which of their fields are addresses of other resources, and what else they
 * must wait for. The reference checks, the normaliser and the graph read this
 * table, so none of them names a kind.
 */

export const resourceKinds = ['person', 'institution', 'account', 'profile', 'deposit', 'order'] as const;
export type ResourceKind = (typeof resourceKinds)[number];

/** `kind.key`, e.g. `person.alice`. */
export type Address = `${ResourceKind}.${string}`;

/** A field of a resource that holds an address. */
export interface ReferenceField {
  /** Field name; when `inList` is set, the field of each entry of that list. */
  field: string;
  inList?: string;
  /** Kinds the address may name. */
  accepts: readonly ResourceKind[];
  /** An `account.x` named here must have `profile: true`. */
  needsProfile?: boolean;
}

/** "Wait for every resource of `kind` whose `field` equals mine." */
export interface OrderedAfter {
  kind: ResourceKind;
  field: string;
}

export interface KindSpec {
  kind: ResourceKind;
  /** The top-level key of the manifest that holds this kind. */
  collection: string;
  references: readonly ReferenceField[];
  orderedAfter: readonly OrderedAfter[];
  /** Whether resources of this kind are a profile (`always`) or own one when `profile: true`. */
  ownsProfile?: 'always' | 'when_flagged';
  /** Only exists in a sandbox (test funding): refused when `environment: production`. */
  sandboxOnly?: boolean;
  /**
   * Places trades: starts only once everything it depends on, directly or
   * not, has settled (only APPROVED identities buy), and against production
   * only with `--allow-production-orders`.
   */
  trades?: boolean;
  /**
   * Puts assets in a profile (sandbox deposits): like a trade, starts only
   * once everything it depends on has settled, since an identity that is not
   * APPROVED cannot hold assets (Paxos's identity statuses grid).
   */
  fundsProfile?: boolean;
  /**
   * The field Paxos knows the resource by (DESIGN.md "remote key"), derived as
   * `<ref_id_prefix><kind>-<key>` when not written, and unique within `space`
   * (persons and institutions share one: both are identities).
   */
  remoteKey?: { field: 'ref_id' | 'nickname'; space: string };
}

const identityKinds = ['person', 'institution'] as const;
const profileOwnerKinds = ['account', 'profile'] as const;

export const kindSpecs: Readonly<Record<ResourceKind, KindSpec>> = {
  person: { kind: 'person', collection: 'persons', references: [], orderedAfter: [], remoteKey: { field: 'ref_id', space: 'identity' } },
  institution: {
    kind: 'institution',
    collection: 'institutions',
    references: [{ field: 'identity', inList: 'members', accepts: identityKinds }],
    orderedAfter: [],
    remoteKey: { field: 'ref_id', space: 'identity' },
  },
  account: {
    kind: 'account',
    collection: 'accounts',
    ownsProfile: 'when_flagged',
    references: [
      { field: 'identity', accepts: identityKinds },
      { field: 'identity', inList: 'members', accepts: identityKinds },
    ],
    orderedAfter: [],
    remoteKey: { field: 'ref_id', space: 'account' },
  },
  profile: {
    kind: 'profile',
    collection: 'profiles',
    references: [],
    orderedAfter: [],
    ownsProfile: 'always',
    remoteKey: { field: 'nickname', space: 'profile' },
  },
  deposit: {
    kind: 'deposit',
    collection: 'deposits',
    sandboxOnly: true,
    references: [{ field: 'profile', accepts: profileOwnerKinds, needsProfile: true }],
    orderedAfter: [],
    fundsProfile: true,
  },
  order: {
    kind: 'order',
    collection: 'orders',
    references: [
      { field: 'profile', accepts: profileOwnerKinds, needsProfile: true },
      { field: 'identity', accepts: identityKinds },
      { field: 'account', accepts: ['account'] },
    ],
    // DESIGN.md: deposits before orders on that profile, so the funds are there.
    orderedAfter: [{ kind: 'deposit', field: 'profile' }],
    remoteKey: { field: 'ref_id', space: 'order' },
    trades: true,
  },
};

/** Whether a resource of `kind` must wait for everything below it to settle (APPROVED identities) before it is sent. */
export function needsSettledDependencies(kind: ResourceKind): boolean {
  return kindSpecs[kind].trades === true || kindSpecs[kind].fundsProfile === true;
}

const kindByCollection = new Map<string, ResourceKind>(
  resourceKinds.map((kind) => [kindSpecs[kind].collection, kind]),
);

/** The kind a top-level collection key holds, if it is one. */
export function findKindOfCollection(collection: string): ResourceKind | undefined {
  return kindByCollection.get(collection);
}

export function formatAddress(kind: ResourceKind, key: string): Address {
  return `${kind}.${key}`;
}

/** Splits `kind.key`; undefined when the kind is not one of ours. */
export function parseAddress(text: string): { kind: ResourceKind; key: string } | undefined {
  const dot = text.indexOf('.');
  if (dot <= 0) return undefined;
  const kind = text.slice(0, dot);
  if (!(resourceKinds as readonly string[]).includes(kind)) return undefined;
  return { kind: kind as ResourceKind, key: text.slice(dot + 1) };
}

/** The remote key a resource goes by: written, or derived from the prefix and its address. */
export function resolveRemoteKey(
  kind: ResourceKind,
  key: string,
  body: Readonly<Record<string, unknown>>,
  prefix: string,
): { field: string; value: string; derived: boolean } | undefined {
  const spec = kindSpecs[kind].remoteKey;
  if (!spec) return undefined;
  const written = body[spec.field];
  if (typeof written === 'string') return { field: spec.field, value: written, derived: false };
  return { field: spec.field, value: `${prefix}${kind}-${key}`, derived: true };
}
