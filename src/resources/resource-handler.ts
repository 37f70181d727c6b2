/**
 * One interface for every resource kind (DESIGN.md "Architecture"): its reads,
 * how it compares with the remote, and the calls that create, adopt, update or
 * approve it. `src/resources/<kind>.ts` implements it once per kind; the
 * planner and the executor reach a kind only through `handlerFor(kind)` and
 * never name one.
 */
import { PaxosOnboardError } from '../errors.js';
import type { Address, ResourceKind } from '../manifest/kinds.js';
import type { Model, ResourceOf } from '../manifest/model.js';
import type { PaxosClient } from '../paxos/types.js';
import type { PlanStep } from '../plan/plan-types.js';

/** What refresh found remotely for one address. */
export interface RemoteObject {
  /** The Paxos id of the object itself (identity, account, profile, order, transfer). */
  id: string;
  /** The record as the API answered it (JSON), for diffing. Never printed unmasked. */
  record: Readonly<Record<string, unknown>>;
  /** Ids a user or a dependent needs, by Paxos name: `identity_id`, `account_id`, `profile_id`, `order_id`. */
  ids: Readonly<Record<string, string>>;
  /** `summary_status` of an identity, `status` of an order or transfer. */
  status?: string;
  /**
   * How it was found: by its remote key (`ref_id`/`nickname`); by its cip tuple
   * under another ref_id (only with `on_cip_id_conflict: adopt`); or, for a
   * deposit, as one unclaimed matching transfer of its profile, or by the
   * ledger the tool keeps in the owning account's metadata (`deposit-ledger.ts`).
   */
  matchedBy: 'remote-key' | 'cip' | 'transfer-match' | 'ledger';
}

/** The remote world as far as the manifest is concerned, filled by refresh kind by kind. */
export interface RemoteWorld {
  byAddress: Map<Address, RemoteObject>;
  /**
   * Identities of the manifest that Paxos does not have under their ref_id
   * but whose (cip_id, type, country) another identity already holds: the
   * owner, for `blocked` (policy `fail`) or adoption (policy `adopt`).
   */
  cipOwners: Map<Address, RemoteObject>;
  /**
   * Remote objects that carry the manifest's `ref_id_prefix` (profiles: their
   * nickname) but that no resource declares any more: the plan's orphans,
   * what `apply --prune` tears down. Filled by refresh after every kind.
   */
  strays?: StrayObject[];
}

/** An object of this manifest's making that the manifest no longer declares. */
export interface StrayObject {
  kind: ResourceKind;
  /** The key it was made under: `ref_id=acme-order-x`, `nickname=acme-book`. */
  remoteKey: string;
  remote: RemoteObject;
}

/** What tearing one object down takes: its call (`cancel`, `deactivate`, `disable`), or nothing when it is down already. */
export interface TeardownDraft {
  action: 'cancel' | 'deactivate' | 'disable' | 'noop';
  /** Why nothing is done, or what a reviewer should know (a MARKET order cannot be cancelled). */
  reason?: string;
}

/** What a teardown did: `kept` when Paxos does not allow it (a profile holding a balance), with why. */
export interface TornDown {
  outcome: 'torn-down' | 'kept';
  detail?: string;
}

/** What a teardown call needs: the client, and where to record warnings. */
export interface TeardownContext {
  client: PaxosClient;
  warn(message: string): void;
}

export interface RefreshContext {
  client: PaxosClient;
  model: Model;
  /** Kinds refresh in `resourceKinds` order, so a kind sees its dependencies' remote ids. */
  world: RemoteWorld;
  /** A read shared by several kinds, made once per refresh (persons and institutions share the identity listing). */
  shared<T>(key: string, read: () => Promise<T>): Promise<T>;
  /**
   * Read every object in full, even where a cheaper read says it is unchanged
   * (identities: GET each one's details rather than trusting the digest the
   * tool wrote in its metadata), to see changes made outside the tool.
   */
  deep: boolean;
}

export interface PlanContext {
  model: Model;
  world: RemoteWorld;
  /** The step planned for an address earlier in dependency order. */
  stepOf(address: Address): PlanStep | undefined;
  /** Show PII and `${env:}`/`${file:}` values in `changes` and `reason` unmasked (`--show-sensitive`). */
  showSensitive: boolean;
}

/** A kind's verdict on one resource; the planner adds address, kind, dependencies and dependency blocking. */
export type StepDraft = Omit<PlanStep, 'address' | 'kind' | 'dependsOn'>;

export interface ApplyContext {
  client: PaxosClient;
  model: Model;
  /** The remote object of an address already applied or adopted (every dependency is). */
  remoteOf(address: Address): RemoteObject;
  /** Records a warning for the run summary (PII masked by the caller). */
  warn(message: string): void;
  /**
   * One object per run under `key`, made by `make` on first use: what several
   * resources of a kind share while the run lasts (the identities' decision
   * watcher, which reads the events feed once per poll for all of them).
   */
  shared<T>(key: string, make: () => T): T;
  /** How often a wait reads the remote again (a decision, a fill), milliseconds. */
  pollIntervalMs: number;
  /**
   * How long a listing may lag the write that made an object (a sandbox
   * deposit's transfer): before that, absence from a listing proves nothing.
   */
  listingLagMs: number;
  /** When the run started: what a wait reads events after (less a margin for clock skew). */
  startedAt: Date;
  /** True when the object with this Paxos id already stands for some address of this run (a deposit reconciling must not take it). */
  isClaimed(id: string): boolean;
  /** Takes the object with this id for this address; false when another address of the run has it already. */
  claim(id: string): boolean;
  /** Tells the progress display what this resource is doing now (approving, waiting). */
  phase(phase: 'approving' | 'waiting-for-approval' | 'waiting-for-fill' | 'waiting-for-funds' | 'reconciling'): void;
}

