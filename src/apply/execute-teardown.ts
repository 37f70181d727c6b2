/**
 * Runs a teardown plan: kind by kind in the plan's order (orders, then
 * profiles, accounts, institutions, persons), the objects of one kind at
 * once up to `concurrency`, since nothing of one kind rests on another of
 * it. A failure is recorded and the rest goes on; what rests on a failed
 * object was torn down before it, so nothing is left half-held.
 */
import pLimit from 'p-limit';
import { isPaxosOnboardError } from '../errors.js';
import type { ResourceKind } from '../manifest/kinds.js';
import type { PaxosClient } from '../paxos/types.js';
import type { TeardownPlan, TeardownStep } from '../plan/teardown-plan.js';
import { handlerFor } from '../resources/index.js';
import type { RemoteObject, RemoteWorld } from '../resources/resource-handler.js';

export interface TeardownOutcome {
  step: TeardownStep;
  outcome: 'torn-down' | 'kept' | 'unchanged' | 'failed';
  detail?: string;
  error?: { code: string; message: string };
}

export interface TeardownResult {
  results: TeardownOutcome[];
  byOutcome: Record<TeardownOutcome['outcome'], number>;
  warnings: string[];
  failed: boolean;
}

export interface ExecuteTeardownOptions {
  client: PaxosClient;
  plan: TeardownPlan;
  world: RemoteWorld;
  concurrency: number;
  /** Each object as it is done, for progress. */
  onResult?: (result: TeardownOutcome) => void;
}

export async function executeTeardown(options: ExecuteTeardownOptions): Promise<TeardownResult> {
  const { client, plan } = options;
  const remoteOf = indexRemotes(options.world);
  const limit = pLimit(options.concurrency);
  const results: TeardownOutcome[] = [];
  const warnings: string[] = [];
  const done = (result: TeardownOutcome) => {
    results.push(result);
    options.onResult?.(result);
  };
  for (const kind of kindsInOrder(plan.steps)) {
    const handler = handlerFor(kind);
    await Promise.all(
      plan.steps
        .filter((step) => step.kind === kind)
        .map((step) =>
          limit(async () => {
            const remote = remoteOf.get(step.remoteId);
            if (step.action === 'noop' || !remote || !handler.teardown) return done({ step, outcome: 'unchanged' });
            const warn = (message: string) => warnings.push(`${step.address ?? `${step.kind} ${step.remoteId}`}: ${message}`);
            try {
              const torn = await handler.teardown(remote, { action: step.action }, { client, warn });
              done({ step, outcome: torn.outcome, ...(torn.detail !== undefined ? { detail: torn.detail } : {}) });
            } catch (error) {
              const code = isPaxosOnboardError(error) ? error.code : 'internal';
              done({ step, outcome: 'failed', error: { code, message: error instanceof Error ? error.message : String(error) } });
            }
          }),
        ),
    );
  }
  const byOutcome = { 'torn-down': 0, kept: 0, unchanged: 0, failed: 0 };
  for (const result of results) byOutcome[result.outcome] += 1;
  // Results in the plan's order, whatever order the calls answered in.
  const order = new Map(plan.steps.map((step, index) => [step, index]));
  results.sort((a, b) => (order.get(a.step) ?? 0) - (order.get(b.step) ?? 0));
  return { results, byOutcome, warnings, failed: byOutcome.failed > 0 };
}

function kindsInOrder(steps: readonly TeardownStep[]): ResourceKind[] {
  return [...new Set(steps.map((step) => step.kind))];
}

/** Every remote object refresh found, declared or stray, by Paxos id. */
function indexRemotes(world: RemoteWorld): Map<string, RemoteObject> {
  const byId = new Map<string, RemoteObject>();
  for (const remote of world.byAddress.values()) byId.set(remote.id, remote);
  for (const stray of world.strays ?? []) byId.set(stray.remote.id, stray.remote);
  return byId;
}
