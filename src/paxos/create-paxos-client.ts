/**
 * `createPaxosClient(options)`: the PaxosClient over undici, for one run.
 * The parts live beside it: the pacer, the token source, one request's
 * retry loop; this file wires them and adds paging and the counters.
 */
import { PaxosOnboardError } from '../errors.js';
import { systemClock } from './clock.js';
import { join } from 'node:path';
import { defaultPageSize, defaultRateLimitLockoutMs, maxEventsPageSize, type PaxosClientOptions } from './client-options.js';
import { createStats, snapshotStats, type ClientRuntime } from './client-runtime.js';
import { createPacer } from './pacer.js';
import { performRequest, type RequestContext } from './perform-request.js';
import { defaultRetryOptions } from './retry-timing.js';
import { createDispatcher } from './send-attempt.js';
import { createTokenFetchMemory, defaultCacheDir } from './token-fetch-memory.js';
import { createTokenSource } from './token-source.js';
import { runScopes, type ListOptions, type PaxosClient, type PaxosRequest } from './types.js';

export function createPaxosClient(options: PaxosClientOptions): PaxosClient {
  const clock = options.clock ?? systemClock;
  const onRequest = options.onRequest;
  const runtime: ClientRuntime = {
    dispatcher: createDispatcher(),
    pacer: createPacer({ clock, pacing: options.pacing ?? 'paxos' }),
    clock,
    retry: { ...defaultRetryOptions, ...options.retry },
    random: options.random ?? Math.random,
    stats: createStats(),
    lockoutMs: options.rateLimitLockoutMs ?? defaultRateLimitLockoutMs,
    notice(message) {
      try {
        options.onNotice?.(message);
      } catch {
        /* ignored on purpose, as for the log */
      }
    },
    log(entry) {
      // A logger that throws must not turn a good answer into a failed request.
      try {
        onRequest?.(entry);
      } catch {
        /* ignored on purpose */
      }
    },
  };
  const context: RequestContext = {
    runtime,
    tokens: createTokenSource(runtime, {
      tokenUrl: options.target.tokenUrl,
      credentials: options.credentials,
      scopes: options.scopes ?? runScopes,
      ...(options.scopePurpose !== undefined ? { scopePurpose: options.scopePurpose } : {}),
      ...(tokenTimesDirOf(options) === undefined
        ? {}
        : { lastFetch: createTokenFetchMemory(join(tokenTimesDirOf(options) ?? '', 'token-times'), options.target.tokenUrl, options.credentials.clientId, clock) }),
    }),
    apiRoot: options.target.apiUrl.replace(/\/+$/, '').replace(/\/v2$/, ''),
    secrets: [options.credentials.clientSecret],
  };
  const pageSize = options.pageSize ?? defaultPageSize;
  let closing: Promise<void> | undefined;

  const client: PaxosClient = {
    target: options.target,
    request: <T>(request: PaxosRequest) => performRequest(context, { ...request, path: apiPath(request.path) }) as Promise<T>,
    async listAll<T>(given: PaxosRequest & { method: 'GET' }, listOptions: ListOptions = {}): Promise<T[]> {
      const request = { ...given, path: apiPath(given.path) };
      const listKey = listOptions.listKey ?? (request.path === '/v2/events' ? 'events' : 'items');
      const requested = listOptions.pageSize ?? (typeof request.query?.limit === 'number' ? request.query.limit : pageSize);
      const limit = listKey === 'events' ? Math.min(requested, maxEventsPageSize) : requested;
      const items: T[] = [];
      const seen = new Set<string>();
      // A caller may resume from a cursor it kept; otherwise paging starts at the beginning.
      let cursor = typeof request.query?.page_cursor === 'string' && request.query.page_cursor !== '' ? request.query.page_cursor : undefined;
      do {
        const page = await client.request<Record<string, unknown> | undefined>({ ...request, query: { ...request.query, limit, page_cursor: cursor } });
        const pageItems = page?.[listKey];
        if (!Array.isArray(pageItems)) {
          throw new PaxosOnboardError('paxos.malformed_response', `GET ${request.path} answered a page without an '${listKey}' list`);
        }
        items.push(...(pageItems as T[]));
        const next = page?.next_page_cursor;
        cursor = typeof next === 'string' && next !== '' ? next : undefined;
        // A server that hands back a cursor twice would otherwise page forever.
        if (cursor !== undefined && seen.has(cursor)) {
          throw new PaxosOnboardError('paxos.malformed_response', `GET ${request.path} returned the same next_page_cursor twice`);
        }
        if (cursor !== undefined) seen.add(cursor);
      } while (cursor !== undefined);
      return items;
    },
    stats: () => snapshotStats(runtime.stats),
    close() {
      closing ??= (async () => {
        // Requests still waiting for their turn fail now instead of starting on a closed pool.
        runtime.pacer.close(new PaxosOnboardError('paxos.closed', 'the Paxos client was closed before this request was sent'));
        try {
          await runtime.dispatcher.close();
        } finally {
          await options.onClose?.();
        }
      })();
      return closing;
    },
  };
  return client;
}

/**
 * The target's `apiUrl` ends in `/v2`, so a path is taken relative to it:
 * `identity/identities` and `/identity/identities` mean
 * `/v2/identity/identities`, which is also accepted as written.
 */
export function apiPath(path: string): string {
  if (path === '/v2' || path.startsWith('/v2/') || path.startsWith('/v2?')) return path;
  return `/v2/${path.replace(/^\/+/, '')}`;
}

/**
 * Where token request times are kept, or undefined for nowhere: not for the
 * embedded emulator (a new one per run), nor for an unpaced run, nor when `PAXOS_ONBOARD_TOKEN_MEMORY=off`
 * (the test suite, whose runs against one emulator would otherwise wait a second each).
 */
function tokenTimesDirOf(options: PaxosClientOptions): string | undefined {
  // Unpaced means a target without rate limits (a test emulator): no token gap to keep either.
  if (options.tokenTimesDir === false || options.target.kind === 'local' || options.pacing === 'off') return undefined;
  if (options.tokenTimesDir !== undefined) return options.tokenTimesDir;
  return process.env.PAXOS_ONBOARD_TOKEN_MEMORY === 'off' ? undefined : defaultCacheDir();
}
