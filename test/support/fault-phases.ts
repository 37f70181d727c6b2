/**
 * Resets after commit, placed on exactly the writes a test means. A world is
 * built on an emulator without faults whose state goes to a data file; then
 * the emulator restarts from that file with `resetAfterCommit` at a chance
 * and a seed picked so that the successful writes of the step under test
 * reset in the order `pattern` says (the fault PRNG draws once per
 * successful write, nothing for reads), and none of the writes after them.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProblemError, type Route } from '../../src/emulator/framework.js';
import type { FaultSpec } from '../../src/emulator/emulator-options.js';
import { createFaultInjector } from '../../src/emulator/fault-injector.js';
import { allRoutes } from '../../src/emulator/routes/index.js';
import { createPaxosClient } from '../../src/paxos/create-paxos-client.js';
import type { RequestLogEntry } from '../../src/paxos/request-log.js';
import type { PaxosClient } from '../../src/paxos/types.js';
import { createTestClient } from './plan-world.js';
import { startTestEmulator, type TestEmulator } from './test-emulator.js';

const resetChance = 0.25;
/** Writes after the pattern that must not reset either. */
const quietTail = 12;

/** The first seed whose reset-after-commit draws go `pattern`, then `quietTail` times no reset. */
export function seedResetting(pattern: readonly boolean[]): number {
  const wanted = [...pattern, ...Array.from({ length: quietTail }, () => false)];
  for (let seed = 1; seed < 1_000_000; seed++) {
    const faults = createFaultInjector(faultSpec(), seed);
    if (wanted.every((reset) => faults.resetAfterCommit('POST') === reset)) return seed;
  }
  throw new Error(`no seed resets as ${JSON.stringify(pattern)}`);
}

function faultSpec(): FaultSpec {
  return { serverError: 0, resetAfterCommit: resetChance, latencyJitterMs: 0 };
}

export interface Phase {
  emulator: TestEmulator;
  client: PaxosClient;
  /** Every HTTP attempt of `client`, in order. */
  entries: RequestLogEntry[];
}

export interface FaultPhases {
  /** An emulator without faults, whose state the faulted phase starts from. */
  clean(): Promise<Phase>;
  /** Closes the clean phase and restarts from its state, successful writes resetting per `pattern`. */
  faulted(pattern: readonly boolean[], options?: { routes?: readonly Route[]; transferListingDelayMs?: number }): Promise<Phase>;
  close(): Promise<void>;
}

export async function createFaultPhases(): Promise<FaultPhases> {
  const dir = await mkdtemp(join(tmpdir(), 'paxos-onboard-faults-'));
  const dataFile = join(dir, 'state.json');
  const open: Phase[] = [];
  const closePhases = async () => {
    for (const phase of open.splice(0)) {
      await phase.client.close();
      await phase.emulator.close();
    }
  };
  return {
    async clean() {
      const emulator = await startTestEmulator({ rateLimits: 'off', dataFile });
      const phase = { emulator, client: createTestClient(emulator.url, 'local'), entries: [] };
      open.push(phase);
      return phase;
    },
    async faulted(pattern, options = {}) {
      await closePhases();
      const emulator = await startTestEmulator({ rateLimits: 'off', dataFile, faults: faultSpec(), seed: seedResetting(pattern), ...options });
      const entries: RequestLogEntry[] = [];
      const client = createPaxosClient({
        target: { kind: 'local', environment: 'local', apiUrl: `${emulator.url}/v2`, tokenUrl: `${emulator.url}/oauth2/token`, description: `faulted emulator at ${emulator.url}` },
        credentials: { clientId: 'test-client', clientSecret: 'test-secret' },
        pacing: 'off',
        retry: { baseDelayMs: 1, maxDelayMs: 5 },
        onRequest: (entry) => entries.push(entry),
      });
      const phase = { emulator, client, entries };
      open.push(phase);
      return phase;
    },
    async close() {
      await closePhases();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** `METHOD path status` of each attempt at a path under `prefix` (query left out): what the client sent, and what came back. */
export function attemptsAt(entries: readonly RequestLogEntry[], method: string, prefix: string): string[] {
  return entries
    .filter((entry) => entry.method === method && entry.path.split('?')[0]?.startsWith(prefix))
    .map((entry) => `${entry.method} ${entry.path.split('?')[0]} ${entry.status}`);
}

/**
 * The emulator's routes with `wrap` around one operation's handler: to make
 * it behave as the Paxos spec allows where the emulator is stricter, or fail
 * before anything is written.
 */
export function routesWith(operationId: string, wrap: (handler: Route['handler']) => Route['handler']): Route[] {
  return allRoutes().map((route) => (route.operationId === operationId ? { ...route, handler: wrap(route.handler) } : route));
}

/** A handler answering 503 the first `times` calls, before it writes anything. */
export function failingFirst(times: number): (handler: Route['handler']) => Route['handler'] {
  let left = times;
  return (handler) => (context) => {
    if (left-- > 0) throw new ProblemError({ status: 503, title: 'Service Unavailable', detail: 'injected by the test before the write' });
    return handler(context);
  };
}

/**
 * The first `times` calls are handled — the write commits — and then
 * answered 503, as a gateway in front of Paxos may answer when it loses the
 * backend's answer: a 503 that proves nothing about the write.
 */
export function committingThen503(times: number): (handler: Route['handler']) => Route['handler'] {
  let left = times;
  return (handler) => async (context) => {
    const result = await handler(context);
    if (left-- > 0) throw new ProblemError({ status: 503, title: 'Service Unavailable', detail: 'injected by the test after the write committed' });
    return result;
  };
}
