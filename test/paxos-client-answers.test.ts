import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { PaxosApiError } from '../src/errors.js';
import { personBody } from './support/emulator-builders.js';
import { createClientHarness, testSecret } from './support/paxos-client-harness.js';

const harness = createClientHarness();
afterEach(() => harness.closeAll());
afterAll(() => {
  // Across every test of this file: no log line ever held the secret.
  expect(harness.logLines().length).toBeGreaterThan(0);
  expect(harness.logLines().join('\n')).not.toContain(testSecret);
});

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error,
  );
}

describe('problems', () => {
  it('parse into PaxosApiError with status, type, detail, meta and the request id', async () => {
    const emulator = await harness.startEmulator({ rateLimits: 'off' });
    const client = harness.client(emulator);
    const body = personBody();
    const first = await client.request<{ id: string }>({ method: 'POST', path: '/v2/identity/identities', body, retry: 'natural-key' });

    const duplicate = await rejectionOf(client.request({ method: 'POST', path: '/v2/identity/identities', body, retry: 'natural-key' }));
    expect(duplicate).toBeInstanceOf(PaxosApiError);
    expect(duplicate).toMatchObject({ code: 'paxos.http_409', status: 409, method: 'POST', path: '/v2/identity/identities', existingId: first.id });
    const { problem, requestId } = duplicate as PaxosApiError;
    expect(problem).toMatchObject({ status: 409, detail: 'duplicate ref_id provided', meta: { existing: { id: first.id } } });
    expect(problem.type).toMatch(/^https:\/\//);
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);

    const invalid = (await rejectionOf(client.request({ method: 'POST', path: '/v2/identity/identities', body: { ref_id: 'x' } }))) as PaxosApiError;
    expect(invalid.status).toBe(400);
    expect(invalid.message).toMatch(/^POST \/v2\/identity\/identities answered 400: /);
    expect(invalid.requestId).not.toBe(requestId);

    const missing = (await rejectionOf(client.request({ method: 'GET', path: '/v2/identity/identities/no-such-id' }))) as PaxosApiError;
    expect(missing.status).toBe(404);
    // Answers are answers: a 4xx is never repeated.
    expect(client.stats().retries).toBe(0);
  });

  it('never carry the client secret or the token, even from a server that echoes them', async () => {
    const token = 'tok-echoed-back-0123456789';
    const server = await listen(async (request, body) => {
      if (request.url === '/oauth2/token') {
        const secret = new URLSearchParams(body).get('client_secret') ?? '';
        return body.includes('client_id=refused')
          ? { status: 401, body: { error: 'invalid_client', error_description: `unknown secret ${secret}`, title: `secret ${secret}` } }
          : { status: 200, body: { access_token: token, expires_in: 3600, token_type: 'bearer' } };
      }
      return { status: 400, body: { title: `Bad ${request.headers.authorization}`, status: 400, detail: `you sent ${request.headers.authorization}; secret ${testSecret}` } };
    });
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const apiError = (await rejectionOf(harness.client({ url }).request({ method: 'GET', path: '/v2/profiles', query: { nickname: 'Alice Smith' } }))) as PaxosApiError;
      expect(apiError.problem.detail).toBe('you sent Bearer ***; secret ***');
      const authError = (await rejectionOf(
        harness.client({ url }, { credentials: { clientId: 'refused', clientSecret: testSecret } }).request({ method: 'GET', path: '/v2/profiles' }),
      )) as Error;
      expect(authError.message).toContain('invalid_client: unknown secret ***');

      const printed = [apiError.message, JSON.stringify(apiError.problem), String(apiError.stack), authError.message, String(authError.stack), ...harness.logLines()].join('\n');
      expect(printed).not.toContain(testSecret);
      expect(printed).not.toContain(token);
      expect(printed).not.toContain('Alice');
      expect(harness.logLines().filter((line) => /^GET \/v2\/profiles\?nickname=\*\*\* 400 \d+ms$/.test(line))).toHaveLength(1);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('secret scrubbing', () => {
  it('hides the secret as the token request encoded it (+ / = and spaces), in detail and anywhere in meta', async () => {
    const secret = 'sk+live/never=print me 0123';
    const token = 'tok-echoed-back-0123456789';
    let sent = '';
    const server = await listen((request, body) => {
      // What went over the wire: `client_secret=sk%2Blive%2Fnever%3Dprint+me+0123`.
      if (request.url === '/oauth2/token') {
        sent = /client_secret=([^&]*)/.exec(body)?.[1] ?? '';
        return body.includes('client_id=refused')
          ? { status: 401, body: { error: `invalid_client ${sent}`, error_description: `no such secret ${sent}`, meta: { client_secret: sent } } }
          : { status: 200, body: { access_token: token, expires_in: 3600, token_type: 'bearer' } };
      }
      const lower = sent.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());
      return {
        status: 400,
        body: {
          type: `https://example.test/problems/bad?${sent}`,
          title: 'Bad Request',
          status: 400,
          detail: `form ${sent}; lower ${lower}; uri ${encodeURIComponent(secret)}; raw ${secret}`,
          meta: { echo: sent, nested: { list: [secret, { again: lower }, 42, true, null] }, [`key ${sent}`]: 'x', existing: { id: 'id-1' } },
        },
      };
    });
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const apiError = (await rejectionOf(harness.client({ url }, { credentials: { clientId: 'test-client', clientSecret: secret } }).request({ method: 'GET', path: '/v2/profiles' }))) as PaxosApiError;
      expect(sent).toBe('sk%2Blive%2Fnever%3Dprint+me+0123');
      expect(apiError.problem.detail).toBe('form ***; lower ***; uri ***; raw ***');
      expect(apiError.problem.type).toBe('https://example.test/problems/bad?***');
      expect(apiError.problem.meta).toEqual({ echo: '***', nested: { list: ['***', { again: '***' }, 42, true, null] }, 'key ***': 'x', existing: { id: 'id-1' } });
      // What is kept is still usable.
      expect(apiError.existingId).toBe('id-1');

      const authError = (await rejectionOf(
        harness.client({ url }, { credentials: { clientId: 'refused', clientSecret: secret } }).request({ method: 'GET', path: '/v2/profiles' }),
      )) as Error;
      expect(authError.message).toContain('(invalid_client ***: no such secret ***)');

      const printed = [apiError.message, JSON.stringify(apiError.problem), String(apiError.stack), authError.message, ...harness.logLines()].join('\n');
      for (const form of [secret, sent, encodeURIComponent(secret), 'never', '%2Fnever']) expect(printed).not.toContain(form);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('listAll', () => {
  it('follows next_page_cursor to the end, with arrays in the query as repeated keys', async () => {
    const emulator = await harness.startEmulator({ rateLimits: 'off' });
    const client = harness.client(emulator);
    const ids: string[] = [];
    for (let index = 0; index < 5; index++) {
      ids.push((await client.request<{ id: string }>({ method: 'POST', path: '/v2/profiles', body: { nickname: `book-${index}` }, retry: 'natural-key' })).id);
    }
    const all = await client.listAll<{ id: string }>({ method: 'GET', path: '/v2/profiles' }, { pageSize: 2 });
    expect(all.map((profile) => profile.id).sort()).toEqual(Object.keys(emulator.state.profiles).sort());
    expect(client.entries.filter((entry) => entry.path.startsWith('/v2/profiles?'))).toHaveLength(Math.ceil(all.length / 2));

    const some = await client.listAll<{ id: string }>({ method: 'GET', path: '/v2/profiles', query: { ids: [ids[1] ?? '', ids[3] ?? ''] } });
    expect(some.map((profile) => profile.id).sort()).toEqual([ids[1], ids[3]].sort());
    expect(client.entries.at(-1)?.path).toBe(`/v2/profiles?ids=${ids[1]}&ids=${ids[3]}&limit=1000`);

    // Events sit under `events`, at most 100 a page.
    const events = await client.listAll<{ id: string }>({ method: 'GET', path: '/v2/events' });
    expect(events).toHaveLength(emulator.state.events.length);
    expect(client.entries.at(-1)?.path).toBe('/v2/events?limit=100');
  });

  it('sends each array item under its own key on the wire, and the log hides every PII-bearing repeat', async () => {
    const seen: string[] = [];
    const server = await listen((request) => {
      if (request.url === '/oauth2/token') return { status: 200, body: { access_token: 'tok-0123456789', expires_in: 3600, token_type: 'bearer' } };
      seen.push(request.url ?? '');
      return { status: 200, body: { items: [] } };
    });
    try {
      const client = harness.client({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
      await client.listAll({ method: 'GET', path: '/v2/transfer/transfers', query: { profile_ids: ['p1', 'p2'], type: ['CRYPTO_DEPOSIT', 'WIRE_DEPOSIT'] } });
      await client.listAll({ method: 'GET', path: '/v2/orders', query: { ref_ids: ['alice-smith-buy', 'bob-jones-buy'] } });
      expect(seen).toEqual([
        '/v2/transfer/transfers?profile_ids=p1&profile_ids=p2&type=CRYPTO_DEPOSIT&type=WIRE_DEPOSIT&limit=1000',
        '/v2/orders?ref_ids=alice-smith-buy&ref_ids=bob-jones-buy&limit=1000',
      ]);
      expect(client.entries.map((entry) => entry.path).filter((path) => path.startsWith('/v2/'))).toEqual([
        '/v2/transfer/transfers?profile_ids=p1&profile_ids=p2&type=CRYPTO_DEPOSIT&type=WIRE_DEPOSIT&limit=1000',
        '/v2/orders?ref_ids=***&ref_ids=***&limit=1000',
      ]);
      expect(harness.logLines().join('\n')).not.toMatch(/alice|bob/);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

type Answer = { status: number; body: unknown };

/** A throwaway server on port 0 answering JSON from `answer(request, body)`. */
async function listen(answer: (request: IncomingMessage, body: string) => Promise<Answer> | Answer): Promise<Server> {
  const server = createServer(async (request, response) => {
    let body = '';
    for await (const chunk of request) body += String(chunk);
    const { status, body: payload } = await answer(request, body);
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}
