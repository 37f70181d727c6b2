/**
 * The normalised manifest: what every stage after validation reads. Built
 * once from the written shape, with defaults applied, derived remote keys
 * filled in and references checked; later stages never see raw YAML.
 */
import type { Address, ResourceKind } from './kinds.js';
import type { Environment, ManifestOptions } from './options.js';
import type { AccountSpec, DepositSpec, InstitutionSpec, OrderSpec, PersonSpec, ProfileSpec } from './types.js';

export type { Address, ResourceKind } from './kinds.js';
export type { Environment, ManifestOptions } from './options.js';

export interface SourceLocation {
  /** Absolute path of the manifest file. */
  file: string;
  line: number;
  col: number;
}

/** An address written in a resource, at a JSON pointer into its `fields`. */
export interface ResourceReference {
  path: string;
  address: Address;
}

/**
 * The fields of each kind after normalisation: the written shape with the
 * remote key filled in and kind defaults applied.
 */
export interface ResourceFieldsByKind {
  person: PersonSpec & { ref_id: string };
  institution: InstitutionSpec & { ref_id: string };
  account: AccountSpec & { ref_id: string; profile: boolean };
  profile: ProfileSpec & { nickname: string };
  deposit: DepositSpec;
  order: OrderSpec & { ref_id: string };
}

/**
 * One resource of kind `K`. Generic code reads `address`, `dependsOn`,
 * `references`, `remoteKey`; a kind's own module takes `ResourceOf<'person'>`.
 */
export interface ResourceOf<K extends ResourceKind> {
  address: Address;
  kind: K;
  key: string;
  /**
   * Where the resource's key is written. Computed when read (it parses the
   * file's syntax tree, once per file), so a run that never asks pays nothing.
   */
  readonly source: SourceLocation;
  /**
   * The fields as written (Paxos API names), after interpolation, with kind
   * defaults applied and the derived `ref_id` or `nickname` filled in.
   * Addresses stay addresses; `references` lists where they are.
   */
  fields: Readonly<ResourceFieldsByKind[K]>;
  /** The key Paxos knows it by (ref_id or nickname), when the kind has one. */
  remoteKey?: { field: string; value: string };
  references: readonly ResourceReference[];
  /** Resources that must exist (and finish) before this one; deterministic order. */
  dependsOn: readonly Address[];
  /**
   * JSON pointers into `fields` of values that came from `${env:}`/`${file:}`:
   * secrets or PII by definition, to be masked wherever they are shown.
   */
  sensitivePaths: readonly string[];
}

/** Any resource; checking `kind` narrows `fields`. */
export type Resource = { [K in ResourceKind]: ResourceOf<K> }[ResourceKind];

export interface Model {
  environment: Environment;
  options: ManifestOptions;
  /** Every resource, in file order then document order. */
  resources: ReadonlyMap<Address, Resource>;
  /** The manifest files read, absolute, in the order read. */
  files: readonly string[];
  /**
   * Every value `${env:}`/`${file:}` substituted, as read: what no output may
   * hold (renderers and messages are checked against it). Absent for a model
   * built in memory without interpolation.
   */
  interpolatedValues?: ReadonlySet<string>;
}
