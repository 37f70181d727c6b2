/**
 * The OAuth client-credentials token: fetched once per run (the token
 * endpoint allows 1 request/s), shared by concurrent first requests
 * (single-flight), reused until shortly before it expires, and replaced once
 * when the API refuses it with a 401.
 */
import { PaxosAuthError } from '../errors.js';
import { rateClasses } from '../domain/rate-classes.js';
import { sleep } from './clock.js';
import { tokenRefreshMarginMs, type PaxosCredentials } from './client-options.js';
import { describeDelay, honourRateLimit, type ClientRuntime } from './client-runtime.js';
import { parseProblem, scrubSecrets } from './parse-problem.js';
import { backoffDelayMs } from './retry-timing.js';
import type { TokenFetchMemory } from './token-fetch-memory.js';
import { sendAttempt, TransportFailure, type HttpAnswer } from './send-attempt.js';

export interface TokenSource {
  /** A valid access token, fetching one when there is none or it is about to expire. */
  get(): Promise<string>;
  /** The cached token when still fresh, without fetching. */
  peek(): string | undefined;
  /** The API refused `token`: drop it, so the next `get` fetches anew (once, however many requests saw the 401). */
  invalidate(token: string): void;
}

const credentialsHint = 'check PAXOS_CLIENT_ID and PAXOS_CLIENT_SECRET (and that the key is allowed these scopes)';

export function createTokenSource(
  runtime: ClientRuntime,
  config: {
    tokenUrl: string;
    credentials: PaxosCredentials;
    scopes: readonly string[];
    lastFetch?: TokenFetchMemory;
    /** What the scopes are for, to name in an `invalid_scope` refusal: `apply needs identity:write_identity (person), …`. */
    scopePurpose?: string;
  },
): TokenSource {
  const url = new URL(config.tokenUrl);
  let current: { token: string; refreshAtMs: number } | undefined;
  let pending: Promise<string> | undefined;

  const fresh = (): string | undefined => (current && runtime.clock.now() < current.refreshAtMs ? current.token : undefined);

  const fetchToken = async (): Promise<string> => {
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: config.credentials.clientId,
      client_secret: config.credentials.clientSecret,
      scope: config.scopes.join(' '),
    }).toString();
    let failures = 0;
    let rateLimited = 0;
    for (let attempt = 1; ; attempt++) {
      // Another run against this target (a plan just before this apply) may have asked within the endpoint's second.
      await config.lastFetch?.waitTurn();
      const release = await runtime.pacer.acquire(rateClasses.token);
      config.lastFetch?.record();
      runtime.stats.tokenFetches += 1;
      const startedAt = runtime.clock.now();
      const entry = { method: 'POST', path: url.pathname, attempt, rateClass: rateClasses.token.name };
      const answer = await sendAttempt(runtime.dispatcher, {
        method: 'POST',
        url,
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body,
      });
      release();
      if (answer instanceof TransportFailure) {
        failures += 1;
        if (failures >= runtime.retry.maxAttempts) {
          runtime.log({ ...entry, status: 'error', durationMs: runtime.clock.now() - startedAt, note: answer.errorCode });
          throw new PaxosAuthError(`could not reach the token endpoint ${config.tokenUrl} (${answer.errorCode}) after ${attempt} attempts; check the network and the target`, { cause: answer });
        }
        const delay = backoffDelayMs(failures, runtime.retry, runtime.random);
        runtime.log({ ...entry, status: 'error', durationMs: runtime.clock.now() - startedAt, note: `${answer.errorCode}; retrying in ${describeDelay(delay)}` });
        await sleep(runtime.clock, delay);
        continue;
      }
      const durationMs = runtime.clock.now() - startedAt;
      if (answer.status === 429) {
        // As for every request: the lockout is waited out, never a reason to fail the run.
        rateLimited += 1;
        runtime.log({ ...entry, status: 429, durationMs, note: `rate limited${rateLimited > 1 ? ` ${rateLimited} times` : ''}: every request paused ${describeDelay(honourRateLimit(runtime, answer))}` });
        continue;
      }
      if (answer.status >= 500 && (failures += 1) < runtime.retry.maxAttempts) {
        const delay = backoffDelayMs(failures, runtime.retry, runtime.random);
        runtime.log({ ...entry, status: answer.status, durationMs, note: `retrying in ${describeDelay(delay)}` });
        await sleep(runtime.clock, delay);
        continue;
      }
      runtime.log({ ...entry, status: answer.status, durationMs });
      return accept(answer, startedAt);
    }
  };

  const accept = (answer: HttpAnswer, requestedAt: number): string => {
    const secrets = [config.credentials.clientSecret];
    if (answer.status < 200 || answer.status >= 300) {
      const problem = parseProblem(answer, secrets);
      const code = oauthErrorCode(answer.text);
      const oauthError = code === undefined ? undefined : scrubSecrets(code, secrets);
      const what = [oauthError, problem.detail ?? problem.title].filter(Boolean).join(': ');
      if (code === 'invalid_scope') {
        throw new PaxosAuthError(
          `the token endpoint ${config.tokenUrl} refused the scopes asked for (${what}): the API key ${config.credentials.clientId} lacks at least one of ${config.scopes.join(' ')}. ${config.scopePurpose ?? 'This run needs them'}; grant the key these scopes in the Paxos dashboard, or leave out of the manifest what needs them`,
          { code: 'paxos.missing_scope' },
        );
      }
      // 4xx: the request was refused as asked; anything else kept failing through our retries.
      const advice = answer.status >= 400 && answer.status < 500 && answer.status !== 429 ? credentialsHint : 'the endpoint kept failing; try again later';
      throw new PaxosAuthError(`the token endpoint ${config.tokenUrl} answered ${answer.status}${what ? ` (${what})` : ''}; ${advice}`);
    }
    const parsed = safeJson(answer.text) as { access_token?: unknown; expires_in?: unknown } | undefined;
    if (typeof parsed?.access_token !== 'string' || parsed.access_token === '') {
      throw new PaxosAuthError(`the token endpoint ${config.tokenUrl} answered ${answer.status} without an access_token; is the target a Paxos-compatible server?`);
    }
    const lifetimeMs = typeof parsed.expires_in === 'number' && parsed.expires_in > 0 ? parsed.expires_in * 1000 : 3_599_000;
    // Measured from when we asked, so network time only makes us refresh a little early.
    current = { token: parsed.access_token, refreshAtMs: requestedAt + lifetimeMs - Math.min(tokenRefreshMarginMs, lifetimeMs / 2) };
    return parsed.access_token;
  };

  return {
    get() {
      const token = fresh();
      if (token !== undefined) return Promise.resolve(token);
      pending ??= fetchToken().finally(() => {
        pending = undefined;
      });
      return pending;
    },
    peek: fresh,
    invalidate(token) {
      if (current?.token === token) current = undefined;
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** RFC 6749's `error` field (`invalid_client`, `invalid_scope`), when the answer has one. */
function oauthErrorCode(text: string): string | undefined {
  const parsed = safeJson(text) as { error?: unknown } | undefined;
  return typeof parsed?.error === 'string' ? parsed.error : undefined;
}
