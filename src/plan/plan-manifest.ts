/**
 * `plan(paths, options)`: the library call behind `paxos-onboard plan`. Loads
 * and validates the manifest (a ManifestError with every issue, before any
 * connection is opened), opens the client for the target, checks the
 * environment guard, refreshes and plans, optionally saves the plan, and
 * always closes the client, which also stops an emulator it started.
 */
import { resolve } from 'node:path';
import type { Model } from '../manifest/model.js';
import type { ManifestInput } from '../manifest/manifest-input.js';
import { loadManifest, type ManifestLoadOptions } from '../manifest/validate-manifest.js';
import { clientOptionsForRun, openPaxosClient, type OpenPaxosClientOptions } from '../targets/open-target.js';
import type { Target } from '../paxos/types.js';
import { scopeRequest, kindsOf, scopeNeeds } from '../resources/scopes.js';
import type { RemoteWorld } from '../resources/resource-handler.js';
import { buildPlan } from './build-plan.js';
import { makePlan, type MakePlanOptions } from './make-plan.js';
import { scrubPlanText } from './mask.js';
import { savePlan } from './plan-file.js';
import type { Plan } from './plan-types.js';

export interface PlanManifestOptions {
  /** `local` | `sandbox` | `production` | an emulator URL; by default local, or sandbox when credentials are set. */
  target?: string;
  /** Where `${env:...}` and `PAXOS_CLIENT_ID`/`PAXOS_CLIENT_SECRET` come from; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Manifest paths, `out` and the local emulator's state folder resolve against this; the plan names files relative to it. Default `process.cwd()`. */
  cwd?: string;
  /** Plan the manifest as `apply` with the same `isolate` would apply it (apply-options.ts). */
  isolate?: string | boolean;
  /** Leave PII unmasked in the returned plan. The saved plan (`out`) is masked regardless. */
  showSensitive?: boolean;
  /** Folders a `${file:}` may read besides the manifest's own (relative to `cwd`). */
  allowFileRoots?: readonly string[];
  /** Read each identity in full, to see changes made outside the tool (one call per identity). */
  deep?: boolean;
  /** Also save the plan here, masked, for `apply <file>`. */
  out?: string;
  /** Each API request as it completes (`--verbose`); entries hold no bodies, tokens or PII. */
  onRequest?: OpenPaxosClientOptions['onRequest'];
  /** Called once the target is known, before anything is read from it: the CLI prints its notice. */
  onTarget?: (target: Target) => void;
  /** What the user must hear while the run goes on (a rate-limit lockout and when it ends): the CLI prints it on stderr. */
  onNotice?: (message: string) => void;
  /** Another run on the same target: how long to wait for it, and what to say meanwhile. */
  lock?: OpenPaxosClientOptions['lock'];
  /** Stops the wait for another run (Ctrl-C). */
  signal?: AbortSignal;
  /** Plan against the embedded emulator as `apply` with `realistic` runs it (sandbox rate limits and pacing). */
  realistic?: boolean;
}

/** Plans manifests (paths, or manifests in memory: `{ manifest: {...} }`, `{ yaml: '...' }`). */
export async function planManifest(inputs: readonly ManifestInput[], given: PlanManifestOptions = {}): Promise<Plan> {
  const options = { ...given, env: given.env ?? process.env, cwd: given.cwd ?? process.cwd() };
  const loadOptions: ManifestLoadOptions = { env: options.env, cwd: options.cwd };
  if (options.allowFileRoots) loadOptions.allowFileRoots = options.allowFileRoots;
  if (options.isolate !== undefined) loadOptions.isolate = options.isolate;
  const model = await loadManifest(inputs, loadOptions);
  // A plan only reads: its token carries no write scope, and no read scope of a kind the manifest does not have.
  const needs = scopeNeeds(kindsOf(model), 'read');
  const clientOptions = clientOptionsForRun({ env: options.env, cwd: options.cwd, ...scopeRequest(needs, 'plan of this manifest') }, options);
  const client = await openPaxosClient(clientOptions);
  try {
    options.onTarget?.(client.target);
    const planOptions: MakePlanOptions = { client, cwd: options.cwd, showSensitive: options.showSensitive ?? false, deep: options.deep ?? false };
    const { plan, world } = await makePlan(model, planOptions);
    if (options.out !== undefined) {
      await savePlan(resolve(options.cwd, options.out), options.showSensitive ? maskedTwin(model, world, plan) : plan);
    }
    return plan;
  } finally {
    await client.close();
  }
}

/** The same plan built again from the same refresh with PII masked: no second read, and reasons masked as the planner masks them. */
function maskedTwin(model: Model, world: RemoteWorld, plan: Plan): Plan {
  const twin = buildPlan(model, world, {
    createdAt: plan.createdAt,
    target: plan.target,
    files: plan.manifest.files,
    remoteFingerprint: plan.remoteFingerprint,
    refresh: plan.refresh,
    manifestDigest: plan.manifest.digest,
    showSensitive: false,
  });
  return scrubPlanText(twin, model);
}
