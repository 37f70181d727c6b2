/**
 * What the plan tests share: an emulator on port 0 (rate limits off, manual
 * approvals as in the real sandbox) with a PaxosClient pointed at it, manifests
 * loaded from inline YAML, and a tiny sequential executor driving the
 * handlers' create/adopt/update/approve (the real executor is another module).
 */
import { afterEach, beforeEach } from 'vitest';
import type { Address, Environment, Model } from '../../src/manifest/model.js';
import { validateManifest } from '../../src/manifest/validate-manifest.js';
import { createPaxosClient } from '../../src/paxos/create-paxos-client.js';
import type { PaxosClient, Target } from '../../src/paxos/types.js';
import type { Plan } from '../../src/plan/plan-types.js';
import { makePlan } from '../../src/plan/make-plan.js';
import { handlerFor } from '../../src/resources/index.js';
import type { ApplyContext, RemoteObject, RemoteWorld } from '../../src/resources/resource-handler.js';
import { startTestEmulator, type TestEmulator } from './test-emulator.js';
import { renderIssuesRelative, writeTempManifests, type TempManifestDir } from './temp-manifest.js';

export interface PlanWorld {
  emulator: TestEmulator;
  client: PaxosClient;
  close(): Promise<void>;
}

export async function startPlanWorld(environment: Environment = 'local'): Promise<PlanWorld> {
  // As strict as Paxos (transfers listed and orders filled after the call, at the next request), without the delays: these suites test planning.
  const emulator = await startTestEmulator({ rateLimits: 'off', transferListingDelayMs: 0, orderFillDelayMs: 0 });
  const client = createTestClient(emulator.url, environment);
  return {
    emulator,
    client,
    async close() {
      await client.close();
      await emulator.close();
    },
  };
}

/**
 * A fresh world for each test of the calling suite: started before each test,
 * closed after it. The returned object always reads the current test's world.
 */
export function usePlanWorld(): PlanWorld {
  let current: PlanWorld | undefined;
  beforeEach(async () => {
    current = await startPlanWorld();
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  const now = (): PlanWorld => {
    if (!current) throw new Error('usePlanWorld: the world exists only while a test runs');
    return current;
  };
  return {
    get emulator() {
      return now().emulator;
    },
    get client() {
      return now().client;
    },
    close: () => now().close(),
  };
}

/** Loads inline manifest files (`{ 'm.yaml': text }`) into a model. */
export async function loadInlineManifest(files: Record<string, string>, env: NodeJS.ProcessEnv = {}): Promise<{ model: Model; dir: TempManifestDir }> {
  const dir = await writeTempManifests(files);
  const result = await validateManifest(['.'], { cwd: dir.dir, env });
  if (!result.model) throw new Error(`manifest invalid:\n${renderIssuesRelative(result.issues, dir.dir)}`);
  return { model: result.model, dir };
}

export interface ApplyOptions {
  /** Apply only these addresses' steps (the rest of the world is made partly). */
  only?: readonly Address[];
  /** Run the approvals the plan asks for (default true). */
  approve?: boolean;
}

/**
 * Applies a plan one step at a time, in plan order: enough to converge a
 * world in tests. Returns the remote objects by address; warnings go to `warnings`.
 */
export async function applySequentially(model: Model, plan: Plan, world: RemoteWorld, client: PaxosClient, options: ApplyOptions = {}, warnings: string[] = []): Promise<Map<Address, RemoteObject>> {
  const remotes = new Map<Address, RemoteObject>(world.byAddress);
  const context: ApplyContext = {
    client,
    model,
    remoteOf(address) {
      const remote = remotes.get(address);
      if (!remote) throw new Error(`no remote object for ${address}`);
      return remote;
    },
    warn: (message) => warnings.push(message),
    ...runServices(),
  };
  for (const step of plan.steps) {
    const resource = model.resources.get(step.address);
    if (!resource || step.action === 'blocked' || step.action === 'noop') continue;
    if (options.only && !options.only.includes(step.address)) continue;
    const handler = handlerFor(resource.kind) as ReturnType<typeof handlerFor>;
    const typed = resource as never;
    let remote = remotes.get(step.address);
    if (step.action === 'create') remote = (await handler.create(typed, context)).remote;
    if (step.action === 'update' && handler.update) remote = (await handler.update(typed, step, context)).remote;
    if (step.action === 'adopt' && remote && handler.adopt) remote = (await handler.adopt(typed, remote, context)).remote;
    if (!remote) throw new Error(`${step.address}: ${step.action} left no remote object`);
    if (options.approve !== false && (step.action === 'approve' || step.then?.includes('approve')) && handler.approve) {
      remote = await handler.approve(typed, remote, context);
      if (handler.settle) remote = (await handler.settle(typed, remote, context)).remote;
    } else if (!handler.approve && (step.action === 'wait' || step.then?.includes('wait')) && handler.settle) {
      // Deposits until their funds are there, orders until filled: what the next step counts on. Decisions are waited for only above.
      remote = (await handler.settle(typed, remote, context)).remote;
    }
    remotes.set(step.address, remote);
  }
  return remotes;
}

/** What an ApplyContext holds besides the client and the remotes: per-run shared objects, a quick poll, no claims, no display. */
export function runServices(): Pick<ApplyContext, 'shared' | 'pollIntervalMs' | 'listingLagMs' | 'startedAt' | 'isClaimed' | 'claim' | 'phase'> {
  const shared = new Map<string, unknown>();
  return {
    shared<T>(key: string, make: () => T): T {
      if (!shared.has(key)) shared.set(key, make());
      return shared.get(key) as T;
    },
    pollIntervalMs: 20,
    listingLagMs: 5000,
    startedAt: new Date(),
    isClaimed: () => false,
    claim: () => true,
    phase: () => undefined,
  };
}

/** The real client, pointed at the emulator, unpaced (the emulator's rate limits are off) and counted per test. */
export function createTestClient(url: string, environment: Environment): PaxosClient {
  const target: Target = { kind: environment === 'local' ? 'local' : 'url', environment, apiUrl: `${url}/v2`, tokenUrl: `${url}/oauth2/token`, description: `test emulator at ${url}` };
  return createPaxosClient({ target, credentials: { clientId: 'test-client', clientSecret: 'test-secret' }, pacing: 'off' });
}

/** Plans an inline manifest (`m.yaml`) against `client`; the temp files are gone before it returns. */
export async function planInline(client: PaxosClient, text: string, options: { deep?: boolean } = {}) {
  const { model, dir } = await loadInlineManifest({ 'm.yaml': text });
  await dir.remove();
  return { model, ...(await makePlan(model, { client, ...options })) };
}
