/**
 * `destroy(inputs, options)`: the library call behind `paxos-onboard destroy`.
 * Loads the manifest, refreshes what it made (the declared objects, and the
 * orphans under its prefix), shows the teardown plan, asks as apply asks, and
 * tears down in reverse dependency order. Paxos deletes nothing of these:
 * open orders are cancelled, profiles deactivated, accounts and identities
 * disabled. What is down already plans `noop`, so a second run sends no write.
 */
import { PaxosOnboardError } from '../errors.js';
import { loadManifest } from '../manifest/validate-manifest.js';
import { clientOptionsForRun, openPaxosClient, type OpenPaxosClientOptions } from '../targets/open-target.js';
import type { ClientStats, Target } from '../paxos/types.js';
import { checkTarget } from '../plan/check-target.js';
import { refreshRemote } from '../plan/refresh.js';
import { buildTeardownPlan, type TeardownPlan } from '../plan/teardown-plan.js';
import { scopeRequest, kindsOf, scopeNeeds } from '../resources/scopes.js';
import { defaultConcurrency } from './apply-options.js';
import { executeTeardown, type TeardownOutcome, type TeardownResult } from './execute-teardown.js';

export interface DestroyManifestOptions {
  target?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Asked with the teardown plan when it has changes; the run stops (`destroy.cancelled`) unless it answers true. Absent: no question. */
  confirm?: (plan: TeardownPlan) => Promise<boolean>;
  onPlan?: (plan: TeardownPlan) => void;
  onResult?: (result: TeardownOutcome) => void;
  onTarget?: (target: Target) => void;
  onNotice?: (message: string) => void;
  onRequest?: OpenPaxosClientOptions['onRequest'];
  concurrency?: number;
  /** Production is never torn down unless this is set (`--allow-production-destroy`). */
  allowProductionDestroy?: boolean;
  pacing?: OpenPaxosClientOptions['pacing'];
  lock?: OpenPaxosClientOptions['lock'];
  signal?: AbortSignal;
}

export interface DestroyResult extends TeardownResult {
  plan: TeardownPlan;
  stats: ClientStats;
}

export async function destroyManifest(inputs: readonly string[], options: DestroyManifestOptions = {}): Promise<DestroyResult> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const model = await loadManifest(inputs, { env, cwd });
  const needs = scopeNeeds(kindsOf(model), 'teardown');
  const clientOptions = clientOptionsForRun({ env, cwd, ...scopeRequest(needs, 'destroy of this manifest') }, options);
  const client = await openPaxosClient(clientOptions);
  try {
    options.onTarget?.(client.target);
    // Before the first call: a production teardown is refused without a token ever being asked for.
    if (client.target.environment === 'production' && options.allowProductionDestroy !== true) {
      throw new PaxosOnboardError('destroy.production', 'destroy against production disables real identities and accounts; nothing was sent. Pass --allow-production-destroy to go on');
    }
    checkTarget(model, client.target);
    const { world } = await refreshRemote(model, client);
    const plan = buildTeardownPlan(world, 'destroy', { kind: client.target.kind, environment: client.target.environment, apiUrl: client.target.apiUrl });
    options.onPlan?.(plan);
    if (plan.summary.hasChanges && options.confirm && !(await options.confirm(plan))) {
      throw new PaxosOnboardError('destroy.cancelled', 'Destroy cancelled: nothing was changed.');
    }
    if (options.signal?.aborted) throw new PaxosOnboardError('destroy.cancelled', 'Interrupted before anything was changed.');
    const result = await executeTeardown({ client, plan, world, concurrency: options.concurrency ?? defaultConcurrency, ...(options.onResult ? { onResult: options.onResult } : {}) });
    return { ...result, plan, stats: client.stats() };
  } finally {
    await client.close();
  }
}
