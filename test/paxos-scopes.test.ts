/**
 * A run asks for exactly the scopes its manifest's kinds need: a plan the
 * read scopes of those kinds, an apply those plus their write scopes. Paxos
 * refuses a token request naming a scope the key lacks (invalid_scope), so
 * asking for more would stop a key made for identities from running even an
 * identity-only manifest. Proved through a proxy that records every token
 * request, and against an emulator whose credential allows only some scopes.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apply, plan as planLibrary, readScopes, runScopes } from '../src/index.js';
import { loadManifest } from '../src/manifest/validate-manifest.js';
import { makePlan } from '../src/plan/make-plan.js';
import type { RequestLogEntry } from '../src/paxos/request-log.js';
import { header, personYaml } from './support/plan-manifests.js';
import { applySequentially, startPlanWorld, type PlanWorld } from './support/plan-world.js';
import { startTestEmulator, type TestEmulator } from './support/test-emulator.js';
import { writeTempManifests, type TempManifestDir } from './support/temp-manifest.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures');
/** The hand-written fixtures (the generated 200-person world has a test of its own). */
const handWritten = ['institution-brokerage.yaml', 'omnibus.yaml', 'person-brokerage.yaml', 'trust.yaml'].map((name) => join(fixtures, name));

const identityOnly = `${header('local')}persons:\n${personYaml('alice')}\n`;
const withAccount = `${identityOnly}accounts:\n  alice-brokerage: { identity: person.alice, description: Alice brokerage }\n`;

let world: PlanWorld;
let proxy: RecordingProxy | undefined;
let limited: TestEmulator | undefined;
let dirs: TempManifestDir[] = [];
beforeEach(async () => {
  world = await startPlanWorld();
});
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
  await limited?.close();
  limited = undefined;
  for (const dir of dirs.splice(0)) await dir.remove();
  await world.close();
});

async function manifestDir(text: string): Promise<TempManifestDir> {
  const dir = await writeTempManifests({ 'manifest.yaml': text });
  dirs.push(dir);
  return dir;
}

/** The scopes of the one token request that passed through the proxy. */
function askedScopes(recording: RecordingProxy): string[] | undefined {
  expect(recording.tokenRequests).toHaveLength(1);
  return recording.tokenRequests[0]?.get('scope')?.split(' ');
}

describe('scopes', () => {
  it('readScopes are the read halves of runScopes, without events (plan does not read them)', () => {
    expect(readScopes.every((scope) => (runScopes as readonly string[]).includes(scope))).toBe(true);
    expect(readScopes.filter((scope) => !scope.includes(':read_'))).toEqual([]);
    expect(readScopes).not.toContain('events:read_event');
  });

  it('a plan of an identity-only manifest asks for identity:read_identity alone', async () => {
    const dir = await manifestDir(identityOnly);
    proxy = await startRecordingProxy(world.emulator.url);
    const plan = await planLibrary([dir.path('manifest.yaml')], { target: proxy.url, env: {}, cwd: dir.dir });
    expect(askedScopes(proxy)).toEqual(['identity:read_identity']);
    expect(plan.summary.hasChanges).toBe(true);
  });

  it('an apply asks for the read and write scopes of its kinds, and no scope of a kind it does not have', async () => {
    const dir = await manifestDir(identityOnly);
    proxy = await startRecordingProxy(world.emulator.url);
    const result = await apply([dir.path('manifest.yaml')], { target: proxy.url, env: {}, cwd: dir.dir, pacing: 'off', pollIntervalMs: 20 });
    // Waiting for the identity's decision reads the events feed.
    expect(askedScopes(proxy)).toEqual(['events:read_event', 'identity:read_identity', 'identity:write_identity']);
    expect(result.outputs.resources['person.alice']).toMatchObject({ status: 'APPROVED' });
  });

  it('a plan of the whole fixture world asks for the read scopes of its kinds only, and every read (deep included) succeeds with that token', async () => {
    // The whole fixture world exists, so the refresh reads every kind: identities, accounts, profiles, transfers, orders.
    const model = await loadManifest(handWritten, { env: {} });
    const first = await makePlan(model, { client: world.client, cwd: fixtures });
    await applySequentially(model, first.plan, first.world, world.client);

    proxy = await startRecordingProxy(world.emulator.url);
    const entries: RequestLogEntry[] = [];
    const plan = await planLibrary(handWritten, { target: proxy.url, env: {}, cwd: fixtures, deep: true, onRequest: (entry) => entries.push(entry) });

    expect(askedScopes(proxy)).toEqual(['exchange:read_order', 'funding:read_profile', 'identity:read_account', 'identity:read_identity', 'transfer:read_transfer']);
    // No 403 (missing scope) or anything else: every read answered, and the world converged.
    expect(entries.filter((entry) => entry.status !== 200)).toEqual([]);
    expect(new Set(entries.map((entry) => entry.path.split('?')[0]?.replace(/\/identities\/[^/]+$/, '/identities/:id')))).toEqual(
      new Set(['/oauth2/token', '/v2/identity/identities', '/v2/identity/identities/:id', '/v2/identity/accounts', '/v2/profiles', '/v2/transfer/transfers', '/v2/orders']),
    );
    expect(plan.summary.hasChanges).toBe(false);

    // And a read-only token really cannot write: the emulator refuses it.
    const token = await world.emulator.token(readScopes);
    const write = await world.emulator.request('POST', '/v2/profiles', { nickname: 'not-allowed' }, { token });
    expect(write.status).toBe(403);
  });

  it('a key granted the identity scopes only applies an identity-only manifest, and a manifest with accounts fails naming the missing scopes and the command', async () => {
    // As Paxos: the token endpoint answers 400 invalid_scope to a request naming any scope outside the key's grant.
    // The identity scopes, and events:read_event, which waiting for an identity's decision reads.
    limited = await startTestEmulator({ rateLimits: 'off', clientScopes: ['identity:read_identity', 'identity:write_identity', 'events:read_event'] });
    const options = { target: limited.url, env: {}, pacing: 'off' as const, pollIntervalMs: 20 };

    const people = await manifestDir(identityOnly);
    const applied = await apply([people.path('manifest.yaml')], { ...options, cwd: people.dir });
    expect(applied.outputs.resources['person.alice']).toMatchObject({ status: 'APPROVED' });

    const accounts = await manifestDir(withAccount);
    const error: unknown = await apply([accounts.path('manifest.yaml')], { ...options, cwd: accounts.dir }).then(
      () => undefined,
      (refused: unknown) => refused,
    );
    expect(error).toMatchObject({ name: 'PaxosAuthError', code: 'paxos.missing_scope' });
    const message = (error as Error).message;
    // The command, and the scopes the key lacks with the kind that needs each.
    expect(message).toContain('apply of this manifest needs');
    expect(message).toContain('identity:read_account (account)');
    expect(message).toContain('identity:write_account (account)');
    // Nothing was written for the account: the run stopped at the token.
    expect(Object.keys(limited.state.accounts)).toEqual([]);
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
