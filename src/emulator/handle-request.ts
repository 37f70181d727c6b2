/**
 * The request pipeline, in the order Paxos's edge applies it: lockout and
 * rate limits, routing (404/405), authentication (401) and scopes (403),
 * injected 5xx, body parsing and schema validation (400), tickers, the
 * handler, persistence, and the optional reset after commit. Handlers throw
 * `ProblemError`s; they are rendered here, once.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { rateClassOf } from '../domain/rate-classes.js';
import { ProblemError, problems, type Route, type RouteContext } from './framework.js';
import type { FaultInjector } from './fault-injector.js';
import { parseJsonBody, readBodyText, sendJson, sendProblem, toProblem } from './http-io.js';
import type { RateLimiter } from './rate-limiter.js';
import type { Router } from './router.js';
import type { SpecOperation } from './spec/spec-data.js';
import type { SchemaValidator } from './spec/openapi-schemas.js';
import { issueToken, readTokenRequest, type TokenEndpointConfig } from './token-endpoint.js';
import type { IssuedToken, TokenStore } from './token-store.js';

export interface RouteEntry {
  route: Route;
  operation: SpecOperation | undefined;
}

/** What every request shares; built once by `startEmulator`. */
export interface EmulatorRuntime {
  router: Router<RouteEntry>;
  tokens: TokenStore;
  tokenEndpoint: TokenEndpointConfig;
  limiter: RateLimiter | undefined;
  faults: FaultInjector;
  latencyMs: number;
  validator: SchemaValidator;
  now(): Date;
  /** The context fields that do not depend on the request. */
  baseContext: Omit<RouteContext, 'params' | 'query' | 'body'>;
  runTickers(): void;
  /** Called after a write method's handler returned: the state may have changed. */
  onCommit(): void;
  /** Empties the state (`POST /_emulator/reset`). */
  reset(): void;
}

/** The emulator's own control endpoint, outside the Paxos API: empties the state between test suites. */
export const resetPath = '/_emulator/reset';

const writeMethods = new Set(['POST', 'PUT', 'DELETE', 'PATCH']);

export async function handleRequest(runtime: EmulatorRuntime, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const method = request.method ?? 'GET';
  const url = request.url ?? '/';
  const queryStart = url.indexOf('?');
  const path = queryStart === -1 ? url : url.slice(0, queryStart);
  // Paxos names every answer, errors included, so a support request can quote it.
  response.setHeader('x-request-id', randomUUID());
  let outcome: { status: number; body: unknown } | 'reset';
  try {
    if (path === resetPath) outcome = answerReset(runtime, request, response, method);
    else outcome = path === '/oauth2/token' ? await answerToken(runtime, request, response, method) : await answerApi(runtime, request, response, method, path, url, queryStart);
  } catch (error) {
    const problem = toProblem(error);
    await delay(runtime);
    if (!response.headersSent && !response.destroyed) sendProblem(response, problem);
    return;
  }
  await delay(runtime);
  if (outcome === 'reset') request.socket.destroy();
  else sendJson(response, outcome.status, outcome.body);
}

async function delay(runtime: EmulatorRuntime): Promise<void> {
  const ms = runtime.faults.latencyFor(runtime.latencyMs);
  if (ms > 0) await sleep(ms);
}

function clientAddress(request: IncomingMessage): string {
  return `ip:${request.socket.remoteAddress ?? 'unknown'}`;
}

/**
 * Paxos counts its limits and its lockout per source address: once one client
 * trips them, every client from that address (any token, the token endpoint
 * too) is refused. `per-client-rate-limits` counts per client id instead, when
 * a token names one.
 */
function admit(runtime: EmulatorRuntime, request: IncomingMessage, response: ServerResponse, token: IssuedToken | undefined, method: string, path: string): void {
  if (!runtime.limiter) return;
  const { lenient } = runtime.baseContext;
  const key = token && lenient.has('per-client-rate-limits') ? `client:${token.clientId}` : clientAddress(request);
  const decision = runtime.limiter.admit(key, rateClassOf(method, path), runtime.now().getTime());
  if (decision.allowed) return;
  // Paxos documents no Retry-After: a client must know the lockout, not be told it.
  if (lenient.has('retry-after')) response.setHeader('retry-after', String(decision.retryAfterSeconds));
  throw problems.tooManyRequests(decision.reason);
}

async function answerToken(runtime: EmulatorRuntime, request: IncomingMessage, response: ServerResponse, method: string) {
  if (method !== 'POST') {
    throw new ProblemError({ status: 405, title: 'Method Not Allowed', detail: `${method} is not allowed on /oauth2/token; use POST` });
  }
  admit(runtime, request, response, undefined, method, '/oauth2/token');
  const text = await readBodyText(request);
  const fields = readTokenRequest(text, request.headers['content-type'], request.headers.authorization);
  return { status: 200, body: issueToken(fields, runtime.tokenEndpoint, runtime.now().getTime()) };
}

/**
 * `POST /_emulator/reset`: not Paxos, so no rate limit, fault or latency
 * applies. Anyone who can get a token may already write anything, so a
 * token issued by this emulator is enough; without one, only a caller on this
 * machine (loopback) may reset: an emulator listening on 0.0.0.0 is not
 * emptied by a stray request from the network. In a container, where the
 * host's calls arrive from a bridge address, send a bearer token.
 */
