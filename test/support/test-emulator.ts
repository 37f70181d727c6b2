/**
 * `startTestEmulator()`: an emulator on 127.0.0.1 port 0 plus an HTTP client
 * whose every response is checked against the Paxos spec. `close()` throws,
 * listing each non-conforming response, so every HTTP test of the emulator is
 * also a conformance test.
 */
import { Agent, request as undiciRequest } from 'undici';
import type { EmulatorOptions } from '../../src/emulator/emulator-options.js';
import { knownScopes } from '../../src/emulator/spec/spec-data.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/start-emulator.js';
import type { EmulatorState } from '../../src/emulator/state.js';
import { loadConformanceChecker, type ConformanceChecker } from './conformance.js';

export interface TestResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON when the answer is JSON, else the text. */
  body: any;
}

export interface TestRequestOptions {
  /** A token to send; `null` sends no Authorization header; default: a token with every scope. */
  token?: string | null;
  headers?: Record<string, string>;
}

export interface TestEmulator {
  url: string;
  emulator: RunningEmulator;
  state: EmulatorState;
  /** True when responses are checked (the spec file is present). */
  conformanceChecked: boolean;
  /** A fresh access token with these scopes (default: every scope the spec names). */
  token(scopes?: readonly string[]): Promise<string>;
  /** `body`: an object is sent as JSON, a string as is (to send malformed JSON). */
  request(method: string, path: string, body?: unknown, options?: TestRequestOptions): Promise<TestResponse>;
  /** Non-conforming responses so far. */
  violations(): string[];
  /** Closes the emulator and the client; throws if any response did not conform. */
  close(): Promise<void>;
}

export async function startTestEmulator(options: EmulatorOptions = {}): Promise<TestEmulator> {
  const checker: ConformanceChecker = await loadConformanceChecker();
  // The strict face unless a test says otherwise: Paxos rate limits (startEmulator's own default is off).
  const emulator = await startEmulator({ rateLimits: 'paxos', transferListingDelayMs: 100, orderFillDelayMs: 20, ...options });
  const agent = new Agent({ keepAliveTimeout: 1000 });
  const violations: string[] = [];
  let defaultToken: Promise<string> | undefined;

  const send = async (method: string, path: string, body: unknown, headers: Record<string, string>): Promise<TestResponse> => {
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const response = await undiciRequest(`${emulator.url}${path}`, {
      method: method as 'GET',
      dispatcher: agent,
      headers: payload === undefined ? headers : { 'content-type': 'application/json', ...headers },
      ...(payload === undefined ? {} : { body: payload }),
    });
    const text = await response.body.text();
    const contentType = response.headers['content-type'] as string | undefined;
    let parsed: unknown = text;
    if (contentType?.includes('json') && text !== '') parsed = JSON.parse(text);
    const failure = checker.check({ method, path, status: response.statusCode, contentType, body: parsed });
    if (failure) violations.push(failure);
    return { status: response.statusCode, headers: response.headers, body: parsed };
  };

  const token = async (scopes: readonly string[] = [...knownScopes]): Promise<string> => {
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: options.clientId ?? 'test-client', client_secret: options.clientSecret ?? 'test-secret', scope: scopes.join(' ') });
    const response = await send('POST', '/oauth2/token', form.toString(), { 'content-type': 'application/x-www-form-urlencoded' });
    if (response.status !== 200) throw new Error(`token request failed: ${response.status} ${JSON.stringify(response.body)}`);
    return (response.body as { access_token: string }).access_token;
  };

  return {
    url: emulator.url,
    emulator,
    state: emulator.state,
    conformanceChecked: checker.enabled,
    token,
    async request(method, path, body, requestOptions = {}) {
      let bearer = requestOptions.token;
      if (bearer === undefined) bearer = await (defaultToken ??= token());
      const headers: Record<string, string> = { ...(bearer === null ? {} : { authorization: `Bearer ${bearer}` }), ...requestOptions.headers };
      return send(method, path, body, headers);
    },
    violations: () => [...violations],
    async close() {
      await emulator.close();
      await agent.close();
      if (violations.length > 0) {
        throw new Error(`${violations.length} response(s) do not conform to the Paxos spec:\n${violations.map((line) => `  - ${line}`).join('\n')}`);
      }
    },
  };
}
