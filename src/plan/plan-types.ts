/**
 * The plan is pure data (STYLE.md habit 1): `buildPlan(model, world)` returns
 * it without I/O; renderers print it; `--out` saves it; `apply` executes it.
 * Everything here is JSON-serialisable and holds no secret and no unmasked PII.
 */
import type { Address, ResourceKind } from '../manifest/kinds.js';
import type { Environment } from '../manifest/options.js';

/**
 * - `create`: not found remotely; will be created.
 * - `adopt`: found remotely by its natural key (or, under `on_cip_id_conflict: adopt`,
 *   by its cip tuple) and matching; its ids are taken as they are.
 * - `update`: found, with drift in fields the API can update (`changes`).
 * - `approve`: found PENDING; sandbox-status will approve it (`approval: sandbox`).
 * - `wait`: found, waiting on something outside our control (a Paxos decision, an order fill).
 * - `noop`: found and converged.
 * - `blocked`: cannot proceed (`reason`): a cip tuple owned by another identity under
 *   `fail`, an immutable field changed, a dependency blocked, a DENIED identity.
 */
export type PlanAction = 'create' | 'adopt' | 'update' | 'approve' | 'wait' | 'noop' | 'blocked';

export const planActions: readonly PlanAction[] = ['create', 'adopt', 'update', 'approve', 'wait', 'noop', 'blocked'];

/** One field difference between the manifest and the remote record. */
export interface FieldChange {
  /** JSON pointer into the resource's fields, e.g. `/address/city`. */
  path: string;
  /** Remote value (masked when sensitive); absent when the remote lacks the field. */
  before?: unknown;
  /** Desired value (masked when sensitive); absent when the manifest drops the field. */
  after?: unknown;
  /** False for fields the API cannot change: the change blocks the step. */
  updatable: boolean;
  /** The value is PII or came from `${env:}`/`${file:}`; `before`/`after` are masked unless shown on request. */
  sensitive: boolean;
}

export interface PlanStep {
  address: Address;
  kind: ResourceKind;
  action: PlanAction;
  /**
   * What follows the main action in the same run: an identity created or
   * adopted while PENDING is then approved (`approval: sandbox`) or waited for
   * (`wait`); a MARKET order created with `await_fill` is waited for.
   */
  then?: Array<'approve' | 'wait'>;
  /** The Paxos id when the object exists remotely. */
  remoteId?: string;
  /** Remote status when known (`PENDING`, `APPROVED`, `FILLED`, ...). */
  remoteStatus?: string;
  /** The remote key it is found by: `ref_id=seed-person-alice`, `nickname=...`. */
  remoteKey?: string;
  /** What it is, in a few words a reviewer needs and no PII: `10000 USD`, `BUY ETHUSD MARKET, spend 2000`. */
  description?: string;
  /** For `update` (and `blocked` by an immutable change): the differences. */
  changes?: FieldChange[];
  /** For `blocked`: why, in words the user can act on (PII masked). */
  reason?: string;
  /** For `blocked` by a dependency: the address that blocks it. */
  blockedBy?: Address;
  /** Things the user should know that do not stop the step (an adopted cip conflict). */
  warnings?: string[];
  dependsOn: Address[];
}

/** A stable digest of the remote state the plan saw; `apply plan.json` refuses a plan whose fingerprint no longer matches. */
export type RemoteFingerprint = string;

/**
 * The plan's counts, the one set every format prints under these names (text
 * and Markdown say `3 create`, `then 2 approve`; JSON holds the same numbers
 * under the same keys), so a reviewer comparing a comment with a CI log sees
 * the same numbers.
 */
export interface PlanSummary {
  /**
   * Count of steps per action, every action present (0 when none). `blocked`
   * counts only the steps blocked by themselves (a conflict, an immutable
   * change, production); a step blocked because of a dependency is `skipped`,
   * as apply reports it.
   */
  byAction: Record<PlanAction, number>;
  /** Steps with action `blocked` and a `blockedBy`: they will not run because something below them cannot. */
  skipped: number;
  /** Approvals and waits that follow a create or an adopt in the same run (`then`), not counted in `byAction`. */
  then: { approve: number; wait: number };
  /** Remote objects of the manifest's making it no longer declares (`orphans`): changes, which `apply --prune` removes. */
  orphan: number;
  /** True when any step is not `noop`, or there are orphans: what `--detailed-exitcode` answers 2 for. */
  hasChanges: boolean;
}

/**
 * A remote object that carries the manifest's `ref_id_prefix` (a profile:
 * its nickname) but that no resource declares any more, still up (an open
 * order, an active profile, an enabled account or identity). Deposits have
 * no key in the API, so a deposit dropped from the manifest is never one.
 */
export interface PlanOrphan {
  kind: ResourceKind;
  /** `ref_id=seed-order-old`, `nickname=seed-book`. */
  remoteKey: string;
  remoteId: string;
  remoteStatus?: string;
  /** What `apply --prune` or `destroy` does to it. */
  teardown: 'cancel' | 'deactivate' | 'disable';
}

export interface Plan {
  /** The shape's version: consumers of `--format json` and saved plans check it. */
  formatVersion: 1;
  createdAt: string;
  /** The target the plan was made against (no credentials). */
  target: { kind: 'local' | 'sandbox' | 'production' | 'url'; environment: Environment; apiUrl: string };
  manifest: {
    environment: Environment;
    /** Manifest files, relative to the working directory when planned. */
    files: string[];
    /** sha256 over the normalised model, so a saved plan refuses a changed manifest. */
    digest: string;
  };
  remoteFingerprint: RemoteFingerprint;
  /** Every resource of the manifest, in dependency order. */
  steps: PlanStep[];
  /** Orphans, kinds in manifest order (persons first); present when there are some. */
  orphans?: PlanOrphan[];
  summary: PlanSummary;
  /**
   * Present (true) only on a plan built with `showSensitive`: it holds raw PII,
   * so it may be shown to the user who asked but never saved or posted.
   */
  sensitiveShown?: true;
  /** What refresh cost: API calls in total and per kind. */
  refresh: {
    calls: number;
    callsByKind: Partial<Record<ResourceKind, number>>;
    /** Requests repeated after a 5xx or a lost connection; present when any were. */
    retries?: number;
    /** 429 answers received (a paced run receives none); present when any came. */
    rateLimited?: number;
    /** Present (true) when every identity was read in full (`--deep`): applying a saved plan refreshes the same way. */
    deep?: true;
  };
}