function answerReset(runtime: EmulatorRuntime, request: IncomingMessage, response: ServerResponse, method: string): { status: number; body: unknown } {
  if (method !== 'POST') {
    response.setHeader('allow', 'POST');
    throw new ProblemError({ status: 405, title: 'Method Not Allowed', detail: `${method} is not allowed on ${resetPath}; use POST` });
  }
  const presented = bearerToken(request);
  const token = presented === undefined ? undefined : runtime.tokens.lookup(presented, runtime.now().getTime());
  if (!token && !isLoopbackAddress(request.socket.remoteAddress)) {
    throw problems.unauthorized(`${resetPath} from another machine needs a bearer token issued by this emulator (send Authorization: Bearer <token>)`);
  }
  runtime.reset();
  return { status: 200, body: { reset: true } };
}

function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return v4.startsWith('127.') || address === '::1';
}

function bearerToken(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  if (!header || header.length < 8 || header.slice(0, 7).toLowerCase() !== 'bearer ') return undefined;
  return header.slice(7).trim() || undefined;
}

async function answerApi(
  runtime: EmulatorRuntime,
  request: IncomingMessage,
  response: ServerResponse,
  method: string,
  path: string,
  url: string,
  queryStart: number,
): Promise<{ status: number; body: unknown } | 'reset'> {
  const nowMs = runtime.now().getTime();
  const presented = bearerToken(request);
  const token = presented === undefined ? undefined : runtime.tokens.lookup(presented, nowMs);
  admit(runtime, request, response, token, method, path);

  const match = runtime.router.match(method, path);
  if (match.kind === 'not-found') throw problems.notFound(`no such endpoint: ${method} ${path}`);
  if (match.kind === 'method-not-allowed') {
    response.setHeader('allow', match.allowed.join(', '));
    throw new ProblemError({ status: 405, title: 'Method Not Allowed', detail: `${method} is not allowed on ${path}; allowed: ${match.allowed.join(', ')}` });
  }
  const { route, operation } = match.value;
  if (!route.public) authorize(presented, token, operation);
  const query = new URLSearchParams(queryStart === -1 ? '' : url.slice(queryStart + 1));
  if (!runtime.baseContext.lenient.has('repeated-query-params')) refuseRepeatedParameters(query, operation);

  if (runtime.faults.failBeforeHandler()) {
    throw new ProblemError({ status: 503, title: 'Service Unavailable', detail: 'injected fault: the request was not processed' });
  }

  let body: unknown;
  if (writeMethods.has(method)) {
    body = parseJsonBody(await readBodyText(request));
    if (operation?.requestSchemaRef && runtime.validator.has(operation.requestSchemaRef)) {
      body ??= {};
      const violations = runtime.validator.validate(operation.requestSchemaRef, body);
      const first = violations[0];
      if (first) {
        throw new ProblemError({
          status: 400,
          title: 'Bad Request',
          detail: violations.map((violation) => `${violation.field}: ${violation.message}`).join('; '),
          meta: { field: first.field, violations },
        });
      }
    }
  }

  runtime.runTickers();
  const context: RouteContext = {
    ...runtime.baseContext,
    params: match.params,
    query,
    body,
  };
  let result;
  try {
    result = await route.handler(context);
  } finally {
    if (writeMethods.has(method)) runtime.onCommit();
  }
  const status = result.status ?? 200;
  if (status < 300 && runtime.faults.resetAfterCommit(method)) return 'reset';
  return { status, body: result.body };
}

/**
 * A parameter the spec declares single-valued (a string, integer or boolean;
 * only `array`s are `explode: true` lists) given twice is refused: a
 * gRPC-gateway server, which the spec's names suggest, answers 400 or silently
 * keeps one value, and both break a client that relies on the list. Unknown
 * parameters stay accepted: the docs do not say Paxos refuses them, and the
 * emulator is strict only where the spec is.
 */
function refuseRepeatedParameters(query: URLSearchParams, operation: SpecOperation | undefined): void {
  const declared = operation?.queryParameters;
  if (!declared) return;
  const seen = new Set<string>();
  for (const name of query.keys()) {
    if (seen.has(name)) continue;
    seen.add(name);
    const type = declared[name];
    if (type === undefined || type === 'array') continue;
    const count = query.getAll(name).length;
    if (count > 1) throw problems.invalidField(name, `is a single ${type} in the Paxos spec but was given ${count} times; send it once (one request per value)`);
  }
}

function authorize(presented: string | undefined, token: IssuedToken | undefined, operation: SpecOperation | undefined): void {
  if (!token) throw problems.unauthorized(presented === undefined ? 'missing access token: send Authorization: Bearer <token>' : 'invalid or expired access token');
  const required = operation?.scopes ?? [];
  if (required.length === 0 || required.some((scope) => token.scopes.has(scope))) return;
  throw problems.forbidden(`insufficient scopes: found '${[...token.scopes].join(' ')}', required one of '[${required.join(' ')}]'`);
}
