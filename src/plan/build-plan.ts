/**
 * `buildPlan(model, world, meta)`: the plan as pure data (STYLE.md habit 1).
 * Each kind's handler says what one resource needs; this file adds what no
 * kind knows: dependency order, blocking that spreads to dependents, the
 * production guard, and the summary. No I/O.
 */
import { buildGraph } from '../graph/build-graph.js';
import { topologicalOrder } from '../graph/topological-order.js';
import { transitiveDependencies } from '../graph/transitive-dependencies.js';
import { kindSpecs, needsSettledDependencies, type ResourceKind } from '../manifest/kinds.js';
import type { Address, Model, ResourceOf } from '../manifest/model.js';
import { handlerFor } from '../resources/index.js';
import type { PlanContext, RemoteWorld, StepDraft } from '../resources/resource-handler.js';
import { manifestDigest } from './manifest-digest.js';
import { planActions, type Plan, type PlanAction, type PlanOrphan, type PlanStep, type PlanSummary, type RemoteFingerprint } from './plan-types.js';

export interface PlanMeta {
  /** RFC 3339. */
  createdAt: string;
  target: Plan['target'];
  /** Manifest files as the plan shows them (relative to the working directory). */
  files: string[];
  remoteFingerprint: RemoteFingerprint;
  refresh: Plan['refresh'];
  /** Leave PII unmasked in changes and reasons. */
  showSensitive?: boolean;
  /** The manifest digest when the caller has it already; computed otherwise. */
  manifestDigest?: string;
}

export function buildPlan(model: Model, world: RemoteWorld, meta: PlanMeta): Plan {
  const steps = new Map<Address, PlanStep>();
  const context: PlanContext = { model, world, stepOf: (address) => steps.get(address), showSensitive: meta.showSensitive ?? false };
  for (const address of topologicalOrder(buildGraph(model))) {
    const resource = model.resources.get(address);
    if (!resource) continue;
    const draft = planStepOf(resource, context);
    let step = toStep(address, resource.kind, draft, [...resource.dependsOn], describe(resource));
    if (meta.target.environment === 'production') step = guardProduction(step);
    step = blockOnDependencies(step, steps);
    step = blockUntradable(step, steps, model);
    steps.set(address, step);
  }
  const ordered = [...steps.values()];
  const orphans = planOrphans(world);
  return {
    formatVersion: 1,
    createdAt: meta.createdAt,
    target: meta.target,
    manifest: { environment: model.environment, files: meta.files, digest: meta.manifestDigest ?? manifestDigest(model) },
    remoteFingerprint: meta.remoteFingerprint,
    steps: ordered,
    ...(orphans.length > 0 ? { orphans } : {}),
    summary: summarise(ordered, orphans.length),
    ...(meta.showSensitive === true ? { sensitiveShown: true as const } : {}),
    refresh: meta.refresh,
  };
}

function planStepOf<K extends ResourceKind>(resource: ResourceOf<K>, context: PlanContext): StepDraft {
  return handlerFor(resource.kind).planStep(resource, context);
}

function describe<K extends ResourceKind>(resource: ResourceOf<K>): string | undefined {
  return handlerFor(resource.kind).describe?.(resource);
}

/** The step with its keys in one order, so two plans of the same world serialise identically. */
function toStep(address: Address, kind: ResourceKind, draft: StepDraft, dependsOn: Address[], description: string | undefined): PlanStep {
  return {
    address,
    kind,
    action: draft.action,
    ...(draft.then && draft.then.length > 0 ? { then: [...draft.then] } : {}),
    ...(draft.remoteId !== undefined ? { remoteId: draft.remoteId } : {}),
    ...(draft.remoteStatus !== undefined ? { remoteStatus: draft.remoteStatus } : {}),
    ...(draft.remoteKey !== undefined ? { remoteKey: draft.remoteKey } : {}),
    ...(description !== undefined ? { description } : {}),
    ...(draft.changes && draft.changes.length > 0 ? { changes: draft.changes } : {}),
    ...(draft.reason !== undefined ? { reason: draft.reason } : {}),
    ...(draft.blockedBy !== undefined ? { blockedBy: draft.blockedBy } : {}),
    ...(draft.warnings && draft.warnings.length > 0 ? { warnings: [...draft.warnings] } : {}),
    dependsOn,
  };
}

/**
 * Production: sandbox-only kinds are refused (the manifest rules refuse them
 * in a production manifest already; this holds whatever the model), and an
 * approval becomes a wait, sandbox-status not existing there.
 */
