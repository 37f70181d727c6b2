/**
 * `startEmulator(options)`: the Paxos-compatible server on `node:http`,
 * listening on 127.0.0.1 and a free port unless told otherwise.
 */
import { fastTiming } from './domain/money-settings.js';
import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApprovalMode, RouteContext } from './framework.js';
import { createEventEmitter } from './event-feed.js';
import { createFaultInjector } from './fault-injector.js';
import { handleRequest, type EmulatorRuntime, type RouteEntry } from './handle-request.js';
import { createRateLimiter } from './rate-limiter.js';
import { createRouter } from './router.js';
import { allRoutes, allTickers } from './routes/index.js';
import { createSeededRandom } from './seeded-random.js';
import { createSchemaValidator } from './spec/openapi-schemas.js';
import { applyRequestQuirks } from './spec/request-quirks.js';
import { emulatorSchemas, findSpecOperation } from './spec/spec-data.js';
import { createStateWriter, loadStateFile, type StateWriter } from './state-file.js';
import { createEmptyState, type EmulatorState } from './state.js';
import { createTokenStore } from './token-store.js';
import { createWebhookSender, defaultWebhookRetry, type WebhookSender } from './webhook-sender.js';
import { defaultSeed, parseApprovalMode, parseFaultSpec, type EmulatorOptions } from './emulator-options.js';

export interface RunningEmulator {
  /** Base URL, e.g. `http://127.0.0.1:4010`; the API is under `/v2`, the token endpoint at `/oauth2/token`. */
  url: string;
  /** The live state (read it in tests; the server owns writes). */
  state: EmulatorState;
  /** The seed the faults draw from: rerun with it to replay. */
  seed: number;
  /**
   * Empties the state in place (identities, accounts, profiles, balances,
   * orders, events; rate-limit counts and lockouts too), as `POST
   * /_emulator/reset` does, so one emulator serves suite after suite. Issued
   * tokens stay valid: a client holding one goes on without a new token.
   */
  reset(): void;
  /**
   * Changes the rate limits (their counts start afresh) or the timing of the
   * running emulator: the `emulator` command seeds its manifests with limits
   * off and no delays, then serves with the ones its flags ask for.
   */
  configure(settings: Pick<EmulatorOptions, 'rateLimits' | 'orderFillDelayMs' | 'transferListingDelayMs'>): void;
  /** Stops listening, drops every connection, stops webhook retries and flushes `dataFile`. */
  close(): Promise<void>;
}

export const defaultTickIntervalMs = 200;

/**
 * Without options, `startEmulator()` is the fast face (DESIGN.md "The embedded
 * emulator"): no rate limits, and deposits listed and orders taken by the book
 * at the next request or tick (still after the call, never in its answer).
 * `paxosTiming` is what the `emulator` command and realistic runs use instead.
 */
export { fastTiming, paxosTiming } from './domain/money-settings.js';

