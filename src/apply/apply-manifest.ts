/**
 * `apply(inputs, options)`: the library call behind `paxos-onboard apply`.
 * Loads the manifest (or a saved plan, checking it is still current), opens
 * the client for the target, plans, asks for confirmation, executes, and
 * returns — and optionally writes — the outputs. Nothing is written to Paxos
 * before the manifest validated, the environment guard passed and the user
 * (or `confirm`) agreed.
 */
import { resolve } from 'node:path';
import { PaxosOnboardError } from '../errors.js';
import { kindSpecs } from '../manifest/kinds.js';
import type { Model } from '../manifest/model.js';
import type { ManifestInput } from '../manifest/manifest-input.js';
import { loadManifest, type ManifestLoadOptions } from '../manifest/validate-manifest.js';
import { clientOptionsForRun, openPaxosClient } from '../targets/open-target.js';
import type { PaxosClient } from '../paxos/types.js';
import { scopeRequest, kindsOf, scopeNeeds, type ScopeNeed } from '../resources/scopes.js';
import { buildTeardownPlan } from '../plan/teardown-plan.js';
import { executeTeardown } from './execute-teardown.js';
import { makePlan } from '../plan/make-plan.js';
import { manifestDigest } from '../plan/manifest-digest.js';
import { loadPlan } from '../plan/plan-file.js';
import type { Plan } from '../plan/plan-types.js';
import type { RemoteWorld } from '../resources/resource-handler.js';
import { writeFileAtomically } from '../write-file-atomically.js';
import { defaultConcurrency, defaultListingLagMs, defaultPollIntervalMs, localPollIntervalMs, type ApplyManifestOptions } from './apply-options.js';
import type { ApplyOutcome, ApplyOutputs, ApplyResult, ApplySummary, ResourceOutput } from './apply-types.js';
import { executePlan } from './execute-plan.js';
import { journalPath, openJournal } from './journal.js';

/** The options with their defaults filled in. */
type ApplyRunOptions = ApplyManifestOptions & { env: NodeJS.ProcessEnv; cwd: string };

/**
 * Applies manifests (paths, a saved plan's path, or manifests in memory:
 * `{ manifest: {...} }`, `{ yaml: '...' }`) and returns the outputs.
 */
export async function applyManifest(inputs: readonly ManifestInput[], given: ApplyManifestOptions = {}): Promise<ApplyResult> {
  const options: ApplyRunOptions = { ...given, env: given.env ?? process.env, cwd: given.cwd ?? process.cwd() };
  const saved = await savedPlanOf(inputs, options.cwd);
  const loadOptions: ManifestLoadOptions = { env: options.env, cwd: options.cwd };
  if (options.isolate !== undefined) loadOptions.isolate = options.isolate;
  if (options.allowFileRoots !== undefined) loadOptions.allowFileRoots = options.allowFileRoots;
  const model = await loadManifest(saved ? saved.manifest.files : inputs, loadOptions);
  if (saved && manifestDigest(model) !== saved.manifest.digest) {
    throw new PaxosOnboardError('plan.stale_manifest', `the manifest files changed since the plan was made (${saved.manifest.files.join(', ')}); make the plan again with 'paxos-onboard plan <manifest...> --out <file>', or apply the manifest directly`);
  }
  // The scopes of what this manifest's kinds read and write, no more: a key made for identities alone can apply identities.
  const needs = mergeNeeds(scopeNeeds(kindsOf(model), 'write'), options.prune === true ? scopeNeeds(kindsOf(model), 'teardown') : []);
  // A saved plan names its target: `apply plan.json` goes where the plan was made, and checkSavedPlan refuses any other.
  const target = options.target ?? (saved ? savedPlanTarget(saved) : undefined);
  const clientOptions = clientOptionsForRun({ env: options.env, cwd: options.cwd, ...scopeRequest(needs, 'apply of this manifest') }, { ...options, ...(target !== undefined ? { target } : {}) });
  const client = await openPaxosClient(clientOptions);
  try {
    options.onTarget?.(client.target);
    // Before the first call: no token is fetched for a run that will be refused.
    checkProductionOrders(model, client, options.allowProductionOrders === true);
    if (options.prune === true && client.target.environment === 'production' && options.allowProductionDestroy !== true) {
      throw new PaxosOnboardError('apply.production_prune', '--prune against production disables real identities and accounts; nothing was sent. Pass --allow-production-destroy to prune there');
    }
    const refreshedAt = new Date();
    // A saved plan is checked against a refresh made the way it was made.
    const { plan, world } = await makePlan(model, { client, cwd: options.cwd, deep: saved?.refresh.deep === true });
    if (saved) checkSavedPlan(saved, plan, client);
    options.onPlan?.(plan);
    // A saved plan was reviewed before it was saved (a pull request, a terminal): that review was the confirmation.
    if (!saved && plan.summary.hasChanges && options.confirm && !(await options.confirm(plan))) {
      throw new PaxosOnboardError('apply.cancelled', 'Apply cancelled: nothing was changed.');
    }
    if (options.signal?.aborted) throw new PaxosOnboardError('apply.cancelled', 'Interrupted before anything was changed.');
    const result = await execute(model, plan, world, client, options, refreshedAt);
    if (options.prune !== true) return result;
    // After the apply: an institution that no longer lists an orphaned person drops the member first.
    const prunePlan = buildTeardownPlan(world, 'prune', plan.target);
    const pruned = await executeTeardown({ client, plan: prunePlan, world, concurrency: options.concurrency ?? defaultConcurrency });
    return { ...result, pruned, summary: { ...result.summary, failed: result.summary.failed || pruned.failed, writes: client.stats().writes } };
  } finally {
    await client.close();
  }
}

