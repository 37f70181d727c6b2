/**
 * The executor: runs a plan's steps as a dependency graph (DESIGN.md
 * "Performance model"). Each resource starts the moment what it depends on
 * is ready — no waves — with at most `concurrency` resources sending at once
 * and the client's pacer keeping each rate class under its limit.
 *
 * A resource is ready for its dependents in two stages: `made` once it exists
 * and has its ids (an account needs only its identity's id), and `settled`
 * once its waits are over (approval, fill). Kinds that trade wait for
 * everything they depend on, directly or not, to settle: only APPROVED
 * identities buy. A failure stops only what depends on it; the rest goes on.
 * The executor reaches kinds only through their handlers and names none.
 */
import pLimit from 'p-limit';
import { isPaxosOnboardError, PaxosOnboardError } from '../errors.js';
import { needsSettledDependencies, resourceKinds, type Address, type ResourceKind } from '../manifest/kinds.js';
import type { Model, ResourceOf } from '../manifest/model.js';
import type { PaxosClient } from '../paxos/types.js';
import { isSensitivePath, maskValue } from '../plan/mask.js';
import type { Plan, PlanStep } from '../plan/plan-types.js';
import { transitiveDependencies } from '../graph/transitive-dependencies.js';
import { handlerFor } from '../resources/index.js';
import { SettleError, type Applied, type ApplyContext, type RemoteObject, type RemoteWorld, type ResourceHandler, type Settled } from '../resources/resource-handler.js';
import type { ApplyEventListener, ApplyFailure, ApplyPhase, ResourceOutput } from './apply-types.js';
import { createJournaledCreate } from './journaled-create.js';
import type { Journal } from './journal.js';

export interface ExecutePlanOptions {
  client: PaxosClient;
  model: Model;
  plan: Plan;
  /** What refresh found: the remote objects of steps that need no create. */
  world: RemoteWorld;
  concurrency: number;
  pollIntervalMs: number;
  /** How long a listing may lag a deposit (`ApplyContext.listingLagMs`). */
  listingLagMs: number;
  journal: Journal;
  onEvent?: ApplyEventListener;
  /** Aborted: start nothing more, stop waiting. */
  signal?: AbortSignal;
  /** When the remote was read: waits read decisions made after it (default: now). */
  since?: Date;
}

export interface Execution {
  resources: Map<Address, ResourceOutput>;
  warnings: string[];
  elapsedMs: number;
}

/** Why a resource did not finish, carried to its dependents. */
class StepStopped extends Error {
  constructor(
    readonly address: Address,
    readonly outcome: 'failed' | 'blocked' | 'skipped',
  ) {
    super(`${address} ${outcome}`);
  }
}

type AnyHandler = ResourceHandler<ResourceKind>;

/** What a step's main action did: a handler's `Applied`, or nothing for a step that only approves or waits. */
interface MainResult {
  remote: RemoteObject;
  outcome: Applied['outcome'] | 'unchanged';
}

