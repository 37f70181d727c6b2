/**
 * The test proxies themselves: the spec proxy reports what Prism reports (and
 * undeclared body fields, which Prism lets pass), and the hostile proxy does
 * each unkind thing it promises. Without these, "0 violations" could mean
 * "nothing checked".
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { request as undiciRequest } from 'undici';
import { startHostileProxy } from './support/hostile-proxy.js';
import { startSpecProxy } from './support/spec-proxy.js';
import { startTestEmulator, type TestEmulator } from './support/test-emulator.js';

let running: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  const all = running.reverse();
  running = [];
  for (const item of all) await item.close();
});

async function emulator(): Promise<TestEmulator> {
  const started = await startTestEmulator({ rateLimits: 'off' });
  running.push(started);
  return started;
}

async function send(base: string, token: string, method: string, path: string, body?: unknown) {
  const response = await undiciRequest(`${base}${path}`, {
    method: method as 'GET',
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.body.text();
  return { status: response.statusCode, headers: response.headers, body: text === '' ? undefined : (JSON.parse(text) as any) };
}

describe('the spec proxy', () => {
  it('passes a conforming exchange and reports each kind of request violation, typed', async () => {
    const emu = await emulator();
    const proxy = await startSpecProxy(emu.url);
    running.push(proxy);
    const token = await emu.token();

    expect((await send(proxy.url, token, 'POST', '/v2/profiles', { nickname: 'fine' })).status).toBe(200);
    await send(proxy.url, token, 'GET', '/v2/profiles?limit=5&ids=a&ids=b');
    expect(proxy.violations()).toEqual([]);
    expect(proxy.checked()).toBe(2);

    await send(proxy.url, token, 'GET', '/v2/events?type=identity.approved&type=identity.denied');
    await send(proxy.url, token, 'GET', '/v2/profiles?account_id=x');
    await send(proxy.url, token, 'GET', '/v2/profiles?ids=a,b&limit=ten');
    await send(proxy.url, token, 'POST', '/v2/profiles', { nickname: 'extra', name: 'not declared' });
    await send(proxy.url, token, 'GET', '/v2/no-such-thing');
    expect(proxy.violations().map((violation) => [violation.code, violation.operationId ?? null])).toEqual([
      ['repeated-query-parameter', 'ListEvents'],
      ['undeclared-query-parameter', 'ListProfiles'],
      ['array-parameter-style', 'ListProfiles'],
      ['invalid-query-value', 'ListProfiles'],
      ['undeclared-body-field', 'CreateProfile'],
      ['unknown-operation', null],
    ]);
  });
});

describe('the hostile proxy', () => {
  it('refuses a repeated single-valued parameter with a 400 problem, and lets arrays repeat', async () => {
    const emu = await emulator();
    const proxy = await startHostileProxy(emu.url);
    running.push(proxy);
    const token = await emu.token();
    const refused = await send(proxy.url, token, 'GET', '/v2/events?type=identity.approved&type=identity.denied');
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ status: 400, title: 'Bad Request' });
    expect((await send(proxy.url, token, 'GET', '/v2/profiles?ids=a&ids=b')).status).toBe(200);
    expect(proxy.counts().refusedRepeated).toBe(1);
  });

  it('hides transfers younger than the window from the list, and shows them once it has passed', async () => {
    const emu = await emulator();
    let now = Date.now();
    const proxy = await startHostileProxy(emu.url, { now: () => now });
    running.push(proxy);
    const token = await emu.token();
    const profile = (await send(proxy.url, token, 'POST', '/v2/profiles', { nickname: 'funded' })).body.id as string;
    expect((await send(proxy.url, token, 'POST', `/v2/sandbox/profiles/${profile}/deposit`, { asset: 'USD', amount: '10' })).status).toBe(200);
    // Past whatever listing delay the emulator itself applies, so only the proxy hides it.
    now += 120_000;
    const until = Date.now() + 15_000;
    let direct: any[] = [];
    while (direct.length === 0 && Date.now() < until) {
      direct = (await emu.request('GET', `/v2/transfer/transfers?profile_ids=${profile}`)).body.items;
      if (direct.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(direct).toHaveLength(1);
    const created = Date.parse(direct[0].created_at);

    now = created + 9_000;
    expect((await send(proxy.url, token, 'GET', `/v2/transfer/transfers?profile_ids=${profile}`)).body.items).toEqual([]);
    now = created + 10_001;
    expect((await send(proxy.url, token, 'GET', `/v2/transfer/transfers?profile_ids=${profile}`)).body.items).toHaveLength(1);
    expect(proxy.counts().hiddenTransfers).toBe(1);
  });

  it('removes Retry-After and the cursors the spec does not declare', async () => {
    // A stub upstream, so the test does not depend on what the emulator sends today.
    const stub = createServer((request, response) => {
      if (request.url?.startsWith('/v2/identity/identities')) {
        response.writeHead(429, { 'content-type': 'application/problem+json', 'retry-after': '5' });
        response.end(JSON.stringify({ type: 'about:blank', title: 'Too Many Requests', status: 429 }));
      } else if (request.url?.startsWith('/v2/events')) {
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ events: [], next_page_cursor: 'invented' }));
      } else {
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ items: [], next_page_cursor: 'declared' }));
      }
    });
    await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
    running.push({ close: () => new Promise<void>((resolve) => { stub.closeAllConnections(); stub.close(() => resolve()); }) });
    const proxy = await startHostileProxy(`http://127.0.0.1:${(stub.address() as AddressInfo).port}`);
    running.push(proxy);

    const limited = await send(proxy.url, 't', 'GET', '/v2/identity/identities');
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBeUndefined();
    expect((await send(proxy.url, 't', 'GET', '/v2/events?limit=1')).body).toEqual({ events: [] });
    expect((await send(proxy.url, 't', 'GET', '/v2/profiles?limit=1')).body).toEqual({ items: [], next_page_cursor: 'declared' });
    expect(proxy.counts()).toMatchObject({ removedRetryAfter: 1, removedCursors: 1 });
  });
});
