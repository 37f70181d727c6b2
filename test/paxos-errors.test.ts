/**
 * What a user sees when Paxos keeps failing: the last status and detail (or
 * the transport error) in the message, and the request id and problem type
 * printed by the CLI, never a token or the secret.
 */
import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { renderError } from '../src/cli/render-error.js';
import { PaxosAmbiguousError, PaxosApiError, PaxosNetworkError } from '../src/errors.js';
import { createClientHarness, testSecret } from './support/paxos-client-harness.js';

const harness = createClientHarness();
const servers: Server[] = [];
afterEach(async () => {
  await harness.closeAll();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const token = 'tok-never-print-0123456789';
const problemType = 'https://developer.paxos.com/docs/v2/problems/service-unavailable';

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error,
  );
}

/** A server whose token endpoint works and whose API answers `answer(request)` with its headers. */
async function listen(answer: (request: IncomingMessage, attempt: number) => { status: number; body: unknown; headers?: OutgoingHttpHeaders }): Promise<string> {
  let attempt = 0;
  const server = createServer(async (request, response) => {
    for await (const _chunk of request);
    if (request.url === '/oauth2/token') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: token, expires_in: 3600, token_type: 'bearer' }));
      return;
    }
    attempt += 1;
    const { status, body, headers } = answer(request, attempt);
    response.writeHead(status, { 'content-type': 'application/problem+json', ...headers }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const unavailable = (attempt: number) => ({
  status: 503,
  body: { type: problemType, title: 'Service Unavailable', status: 503, detail: `ledger busy, try later (#${attempt})` },
  headers: { 'x-request-id': `req-${attempt}` },
});

/** A gateway's 5xx: the write behind it may or may not have happened. */
const badGateway = (attempt: number) => ({ ...unavailable(attempt), status: 502, body: { ...unavailable(attempt).body, title: 'Bad Gateway', status: 502 } });

describe('errors after repeated failures', () => {
  it('PaxosNetworkError says what the last answer was, and the CLI prints its request id and problem type', async () => {
    const url = await listen((_request, attempt) => unavailable(attempt));
    const client = harness.client({ url }, { retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 } });
    const error = await rejectionOf(client.request({ method: 'GET', path: '/v2/profiles' }));
    expect(error).toBeInstanceOf(PaxosNetworkError);
    expect((error as PaxosNetworkError).message).toBe('GET /v2/profiles: no usable answer after 3 attempts; the last was 503 (ledger busy, try later (#3))');
    expect((error as PaxosNetworkError).lastFailure).toBe('503 (ledger busy, try later (#3))');

    const printed = renderError(error);
    expect(printed.split('\n')).toEqual([
      'error paxos.unreachable: GET /v2/profiles: no usable answer after 3 attempts; the last was 503 (ledger busy, try later (#3))',
      '  request id: req-3',
      `  problem type: ${problemType}`,
    ]);
  });

  it('PaxosNetworkError names the transport error when no answer ever came', async () => {
    const gone = await harness.startEmulator();
    const live = await harness.startEmulator({ rateLimits: 'off' });
    await gone.close();
    const target = { kind: 'url' as const, environment: 'local' as const, apiUrl: `${gone.url}/v2`, tokenUrl: `${live.url}/oauth2/token`, description: 'api gone' };
    const client = harness.client(live, { target, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 } });
    const error = await rejectionOf(client.request({ method: 'GET', path: '/v2/profiles' }));
    expect((error as PaxosNetworkError).message).toBe('GET /v2/profiles: no usable answer after 2 attempts; the last was ECONNREFUSED');
    expect(renderError(error)).toBe('error paxos.unreachable: GET /v2/profiles: no usable answer after 2 attempts; the last was ECONNREFUSED');
  });

  it('does not repeat a write without a key after a 503: a gateway may say it after the backend committed (issue 11)', async () => {
    // The second attempt would succeed: only a repeat could reach it, and a repeat may credit the deposit twice.
    const url = await listen((_request, attempt) => (attempt === 1 ? unavailable(attempt) : { status: 200, body: { activity_id: 'a-1' }, headers: {} }));
    const client = harness.client({ url });
    const error = await rejectionOf(client.request({ method: 'POST', path: '/v2/sandbox/profiles/p1/deposit', body: { asset: 'USD', amount: '1' } }));
    expect(error).toBeInstanceOf(PaxosAmbiguousError);
    expect(error).toMatchObject({ code: 'paxos.ambiguous', status: 503, failure: '503 (ledger busy, try later (#1))' });
    expect(client.stats()).toMatchObject({ calls: 1, retries: 0 });
    expect(client.entries.filter((entry) => entry.path === '/v2/sandbox/profiles/p1/deposit')).toHaveLength(1);
  });

  it('PaxosAmbiguousError from a 5xx names the status and what it said', async () => {
    const url = await listen((_request, attempt) => badGateway(attempt));
    const client = harness.client({ url });
    const error = await rejectionOf(client.request({ method: 'POST', path: '/v2/sandbox/profiles/p1/deposit', body: { asset: 'USD', amount: '1' } }));
    expect(error).toBeInstanceOf(PaxosAmbiguousError);
    expect(error).toMatchObject({ status: 502, failure: '502 (ledger busy, try later (#1))' });
    expect((error as Error).message).toBe(
      'POST /v2/sandbox/profiles/p1/deposit: answered 502 (ledger busy, try later (#1)), so whether it took effect is unknown; reconcile before retrying',
    );
    expect(renderError(error)).toContain('\n  request id: req-1\n');
  });

  it('the CLI prints a PaxosApiError’s request id and problem type, never the token or the secret, even when the server echoes them', async () => {
    const url = await listen((request) => ({
      status: 400,
      body: { type: `${problemType}?\u001b[31m${request.headers.authorization}`, title: 'Bad Request', status: 400, detail: `bad filter; secret ${testSecret}` },
      headers: { 'x-request-id': `req-${request.headers.authorization}` },
    }));
    const error = await rejectionOf(harness.client({ url }).request({ method: 'GET', path: '/v2/profiles' }));
    expect(error).toBeInstanceOf(PaxosApiError);
    const printed = renderError(error);
    expect(printed.split('\n')).toEqual([
      'error paxos.http_400: GET /v2/profiles answered 400: bad filter; secret ***',
      '  request id: req-Bearer ***',
      // The escape character a server sent is shown escaped, never sent to the terminal (issue 11).
      `  problem type: ${problemType}?\\x1b[31mBearer ***`,
    ]);
    expect(printed).not.toContain('\u001b');
    expect(printed).not.toContain(token);
    expect(printed).not.toContain(testSecret);
  });
});