/** A wait that ended where it must not (DENIED, REJECTED): carries the object as it now stands, for the outputs. */
export class SettleError extends PaxosOnboardError {
  readonly remote: RemoteObject;

  constructor(code: string, message: string, remote: RemoteObject) {
    super(code, message);
    this.name = 'SettleError';
    this.remote = remote;
  }
}

/** A settled object, with what the user should see of how it settled (`filled 0.5 ETH at 2000.00`). */
export interface Settled {
  remote: RemoteObject;
  detail?: string;
}

export interface Applied {
  remote: RemoteObject;
  outcome: 'created' | 'adopted' | 'updated';
}

export interface ResourceHandler<K extends ResourceKind = ResourceKind> {
  readonly kind: K;
  /**
   * The Paxos operations (spec operationIds) the kind sends: `read` by
   * refresh, `write` by create, adopt, update, approve and settle. The
   * token's scopes are derived from them (`scopes.ts`), so a run asks for
   * what its kinds need and nothing more.
   */
  readonly operations: { readonly read: readonly string[]; readonly write: readonly string[]; readonly teardown?: readonly string[] };
  /**
   * JSON pointers (into a resource's fields) of PII this kind always holds,
   * `*` matching one segment: `/cip_id`, `/date_of_birth`, `/tax_details/*\/tax_payer_id`.
   * Masked in every output unless the user asks to see them.
   */
  readonly sensitiveFields: readonly string[];
  /**
   * Reads the remote objects of all `resources` into `context.world`, with as
   * few calls as the API allows: list endpoints with filters and cursors,
   * never a GET per resource where a list serves.
   */
  refresh(resources: ReadonlyArray<ResourceOf<K>>, context: RefreshContext): Promise<void>;
  /** A few words a reviewer needs to recognise the resource when it has no key of its own (amounts, markets); no PII. */
  describe?(resource: ResourceOf<K>): string;
  /** Pure: the step for one resource given what refresh found. */
  planStep(resource: ResourceOf<K>, context: PlanContext): StepDraft;
  /** Creates it, adopting `meta.existing.id` on a 409 of its natural key (and of its cip tuple under `adopt`). */
  create(resource: ResourceOf<K>, context: ApplyContext): Promise<Applied>;
  /**
   * Takes over an object found for an `adopt` step, when the kind has
   * something to record (identities: the digest the tool keeps in their
   * metadata, so the next refresh needs no GET for them). Kinds without it
   * adopt by taking the remote object as it is.
   */
  adopt?(resource: ResourceOf<K>, remote: RemoteObject, context: ApplyContext): Promise<Applied>;
  /** Sends the updatable changes of an `update` step. */
  update?(resource: ResourceOf<K>, step: PlanStep, context: ApplyContext): Promise<Applied>;
  /**
   * Asks the sandbox to approve a PENDING object (identities: sandbox-status).
   * Returns the object as it stands; `settle` waits for the decision.
   */
  approve?(resource: ResourceOf<K>, remote: RemoteObject, context: ApplyContext): Promise<RemoteObject>;
  /**
   * Waits until the object is where its dependents need it (an identity's
   * Paxos decision, an order's fill), reading the remote every
   * `context.pollIntervalMs`. Throws a `PaxosOnboardError` when it settles
   * where it must not (DENIED, REJECTED) or does not settle in time.
   */
  settle?(resource: ResourceOf<K>, remote: RemoteObject, context: ApplyContext): Promise<Settled>;
  /**
   * Kinds with no remote key (deposits): finds the object a create whose
   * answer was lost may have made at or after `since` and that no other
   * address claims. A kind that has it gets its creates journaled: an intent
   * is written before the call, and an intent left open (a crash, a lost
   * answer) is reconciled through this before anything is sent again.
   */
  reconcile?(resource: ResourceOf<K>, since: Date, context: ApplyContext): Promise<RemoteObject | undefined>;
  /**
   * Why a trade that depends on an object of this kind in `status` could not
   * be placed (an identity that is not APPROVED), or undefined when it can.
   * `id` is undefined for an object still to be created.
   */
  tradeBlocker?(status: string | undefined, id: string | undefined): string | undefined;
  /** The status Paxos gives a new object of this kind (identities start PENDING): what the plan expects after a create. */
  readonly createdStatus?: string;
  /**
   * Objects of this kind whose remote key starts with the manifest's prefix
   * and that no resource of `context.model` claims, from the listings refresh
   * reads anyway (shared through `context.shared`), never a read per object.
   * Only objects still up are returned (open orders, active profiles,
   * enabled accounts and identities): what is down already is history.
   */
  findStrays?(prefix: string, context: RefreshContext): Promise<StrayObject[]>;
  /** Pure: what tearing `remote` down takes. Kinds without it (deposits: no key, no undo) are never torn down. */
  planTeardown?(remote: RemoteObject): TeardownDraft;
  /** Tears `remote` down as `draft` says (reverse dependency order is the caller's). */
  teardown?(remote: RemoteObject, draft: TeardownDraft, context: TeardownContext): Promise<TornDown>;
}