async function execute(model: Model, plan: Plan, world: RemoteWorld, client: PaxosClient, options: ApplyRunOptions, since: Date): Promise<ApplyResult> {
  const journal = await openJournal(journalPath(options.cwd, client.target));
  const execution = await executePlan({
    client,
    model,
    plan,
    world,
    journal,
    concurrency: options.concurrency ?? defaultConcurrency,
    pollIntervalMs: options.pollIntervalMs ?? (client.target.kind === 'local' && options.realistic !== true ? localPollIntervalMs : defaultPollIntervalMs),
    listingLagMs: options.listingLagMs ?? defaultListingLagMs,
    since,
    ...(options.onEvent !== undefined ? { onEvent: options.onEvent } : {}),
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
  });
  const stats = client.stats();
  const summary: ApplySummary = {
    byOutcome: countOutcomes(execution.resources.values()),
    failed: [...execution.resources.values()].some((output) => output.outcome === 'failed' || output.outcome === 'blocked' || output.outcome === 'skipped'),
    elapsedMs: execution.elapsedMs,
    calls: stats.calls,
    callsByClass: stats.callsByClass,
    rateLimited: stats.rateLimited,
    retries: stats.retries,
    writes: stats.writes,
  };
  const outputs: ApplyOutputs = {
    kind: 'paxos-onboard-outputs',
    formatVersion: 1,
    appliedAt: new Date().toISOString(),
    target: { kind: client.target.kind, environment: client.target.environment, apiUrl: client.target.apiUrl },
    resources: Object.fromEntries(execution.resources) as ApplyOutputs['resources'],
  };
  options.onEvent?.({ type: 'run-end', at: new Date().toISOString(), summary });
  if (options.outputs !== undefined) await writeOutputs(resolve(options.cwd, options.outputs), outputs);
  return { plan, outputs, summary, warnings: execution.warnings, stats };
}

/** Two lists of scope needs as one, each scope once with every kind that needs it. */
function mergeNeeds(first: ScopeNeed[], second: ScopeNeed[]): ScopeNeed[] {
  const merged = new Map(first.map((need) => [need.scope, [...need.kinds]]));
  for (const need of second) merged.set(need.scope, [...new Set([...(merged.get(need.scope) ?? []), ...need.kinds])]);
  return [...merged].map(([scope, kinds]) => ({ scope, kinds })).sort((a, b) => a.scope.localeCompare(b.scope));
}

/** A single `.json` input is a saved plan (`plan --out`); anything else is manifests. */
async function savedPlanOf(inputs: readonly ManifestInput[], cwd: string): Promise<Plan | undefined> {
  const [only] = inputs;
  if (inputs.length !== 1 || typeof only !== 'string' || !only.endsWith('.json')) return undefined;
  return loadPlan(resolve(cwd, only));
}

/** The `--target` a saved plan was made against: the embedded emulator by name (its port changes every run), a server by its URL. */
function savedPlanTarget(saved: Plan): string {
  return saved.target.kind === 'url' ? saved.target.apiUrl : saved.target.kind;
}

/** A saved plan applies only to the target it was made for, and only while the remote is as it saw it. */
function checkSavedPlan(saved: Plan, fresh: Plan, client: PaxosClient): void {
  const target = client.target;
  // The local emulator listens on a new port each run; its identity is its state file, not its URL.
  const sameTarget = saved.target.kind === target.kind && saved.target.environment === target.environment && (target.kind === 'local' || saved.target.apiUrl === target.apiUrl);
  if (!sameTarget) {
    throw new PaxosOnboardError('plan.other_target', `the plan was made for ${saved.target.kind} (${saved.target.apiUrl}), not for ${target.description}; apply it there, or make a plan for this target`);
  }
  const sameSteps = saved.steps.length === fresh.steps.length && saved.steps.every((step, index) => step.address === fresh.steps[index]?.address && step.action === fresh.steps[index]?.action);
  if (saved.remoteFingerprint !== fresh.remoteFingerprint || !sameSteps) {
    throw new PaxosOnboardError('plan.stale_remote', `the remote changed since the plan was made (${saved.createdAt}), so it would no longer do what was reviewed; nothing was sent. Make the plan again with 'paxos-onboard plan <manifest...> --out <file>' and review it`);
  }
}

/**
 * Orders against production trade real money: a production run of a manifest
 * with orders needs `allowProductionOrders` every time, and is refused before
 * anything is read or sent.
 */
function checkProductionOrders(model: Model, client: PaxosClient, allowed: boolean): void {
  if (client.target.environment !== 'production' || allowed) return;
  const trades = [...model.resources.values()].filter((resource) => kindSpecs[resource.kind].trades === true).map((resource) => resource.address);
  if (trades.length === 0) return;
  const named = trades.slice(0, 5).join(', ');
  throw new PaxosOnboardError('apply.production_orders', `the manifest places ${trades.length} order(s) in production (${named}${trades.length > 5 ? ', …' : ''}); nothing was sent. Pass --allow-production-orders to place them`);
}

function countOutcomes(outputs: Iterable<ResourceOutput>): Record<ApplyOutcome, number> {
  const counts: Record<ApplyOutcome, number> = { created: 0, adopted: 0, updated: 0, unchanged: 0, failed: 0, blocked: 0, skipped: 0 };
  for (const output of outputs) counts[output.outcome] += 1;
  return counts;
}

async function writeOutputs(path: string, outputs: ApplyOutputs): Promise<void> {
  try {
    await writeFileAtomically(path, `${JSON.stringify(outputs, null, 2)}\n`, { mode: 0o600 });
  } catch (error) {
    throw new PaxosOnboardError('apply.outputs_unwritable', `the run finished, but the outputs could not be written to ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { cause: error });
  }
}
