/**
 * One API request from the caller's point of view: authenticated, paced, and
 * repeated only when its retry policy says the repeat cannot do harm.
 *
 * - 429: never processed, so repeated for every policy once the lockout is
 *   over (Retry-After, else Paxos's documented lockout; the pause holds the
 *   whole client). It never fails a request by itself.
 * - 401: the token was refused; fetched anew once and repeated once.
 * - any 5xx (503 included: a gateway may say it after the backend committed),
 *   reset, timeout: `safe`/`natural-key` repeat with backoff; `never` throws
 *   `PaxosAmbiguousError`, since the write may have happened.
 * - connection never made: repeated for every policy, nothing was sent.
 */
import { rateClassOf } from '../domain/rate-classes.js';
import { PaxosAmbiguousError, PaxosApiError, PaxosNetworkError, PaxosOnboardError } from '../errors.js';
import { sleep } from './clock.js';
import { describeDelay, honourRateLimit, type ClientRuntime } from './client-runtime.js';
import { parseProblem, scrubSecrets } from './parse-problem.js';
import { encodeQuery, redactQuery } from './query-string.js';
import { backoffDelayMs } from './retry-timing.js';
import { headerValue, sendAttempt, TransportFailure, type HttpAnswer } from './send-attempt.js';
import type { TokenSource } from './token-source.js';
import type { PaxosRequest } from './types.js';

export interface RequestContext {
  runtime: ClientRuntime;
  tokens: TokenSource;
  /** The API base without its `/v2`: request paths start with `/v2/`. */
  apiRoot: string;
  /** Strings never to print: the client secret. */
  secrets: readonly string[];
}

export async function performRequest(context: RequestContext, request: PaxosRequest): Promise<unknown> {
  const { runtime, tokens } = context;
  const { method, path } = request;
  const policy = request.retry ?? (method === 'GET' ? 'safe' : 'never');
  const rateClass = rateClassOf(method, path);
  const query = encodeQuery(request.query);
  const url = new URL(`${context.apiRoot}${path}${query}`);
  const body = request.body === undefined ? undefined : JSON.stringify(request.body);
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'paxos-onboard' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const logPath = `${path}${redactQuery(query)}`;
  let failures = 0;
  /** An earlier attempt ended without saying whether it was handled (a 5xx other than 503, a lost connection). */
  let uncertain = false;
  let rateLimited = 0;
  let refreshedToken = false;

  for (let attempt = 1; ; attempt++) {
    if (attempt > 1) runtime.stats.retries += 1;
    // Fetched before the wait, so a first token request holds no slot of this class...
    await tokens.get();
    const release = await runtime.pacer.acquire(rateClass);
    // ...and read again after it: a long queue or a 429 pause may outlast the token, which must then be renewed, not sent stale.
    let token: string;
    try {
      token = tokens.peek() ?? (await tokens.get());
    } catch (error) {
      release();
      throw error;
    }
    runtime.stats.calls += 1;
    if (method !== 'GET') runtime.stats.writes += 1;
    runtime.stats.callsByClass[rateClass.name] = (runtime.stats.callsByClass[rateClass.name] ?? 0) + 1;
    const startedAt = runtime.clock.now();
    const log = (status: number | 'error', note?: string) =>
      runtime.log({ method, path: logPath, status, durationMs: runtime.clock.now() - startedAt, attempt, rateClass: rateClass.name, ...(note === undefined ? {} : { note }) });
    const retryAfterBackoff = async (status: number | 'error', reason: string) => {
      const delay = backoffDelayMs(failures, runtime.retry, runtime.random);
      log(status, `${reason}retrying in ${describeDelay(delay)}`);
      await sleep(runtime.clock, delay);
    };

    const answer = await sendAttempt(runtime.dispatcher, { method, url, headers: { ...headers, authorization: `Bearer ${token}` }, ...(body === undefined ? {} : { body }) });
    release();
    if (answer instanceof TransportFailure) {
      if (answer.sent && policy === 'never') {
        log('error', `${answer.errorCode}; not repeated, it may have been processed`);
        throw new PaxosAmbiguousError(method, path, { cause: answer, failure: answer.errorCode });
      }
      failures += 1;
      if (answer.sent) uncertain = true;
      if (failures >= runtime.retry.maxAttempts) {
        log('error', answer.errorCode);
        throw new PaxosNetworkError(method, path, attempt, { cause: answer, lastFailure: answer.errorCode });
      }
      await retryAfterBackoff('error', `${answer.errorCode}; `);
      continue;
    }

    const { status } = answer;
    const answerError = () => {
      const secrets = [...context.secrets, token];
      const requestId = headerValue(answer, 'x-request-id');
      // The request id is printed too: scrubbed like the problem, in case a server echoes what it was sent.
      return new PaxosApiError({
        status,
        problem: parseProblem(answer, secrets),
        method,
        path,
        requestId: requestId === undefined ? undefined : scrubSecrets(requestId, secrets),
        afterUncertainAttempt: uncertain,
      });
    };
    if (status >= 200 && status < 300) {
      log(status);
      return parseBody(answer, method, path);
    }
    if (status === 429) {
      // Never processed, whatever the policy: the request waits out the lockout with the whole client and goes again.
      rateLimited += 1;
      log(status, `rate limited${rateLimited > 1 ? ` ${rateLimited} times` : ''}: every request paused ${describeDelay(honourRateLimit(runtime, answer))}`);
      continue;
    }
    if (status === 401 && !refreshedToken) {
      refreshedToken = true;
      tokens.invalidate(token);
      log(status, 'token refused; fetching a new one and repeating once');
      continue;
    }
    const apiError = answerError();
    if (status >= 500) {
      // A 503 too: a gateway may answer it after the server behind it committed, so for a write without a key only a clear refusal is proof.
      if (policy === 'never') {
        log(status, 'not repeated, it may have been processed');
        throw new PaxosAmbiguousError(method, path, { cause: apiError, status, failure: describeAnswer(apiError) });
      }
      failures += 1;
      if (status !== 503) uncertain = true;
      if (failures >= runtime.retry.maxAttempts) {
        log(status);
        throw new PaxosNetworkError(method, path, attempt, { cause: apiError, lastFailure: describeAnswer(apiError) });
      }
      await retryAfterBackoff(status, '');
      continue;
    }
    log(status);
    throw apiError;
  }
}

/** `503 (upstream timeout)`: the status and what the problem said, kept short for a one-line message. */
function describeAnswer(error: PaxosApiError): string {
  const said = error.problem.detail ?? error.problem.title;
  if (said === undefined || said.trim() === '') return String(error.status);
  const oneLine = said.replace(/\s+/g, ' ').trim();
  return `${error.status} (${oneLine.length > 200 ? `${oneLine.slice(0, 200)}…` : oneLine})`;
}

function parseBody(answer: HttpAnswer, method: string, path: string): unknown {
  if (answer.text === '') return undefined;
  try {
    return JSON.parse(answer.text);
  } catch (error) {
    throw new PaxosOnboardError('paxos.malformed_response', `${method} ${path} answered ${answer.status} with a body that is not JSON`, { cause: error });
  }
}