function guardProduction(step: PlanStep): PlanStep {
  if (kindSpecs[step.kind].sandboxOnly && step.action !== 'blocked') {
    const { then: _then, ...rest } = step;
    return { ...rest, action: 'blocked', reason: `${step.kind} is sandbox-only (test funding) and is refused against production` };
  }
  const approves = step.action === 'approve' || step.then?.includes('approve');
  if (!approves) return step;
  const warning = 'approval: sandbox cannot approve in production (sandbox-status exists only in the sandbox): waiting for the Paxos decision instead';
  const next: PlanStep = { ...step, action: step.action === 'approve' ? 'wait' : step.action, warnings: [...(step.warnings ?? []), warning] };
  if (step.then) next.then = step.then.map((then) => (then === 'approve' ? 'wait' : then));
  return next;
}

/**
 * A step whose dependency is blocked is blocked too, naming it: it cannot
 * proceed. A converged step stays `noop`: it needs nothing from this run, and
 * calling it blocked would count as a change what is already in place.
 */
function blockOnDependencies(step: PlanStep, planned: ReadonlyMap<Address, PlanStep>): PlanStep {
  if (step.action === 'blocked' || step.action === 'noop') return step;
  const blocker = step.dependsOn.find((address) => planned.get(address)?.action === 'blocked');
  if (blocker === undefined) return step;
  const blocked = planned.get(blocker);
  const { then: _then, dependsOn, ...rest } = step;
  // Named by the root of the chain (the identity, not the deposit it stopped); through a step between, with why that one is blocked.
  const why = blocked?.blockedBy !== undefined && blocked.reason !== undefined ? `: ${blocked.reason}` : '';
  return { ...rest, action: 'blocked', reason: `depends on ${blocker}, which is blocked${why}`, blockedBy: blocked?.blockedBy ?? blocker, dependsOn };
}

/**
 * A trade needs every identity below it APPROVED. One that this run will
 * neither approve nor wait for (`approval: none`), and that is not APPROVED
 * already, blocks the trade here, in the plan, rather than at apply.
 */
function blockUntradable(step: PlanStep, planned: ReadonlyMap<Address, PlanStep>, model: Model): PlanStep {
  if (step.action !== 'create' || !needsSettledDependencies(step.kind)) return step;
  for (const address of transitiveDependencies(model, step.address)) {
    const dependency = planned.get(address);
    if (!dependency || dependency.action === 'blocked') continue;
    const settles = dependency.action === 'approve' || dependency.action === 'wait' || (dependency.then?.length ?? 0) > 0;
    const handler = handlerFor(dependency.kind);
    if (settles || !handler.tradeBlocker) continue;
    const status = dependency.remoteStatus ?? (dependency.action === 'create' ? handler.createdStatus : undefined);
    const reason = handler.tradeBlocker(status, dependency.remoteId);
    if (reason === undefined) continue;
    const hint = model.options.approval === 'none' ? '; approval: none neither approves nor waits (use approval: sandbox or wait)' : '';
    const { then: _then, dependsOn, ...rest } = step;
    return { ...rest, action: 'blocked', reason: `needs ${address} to trade: ${reason}${hint}`, blockedBy: address, dependsOn };
  }
  return step;
}

/** The counts every renderer prints (see `PlanSummary`): a dependent of a blocked step is skipped, not blocked, as apply will say. */
export function summarise(steps: readonly PlanStep[], orphans = 0): PlanSummary {
  const byAction = Object.fromEntries(planActions.map((action) => [action, 0])) as Record<PlanAction, number>;
  const then = { approve: 0, wait: 0 };
  let skipped = 0;
  for (const step of steps) {
    if (step.action === 'blocked' && step.blockedBy !== undefined) skipped += 1;
    else byAction[step.action] += 1;
    for (const next of step.then ?? []) then[next] += 1;
  }
  return { byAction, skipped, then, orphan: orphans, hasChanges: orphans > 0 || steps.some((step) => step.action !== 'noop') };
}

/** The strays refresh found, as the plan shows them, with what tearing each down takes (its kind's handler says). */
export function planOrphans(world: RemoteWorld): PlanOrphan[] {
  return (world.strays ?? []).flatMap(({ kind, remoteKey, remote }) => {
    const draft = handlerFor(kind).planTeardown?.(remote);
    if (!draft || draft.action === 'noop') return [];
    return [{ kind, remoteKey, remoteId: remote.id, ...(remote.status !== undefined ? { remoteStatus: remote.status } : {}), teardown: draft.action }];
  });
}
