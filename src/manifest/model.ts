/**
 * The normalised manifest: what every stage after validation reads. Built
 * once from the written shape, with defaults applied, derived remote keys
 * filled in and references checked; later stages never see raw YAML.
 */
import type { Address, ResourceKind } from './kinds.js';
import type { Environment, ManifestOptions } from './options.js';

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

export interface Resource {
  address: Address;
  kind: ResourceKind;
  key: string;
  /** Where the resource's key is written. */
  source: SourceLocation;
  /**
   * The fields as written (Paxos API names), after interpolation, with kind
   * defaults applied and the derived `ref_id` or `nickname` filled in.
   * Addresses stay addresses; `references` lists where they are.
   */
  fields: Readonly<Record<string, unknown>>;
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

export interface Model {
  environment: Environment;
  options: ManifestOptions;
  /** Every resource, in file order then document order. */
  resources: ReadonlyMap<Address, Resource>;
  /** The manifest files read, absolute, in the order read. */
  files: readonly string[];
}
