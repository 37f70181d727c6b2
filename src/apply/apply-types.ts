/**
 * The contract of `src/apply/`: what an apply reports while it runs (events,
 * for the progress renderers) and what it returns (outputs, summary). All of
 * it is JSON-serialisable and holds no secret and no PII: ids, statuses,
 * addresses and masked reasons only.
 */
import type { Address, ResourceKind } from '../manifest/kinds.js';
import type { ClientStats, Target } from '../paxos/types.js';
import type { TeardownResult } from './execute-teardown.js';
import type { Plan, PlanAction } from '../plan/plan-types.js';

/**
 * How a resource ended in this run:
 * - `created`, `adopted`, `updated`: what the run did to it (adopted: found
 *   remotely — by its key after a lost answer, by its cip tuple, or a deposit
 *   reconciled from the journal — and taken as it is);
 * - `unchanged`: it was converged already (its plan step was `noop`, or only
 *   an approval or wait was left to do);
 * - `failed`: a call or a wait failed (`error`);
 * - `blocked`: the plan blocked it (`reason`);
 * - `skipped`: something it depends on failed or was blocked (`blockedBy`).
 */
export type ApplyOutcome = 'created' | 'adopted' | 'updated' | 'unchanged' | 'failed' | 'blocked' | 'skipped';

/** What a node is doing when it is not just sending its main call. */
export type ApplyPhase = 'approving' | 'waiting-for-approval' | 'waiting-for-fill' | 'waiting-for-funds' | 'reconciling';

/** A failure, as printed: a stable code and a message with PII masked. */
export interface ApplyFailure {
  code: string;
  message: string;
}

/** One resource in the outputs: its Paxos ids and where it ended. No PII. */
export interface ResourceOutput {
  kind: ResourceKind;
  /** The Paxos id of the object itself (its identity, account, profile, order or transfer id), when it exists. */
  id?: string;
  /** Paxos ids by name: `identity_id`, `account_id`, `profile_id`, `order_id`, `transfer_id`. */
  ids: Record<string, string>;
  /** `summary_status` of an identity, `status` of an order or transfer, when known. */
  status?: string;
  outcome: ApplyOutcome;
  /** True when this run created it (false: it existed, or was adopted). */
  created: boolean;
  /** True when this run adopted it (found remotely and taken as it is). */
  adopted: boolean;
  /** For `failed`, `blocked` and `skipped`: why. */
  error?: ApplyFailure;
  /** For `skipped`: the dependency that failed or was blocked. */
  blockedBy?: Address;
  /** What the user should know that did not stop it (masked). */
  warnings?: string[];
}

/** `--outputs outputs.json`, and what the library's `apply` returns as `outputs`. */
export interface ApplyOutputs {
  kind: 'paxos-onboard-outputs';
  formatVersion: 1;
  /** RFC 3339, when the run ended. */
  appliedAt: string;
  target: { kind: Target['kind']; environment: Target['environment']; apiUrl: string };
  /** Every address of the manifest, in plan (dependency) order. */
  resources: Record<Address, ResourceOutput>;
}

export interface ApplySummary {
  /** Count of resources per outcome, every outcome present. */
  byOutcome: Record<ApplyOutcome, number>;
  /** True when anything failed, was blocked or skipped: the CLI exits 1. */
  failed: boolean;
  /** Wall time of the execution (after the plan), milliseconds. */
  elapsedMs: number;
  /** API calls of the whole run (refresh included), 429s received, retries. */
  calls: number;
  callsByClass: Record<string, number>;
  rateLimited: number;
  retries: number;
  /** API calls that were writes (POST, PUT, DELETE): 0 on a converged re-run. */
  writes: number;
}

export interface ApplyResult {
  plan: Plan;
  /** With `prune`: what became of the plan's orphans, torn down after the apply. */
  pruned?: TeardownResult;
  outputs: ApplyOutputs;
  summary: ApplySummary;
  /** Warnings of the run (PII masked), in the order they came. */
  warnings: string[];
  /** The client's counters at the end (the bench reads them). */
  stats: ClientStats;
}

/**
 * What the executor reports, in order, for the progress renderers (listr2 on
 * a terminal, timestamped lines otherwise, JSON lines with `--format json`).
 * `at` is RFC 3339. Every resource gets exactly one `start` (unless it is
 * blocked or skipped without starting) and exactly one final event:
 * `done`, `failed`, `blocked` or `skipped`.
 */
export type ApplyEvent =
  | { type: 'run-start'; at: string; target: string; total: number; byKind: Partial<Record<ResourceKind, number>>; concurrency: number }
  | { type: 'start'; at: string; address: Address; kind: ResourceKind; action: PlanAction; description?: string }
  | { type: 'phase'; at: string; address: Address; kind: ResourceKind; phase: ApplyPhase }
  | { type: 'done'; at: string; address: Address; kind: ResourceKind; outcome: 'created' | 'adopted' | 'updated' | 'unchanged'; ids: Record<string, string>; status?: string; detail?: string }
  | { type: 'failed'; at: string; address: Address; kind: ResourceKind; error: ApplyFailure }
  | { type: 'blocked'; at: string; address: Address; kind: ResourceKind; reason: string }
  | { type: 'skipped'; at: string; address: Address; kind: ResourceKind; reason: string; blockedBy: Address }
  | { type: 'warning'; at: string; address?: Address; message: string }
  | { type: 'run-end'; at: string; summary: ApplySummary };

export type ApplyEventListener = (event: ApplyEvent) => void;