export async function executePlan(options: ExecutePlanOptions): Promise<Execution> {
  const { client, model, plan, world } = options;
  const startedAt = options.since ?? new Date();
  const limit = pLimit(options.concurrency);
  const remotes = new Map<Address, RemoteObject>(world.byAddress);
  const claimed = new Set([...world.byAddress.values()].map((remote) => remote.id));
  const resources = new Map<Address, ResourceOutput>();
  const warnings: string[] = [];
  const sharedObjects = new Map<string, unknown>();
  const steps = new Map(plan.steps.map((step) => [step.address, step]));
  const made = new Map<Address, Promise<RemoteObject>>();
  const settled = new Map<Address, Promise<void>>();
  const emit: ApplyEventListener = (event) => options.onEvent?.(event);
  const now = () => new Date().toISOString();
  const warningsOf = new Map<Address, string[]>();
  const warn = (message: string, address?: Address) => {
    warnings.push(message);
    if (address !== undefined) warningsOf.set(address, [...(warningsOf.get(address) ?? []), message]);
    emit({ type: 'warning', at: now(), ...(address !== undefined ? { address } : {}), message });
  };

  const contextFor = (step: PlanStep): ApplyContext => ({
    client,
    model,
    remoteOf(address) {
      const remote = remotes.get(address);
      if (!remote) throw new Error(`${step.address}: ${address} has no remote object yet`);
      return remote;
    },
    warn: (message) => warn(message, step.address),
    shared<T>(key: string, make: () => T): T {
      if (!sharedObjects.has(key)) sharedObjects.set(key, make());
      return sharedObjects.get(key) as T;
    },
    pollIntervalMs: options.pollIntervalMs,
    listingLagMs: options.listingLagMs,
    startedAt,
    isClaimed: (id) => claimed.has(id),
    claim(id) {
      if (claimed.has(id)) return false;
      claimed.add(id);
      return true;
    },
    phase: (phase: ApplyPhase) => emit({ type: 'phase', at: now(), address: step.address, kind: step.kind, phase }),
  });
  const journaledCreate = createJournaledCreate(options.journal);
  /** What the main action did to each resource, for its output. */
  const outcomes = new Map<Address, MainResult['outcome']>();

  const record = (address: Address, output: ResourceOutput) => {
    const noted = warningsOf.get(address);
    resources.set(address, noted ? { ...output, warnings: noted } : output);
  };

  const stop = (step: PlanStep, outcome: 'failed' | 'blocked' | 'skipped', error: ApplyFailure, blockedBy?: Address): never => {
    // What the run did before it stopped still counts: a person created and then DENIED was created.
    const did = outcomes.get(step.address);
    const known = remotes.get(step.address);
    record(step.address, { kind: step.kind, ...(known ? { id: known.id } : {}), ids: known?.ids ?? {}, ...statusOf(known), outcome, created: did === 'created', adopted: did === 'adopted', error, ...(blockedBy !== undefined ? { blockedBy } : {}) });
    if (outcome === 'failed') emit({ type: 'failed', at: now(), address: step.address, kind: step.kind, error });
    else if (outcome === 'blocked') emit({ type: 'blocked', at: now(), address: step.address, kind: step.kind, reason: error.message });
    else emit({ type: 'skipped', at: now(), address: step.address, kind: step.kind, reason: error.message, blockedBy: blockedBy ?? step.address });
    throw new StepStopped(step.address, outcome);
  };

  /** Waits for the dependencies; a stopped one stops this step, naming it. */
  const awaitDependencies = async (step: PlanStep, trades: boolean): Promise<void> => {
    const waits = step.dependsOn.map((address) => (trades ? settledOf(address) : madeOf(address)));
    const results = await Promise.allSettled(waits);
    const index = results.findIndex((result) => result.status === 'rejected');
    if (index < 0) return;
    const cause = (results[index] as PromiseRejectedResult).reason as unknown;
    const direct = step.dependsOn[index] as Address;
    // A trade waits on everything below it settling: the one that stopped may be further down than its direct dependency.
    const stopped = cause instanceof StepStopped ? cause.address : direct;
    const what = cause instanceof StepStopped ? { failed: 'failed', blocked: 'is blocked', skipped: 'was skipped' }[cause.outcome] : 'failed';
    const through = stopped === direct ? '' : ` (through ${direct})`;
    stop(step, 'skipped', { code: 'apply.dependency_stopped', message: `depends on ${stopped}${through}, which ${what}` }, stopped);
  };

  const stopIfInterrupted = (step: PlanStep): void => {
    if (options.signal?.aborted) stop(step, 'skipped', { code: 'apply.interrupted', message: 'interrupted before it started: run apply again to go on' });
  };
  /** Rejects once the run is interrupted: one promise for every wait, so the signal gets one listener however many wait. */
  const interrupted = new Promise<never>((_resolve, reject) => {
    const signal = options.signal;
    if (!signal) return;
    const abort = () => reject(new PaxosOnboardError('apply.interrupted', 'interrupted while waiting: run apply again to go on waiting'));
    if (signal.aborted) abort();
    else signal.addEventListener('abort', abort, { once: true });
  });
  interrupted.catch(() => undefined);
  /** A wait ends when the run is interrupted; what it waited for goes on at Paxos and the next run sees it. */
  const untilInterrupted = <T>(wait: Promise<T>): Promise<T> => {
    // The wait itself ends later (its poll fails once the client closes): nobody listens then.
    wait.catch(() => undefined);
    return Promise.race([wait, interrupted]);
  };

  /**
   * For a trade: everything it rests on must be able to trade now. The plan
   * already blocks what it can foresee (approval: none); this catches a wait
   * that settled where no trade is allowed (an identity DISABLED meanwhile).
   */
  const checkTradeBlockers = (step: PlanStep): void => {
    for (const address of transitiveDependencies(model, step.address)) {
      const dependency = steps.get(address);
      const remote = remotes.get(address);
      if (!dependency || !remote) continue;
      const reason = (handlerFor(dependency.kind) as AnyHandler).tradeBlocker?.(remote.status, remote.id);
      if (reason !== undefined) stop(step, 'skipped', { code: 'apply.not_tradable', message: `depends on ${address}: ${reason}` }, address);
    }
  };

  const runStep = async (step: PlanStep): Promise<RemoteObject> => {
    const resource = model.resources.get(step.address) as ResourceOf<ResourceKind> | undefined;
    if (!resource) throw new Error(`${step.address} is in the plan but not in the manifest`);
    if (step.action === 'blocked') {
      if (step.blockedBy !== undefined) stop(step, 'skipped', { code: 'plan.blocked', message: step.reason ?? 'blocked' }, step.blockedBy);
      stop(step, 'blocked', { code: 'plan.blocked', message: step.reason ?? 'blocked by the plan' });
    }
    const needsSettled = needsSettledDependencies(step.kind);
    await awaitDependencies(step, needsSettled);
    if (needsSettled && step.action === 'create') checkTradeBlockers(step);
    const handler = handlerFor(step.kind) as AnyHandler;
    const context = contextFor(step);
    stopIfInterrupted(step);
    const changes = step.action !== 'noop';
    if (changes) emit({ type: 'start', at: now(), address: step.address, kind: step.kind, action: step.action, ...(step.description !== undefined ? { description: step.description } : {}) });
    for (const warning of step.warnings ?? []) warn(warning, step.address);
    try {
      const applied = await limit(() => {
        stopIfInterrupted(step);
        return mainAction(step, resource, handler, context);
      });
      remotes.set(step.address, applied.remote);
      claimed.add(applied.remote.id);
      outcomes.set(step.address, applied.outcome);
      return applied.remote;
    } catch (error) {
      if (error instanceof StepStopped) throw error;
      return stop(step, 'failed', toFailure(error, resource, handler));
    }
  };

  const mainAction = async (step: PlanStep, resource: ResourceOf<ResourceKind>, handler: AnyHandler, context: ApplyContext): Promise<MainResult> => {
    const found = remotes.get(step.address);
    switch (step.action) {
      case 'create':
        return handler.reconcile ? journaledCreate(step, resource, handler, context) : handler.create(resource, context);
      case 'adopt':
        if (!found) throw new Error(`${step.address}: an adopt step without the remote object refresh found`);
        return handler.adopt ? handler.adopt(resource, found, context) : { remote: found, outcome: 'adopted' };
      case 'update':
        if (!handler.update) throw new Error(`${step.address}: the ${step.kind} kind cannot update`);
        return handler.update(resource, step, context);
      default:
        if (!found) throw new Error(`${step.address}: a ${step.action} step without the remote object refresh found`);
        if (handler.reconcile) await journaledCreate.resolveOpen(step, resource, found, context);
        return { remote: found, outcome: 'unchanged' };
    }
  };

  /** Approval and waits, outside the concurrency limit: a wait holds no connection. */
  const settleStep = async (step: PlanStep, remote: RemoteObject): Promise<Settled> => {
    const resource = model.resources.get(step.address) as ResourceOf<ResourceKind>;
    const handler = handlerFor(step.kind) as AnyHandler;
    const context = contextFor(step);
    const approves = step.action === 'approve' || step.then?.includes('approve') === true;
    const waits = approves || step.action === 'wait' || step.then?.includes('wait') === true;
    let current = remote;
    try {
      if (approves && handler.approve) {
        if (options.signal?.aborted) throw new PaxosOnboardError('apply.interrupted', 'interrupted before its approval was asked: run apply again to go on');
        context.phase('approving');
        const approve = handler.approve.bind(handler);
        current = await limit(() => approve(resource, current, context));
        remotes.set(step.address, current);
      }
      if (waits && handler.settle) {
        if (options.signal?.aborted) throw new PaxosOnboardError('apply.interrupted', 'interrupted before its wait: run apply again to go on waiting');
        const result = await untilInterrupted(handler.settle(resource, current, context));
        remotes.set(step.address, result.remote);
        return result;
      }
      return { remote: current };
    } catch (error) {
      if (error instanceof SettleError) remotes.set(step.address, error.remote);
      return stop(step, 'failed', toFailure(error, resource, handler));
    }
  };

  function madeOf(address: Address): Promise<RemoteObject> {
    let promise = made.get(address);
    if (!promise) {
      const step = steps.get(address);
      if (!step) throw new Error(`${address} is not in the plan`);
      promise = runStep(step);
      made.set(address, promise);
    }
    return promise;
  }

  /** Made, its own waits over, and the same for everything it depends on. */
  function settledOf(address: Address): Promise<void> {
    let promise = settled.get(address);
    if (!promise) {
      const step = steps.get(address);
      if (!step) throw new Error(`${address} is not in the plan`);
      promise = (async () => {
        await finishOf(address);
        await Promise.all(step.dependsOn.map(settledOf));
      })();
      settled.set(address, promise);
    }
    return promise;
  }

  const finished = new Map<Address, Promise<void>>();
  function finishOf(address: Address): Promise<void> {
    let promise = finished.get(address);
    if (!promise) {
      const step = steps.get(address) as PlanStep;
      promise = (async () => {
        const result = await settleStep(step, await madeOf(address));
        const outcome = outcomes.get(address) ?? 'unchanged';
        record(address, { kind: step.kind, id: result.remote.id, ids: result.remote.ids, ...statusOf(result.remote), outcome, created: outcome === 'created', adopted: outcome === 'adopted' });
        emit({ type: 'done', at: now(), address, kind: step.kind, outcome, ids: result.remote.ids, ...statusOf(result.remote), ...(result.detail !== undefined ? { detail: result.detail } : {}) });
      })();
      finished.set(address, promise);
    }
    return promise;
  }

  const started = performance.now();
  emit({ type: 'run-start', at: now(), target: client.target.description, total: plan.steps.length, byKind: countByKind(plan.steps), concurrency: options.concurrency });
  await Promise.allSettled(plan.steps.map((step) => finishOf(step.address)));
  const elapsedMs = performance.now() - started;
  return { resources: ordered(plan, resources), warnings, elapsedMs };
}

