/**
 * A run asks for exactly the scopes it needs: a plan only reads, so its token
 * carries `readScopes` and no write scope. Proved against the emulator, which
 * answers 403 to a token without the operation's scope, through a proxy that
 * records every token request.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadManifest } from '../src/manifest/validate-manifest.js';
import { makePlan } from '../src/plan/make-plan.js';
import { planManifest } from '../src/plan/plan-manifest.js';
import type { RequestLogEntry } from '../src/paxos/request-log.js';
import { readScopes, runScopes } from '../src/paxos/types.js';
import { applySequentially, startPlanWorld, type PlanWorld } from './support/plan-world.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures');

let world: PlanWorld;
let proxy: RecordingProxy | undefined;
beforeEach(async () => {
  world = await startPlanWorld();
});
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
  await world.close();
});

describe('scopes', () => {
  it('readScopes are the read halves of runScopes, without events (plan does not read them)', () => {
    expect(readScopes.every((scope) => (runScopes as readonly string[]).includes(scope))).toBe(true);
    expect(readScopes.filter((scope) => !scope.includes(':read_'))).toEqual([]);
    expect(readScopes).not.toContain('events:read_event');
  });

  it('a plan asks for readScopes only, and every read of a full world (deep included) succeeds with that token', async () => {
    // The whole fixture world exists, so the refresh reads every kind: identities, accounts, profiles, transfers, orders.
    const model = await loadManifest([fixtures], { env: {} });
    const first = await makePlan(model, { client: world.client, cwd: fixtures });
    await applySequentially(model, first.plan, first.world, world.client);

    proxy = await startRecordingProxy(world.emulator.url);
    const entries: RequestLogEntry[] = [];
    const plan = await planManifest([fixtures], { target: proxy.url, env: {}, cwd: fixtures, deep: true, onRequest: (entry) => entries.push(entry) });

    expect(proxy.tokenRequests).toHaveLength(1);
    expect(proxy.tokenRequests[0]?.get('scope')?.split(' ')).toEqual([...readScopes]);
    // No 403 (missing scope) or anything else: every read answered, and the world converged.
    expect(entries.filter((entry) => entry.status !== 200)).toEqual([]);
    expect(new Set(entries.map((entry) => entry.path.split('?')[0]?.replace(/\/identities\/[^/]+$/, '/identities/:id')))).toEqual(
      new Set(['/oauth2/token', '/v2/identity/identities', '/v2/identity/identities/:id', '/v2/identity/accounts', '/v2/profiles', '/v2/transfer/transfers', '/v2/orders']),
    );
    expect(plan.summary.hasChanges).toBe(false);

    // And that token really cannot write: the emulator refuses it.
    const token = await world.emulator.token(readScopes);
    const write = await world.emulator.request('POST', '/v2/profiles', { nickname: 'not-allowed' }, { token });
    expect(write.status).toBe(403);
  });
});

interface RecordingProxy {
  url: string;
  /** The form of every token request that passed through. */
  tokenRequests: URLSearchParams[];
  close(): Promise<void>;
}

/** Forwards everything to `target` and keeps each token request's form fields. */
async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const tokenRequests: URLSearchParams[] = [];
  const server: Server = createServer(async (request, response) => {
    let body = '';
    for await (const chunk of request) body += String(chunk);
    if (request.url === '/oauth2/token') tokenRequests.push(new URLSearchParams(body));
    const headers: Record<string, string> = {};
    for (const name of ['authorization', 'content-type', 'accept']) {
      const value = request.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const answer = await fetch(`${target}${request.url ?? '/'}`, { method: request.method ?? 'GET', headers, ...(body === '' ? {} : { body }) });
    response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' }).end(await answer.text());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    tokenRequests,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