/** Starts an emulator; resolves once it listens. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const now = options.now ?? (() => new Date());
  const approval: ApprovalMode = typeof options.approve === 'string' ? parseApprovalMode(options.approve) : (options.approve ?? { kind: 'manual' });
  const faultSpec = typeof options.faults === 'string' ? parseFaultSpec(options.faults) : (options.faults ?? { serverError: 0, resetAfterCommit: 0, latencyJitterMs: 0 });
  const seed = options.seed ?? defaultSeed;
  // A state file already there and private need not be rewritten on close unless something changed (a multi-megabyte world, every run).
  const keptAsIs = options.dataFile ? await isPrivateFile(options.dataFile) : false;
  const state = options.dataFile ? await loadStateFile(options.dataFile) : createEmptyState();
  const writer: StateWriter | undefined = options.dataFile ? createStateWriter(options.dataFile, () => state) : undefined;
  const webhooks: WebhookSender | undefined = options.webhookUrl
    ? createWebhookSender(options.webhookUrl, { ...defaultWebhookRetry, ...options.webhookRetry }, createSeededRandom(seed ^ 0x5eed))
    : undefined;

  const emitEvent = createEventEmitter(() => state, now, randomUUID, (event) => {
    webhooks?.enqueue(event);
    writer?.markDirty();
  });
  const baseContext: Omit<RouteContext, 'params' | 'query' | 'body'> = {
    state,
    now,
    newId: randomUUID,
    approval,
    lenient: new Set(options.lenient ?? []),
    money: {
      seed,
      orderFillDelayMs: options.orderFillDelayMs ?? fastTiming.orderFillDelayMs,
      transferListingDelayMs: options.transferListingDelayMs ?? fastTiming.transferListingDelayMs,
    },
    emitEvent,
    undeliveredWebhooks: (eventId) => webhooks?.undelivered(eventId) ?? 0,
  };
  const tickers = options.tickers ?? allTickers();
  const tokens = createTokenStore(options.tokenTtlSeconds ?? 3599);
  const credentials = options.clientId !== undefined && options.clientSecret !== undefined ? { clientId: options.clientId, clientSecret: options.clientSecret } : undefined;
  // Rate limits are asked for (`rateLimits: 'paxos'`): the library's emulator seeds fixtures, the `emulator` command predicts Paxos.
  let rateLimits = options.rateLimits ?? 'off';
  const newLimiter = () => (rateLimits === 'paxos' ? createRateLimiter({ windowMs: options.rateWindowMs ?? 300_000, lockoutMs: options.lockoutMs ?? 300_000 }) : undefined);
  const reset = () => {
    // In place: the routes, the tickers and `RunningEmulator.state` all hold this object.
    const fresh: Record<string, unknown> = createEmptyState() as unknown as Record<string, unknown>;
    const live = state as unknown as Record<string, unknown>;
    for (const key of Object.keys(live)) delete live[key];
    Object.assign(live, fresh);
    runtime.limiter = newLimiter();
    writer?.markDirty();
  };
  const runtime: EmulatorRuntime = {
    router: createRouter<RouteEntry>(
      (options.routes ?? allRoutes()).map((route) => ({ method: route.method, path: route.path, value: { route, operation: findSpecOperation(route.operationId) } })),
    ),
    tokens,
    tokenEndpoint: { tokens, credentials, allowedScopes: options.clientScopes ? new Set(options.clientScopes) : undefined },
    limiter: newLimiter(),
    faults: createFaultInjector(faultSpec, seed),
    latencyMs: options.latencyMs ?? 0,
    validator: baseContext.lenient.has('undeclared-body-fields')
      ? createSchemaValidator(applyRequestQuirks(emulatorSchemas))
      : createSchemaValidator(emulatorSchemas, { closed: true }),
    now,
    baseContext,
    runTickers() {
      let changed = false;
      for (const ticker of tickers) if (ticker(baseContext) === true) changed = true;
      if (changed) writer?.markDirty();
    },
    onCommit: () => writer?.markDirty(),
    reset,
  };

  const server = createServer({ keepAlive: true }, (request, response) => {
    // handleRequest renders every problem itself; this only guards against a failing socket write.
    handleRequest(runtime, request, response).catch(() => response.destroy());
  });
  server.keepAliveTimeout = 30_000;
  await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
  const interval = tickers.length > 0 ? setInterval(() => runtime.runTickers(), options.tickIntervalMs ?? defaultTickIntervalMs) : undefined;
  interval?.unref();

  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${address.port}`,
    state,
    seed,
    reset,
    configure(settings) {
      if (settings.rateLimits !== undefined) {
        rateLimits = settings.rateLimits;
        runtime.limiter = newLimiter();
      }
      const money = baseContext.money;
      if (money && settings.orderFillDelayMs !== undefined) money.orderFillDelayMs = settings.orderFillDelayMs;
      if (money && settings.transferListingDelayMs !== undefined) money.transferListingDelayMs = settings.transferListingDelayMs;
    },
    close() {
      closing ??= (async () => {
        if (interval) clearInterval(interval);
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await closed;
        await webhooks?.close();
        // Written on close when it was not there (or not private), so `--data` names a file afterwards even when nothing changed.
        if (!keptAsIs) writer?.markDirty();
        await writer?.flush();
      })();
      return closing;
    },
  };
}

async function isPrivateFile(file: string): Promise<boolean> {
  try {
    const info = await stat(file);
    return info.isFile() && (info.mode & 0o077) === 0;
  } catch {
    return false;
  }
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