function statusOf(remote: RemoteObject | undefined): { status?: string } {
  return remote?.status !== undefined ? { status: remote.status } : {};
}

function ordered(plan: Plan, resources: Map<Address, ResourceOutput>): Map<Address, ResourceOutput> {
  return new Map(plan.steps.flatMap((step) => {
    const output = resources.get(step.address);
    return output ? [[step.address, output] as const] : [];
  }));
}

/** Resources per kind, kinds in their manifest order (persons first), so displays group them that way. */
function countByKind(steps: readonly PlanStep[]): Partial<Record<ResourceKind, number>> {
  const counts: Partial<Record<ResourceKind, number>> = {};
  for (const kind of resourceKinds) {
    const count = steps.filter((step) => step.kind === kind).length;
    if (count > 0) counts[kind] = count;
  }
  return counts;
}

/**
 * A failure as printed: the error's stable code and its message, with any of
 * the resource's sensitive values that an answer may have echoed masked.
 */
export function toFailure(error: unknown, resource: ResourceOf<ResourceKind>, handler: AnyHandler): ApplyFailure {
  const code = isPaxosOnboardError(error) ? error.code : 'internal';
  const message = error instanceof Error ? error.message : String(error);
  return { code, message: maskEchoedValues(message, resource, handler) };
}

function maskEchoedValues(message: string, resource: ResourceOf<ResourceKind>, handler: AnyHandler): string {
  let masked = message;
  const visit = (value: unknown, path: string) => {
    if (typeof value === 'string') {
      if (value.length >= 4 && masked.includes(value) && isSensitivePath(resource, handler, path)) masked = masked.split(value).join(String(maskValue(value, path)));
    } else if (Array.isArray(value)) value.forEach((item, index) => visit(item, `${path}/${index}`));
    else if (typeof value === 'object' && value !== null) for (const [key, item] of Object.entries(value)) visit(item, `${path}/${key}`);
  };
  visit(resource.fields, '');
  return masked;
}
