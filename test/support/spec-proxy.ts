/**
 * A spec-validating proxy for end-to-end tests: put it between the client and
 * an emulator and every exchange is checked against the Paxos spec, as
 * Stoplight Prism would in proxy mode, with typed violations instead of log
 * lines. Requests: the method and path are a spec operation; every query
 * parameter is declared, single-valued ones appear once, arrays use the
 * declared style (form, exploded: one `name=` per value) and values their
 * type; the body is valid against the request schema, and fields the schema
 * does not declare are violations (the docs say they are forbidden).
 * Responses: valid against the operation's schema for that status (problems:
 * the RFC 7807 shape), through the same checker as `startTestEmulator`.
 *
 * Nothing is changed or refused: the exchange goes through and the violation
 * is recorded, so a test can print all of them at the end.
 */
import { checkResponse, loadSpecModel, type SpecModel, type SpecQueryParameter } from './conformance.js';
import { parseJson, startHttpProxy, type ProxiedRequest, type RunningProxy } from './http-proxy.js';
import type { SpecOperation } from '../../src/emulator/spec/spec-data.js';

export type SpecViolationCode =
  | 'unknown-operation'
  | 'undeclared-query-parameter'
  | 'repeated-query-parameter'
  | 'array-parameter-style'
  | 'invalid-query-value'
  | 'invalid-request-body'
  | 'undeclared-body-field'
  | 'invalid-response';

export interface SpecViolation {
  code: SpecViolationCode;
  side: 'request' | 'response';
  method: string;
  /** Path and query string as sent. */
  url: string;
  operationId?: string;
  detail: string;
}

export interface SpecProxy extends RunningProxy {
  violations(): SpecViolation[];
  /** Exchanges seen so far, so a test can tell "0 violations" from "nothing checked". */
  checked(): number;
}

/** The violations one per line, for a test's failure message. */
export function formatViolations(violations: readonly SpecViolation[]): string {
  return violations.map((v) => `  - [${v.side} ${v.code}] ${v.method} ${v.url}${v.operationId ? ` (${v.operationId})` : ''}: ${v.detail}`).join('\n');
}

/** The operation a request is for, or `undefined` outside the spec (`/oauth2/token` included). */
export function operationOf(model: SpecModel, method: string, url: string): SpecOperation | undefined {
  const path = url.split('?')[0] ?? url;
  try {
    const match = model.router.match(method, path);
    return match.kind === 'found' ? match.value : undefined;
  } catch {
    return undefined;
  }
}

export async function startSpecProxy(upstream: string): Promise<SpecProxy> {
  const model = await loadSpecModel();
  const violations: SpecViolation[] = [];
  let exchanges = 0;
  const proxy = await startHttpProxy(upstream, {
    onRequest(request) {
      violations.push(...checkRequest(model, request));
      return undefined;
    },
    onResponse(request, response) {
      exchanges++;
      const path = request.url.split('?')[0] ?? request.url;
      if (path !== '/oauth2/token') {
        const contentType = response.headers['content-type'];
        const body = parseJson(response.body);
        const failure = checkResponse(model.router, model.responses, {
          method: request.method,
          path: request.url,
          status: response.status,
          contentType: Array.isArray(contentType) ? contentType[0] : contentType,
          body,
        });
        const operation = operationOf(model, request.method, request.url);
        if (failure) violations.push({ code: 'invalid-response', side: 'response', method: request.method, url: request.url, ...(operation ? { operationId: operation.operationId } : {}), detail: failure });
      }
      return response;
    },
  });
  return { ...proxy, violations: () => [...violations], checked: () => exchanges };
}

/** Every way `request` departs from the spec; empty when it conforms. */
export function checkRequest(model: SpecModel, request: ProxiedRequest): SpecViolation[] {
  const queryStart = request.url.indexOf('?');
  const path = queryStart === -1 ? request.url : request.url.slice(0, queryStart);
  if (path === '/oauth2/token') return []; // The token endpoint is not part of the v2 spec.
  const at = { method: request.method, url: request.url };
  const operation = operationOf(model, request.method, request.url);
  if (!operation) return [{ code: 'unknown-operation', side: 'request', ...at, detail: `no operation of the spec is ${request.method} ${path}` }];
  const found: SpecViolation[] = [];
  const push = (code: SpecViolationCode, detail: string): void => {
    found.push({ code, side: 'request', ...at, operationId: operation.operationId, detail });
  };
  const query = new URLSearchParams(queryStart === -1 ? '' : request.url.slice(queryStart + 1));
  const declared = model.queryParameters(operation);
  for (const name of new Set(query.keys())) {
    const parameter = declared.get(name);
    const values = query.getAll(name);
    if (!parameter) {
      push('undeclared-query-parameter', `${name} is not a query parameter of ${operation.operationId}`);
      continue;
    }
    if (parameter.type !== 'array' && values.length > 1) {
      push('repeated-query-parameter', `${name} is a single ${parameter.type} but was given ${values.length} times`);
    }
    if (parameter.type === 'array' && parameter.explode && values.some((value) => value.includes(','))) {
      // Exploded form style: one `name=value` per item; a comma is part of a single value.
      push('array-parameter-style', `${name} is an exploded form array: send ${name}= once per value, not comma-separated`);
    }
    for (const value of values) {
      const problem = checkQueryValue(parameter, value);
      if (problem) push('invalid-query-value', `${name}=${value}: ${problem}`);
    }
  }
  if (operation.requestSchemaRef && request.body.length > 0) {
    const body = parseJson(request.body);
    if (body === undefined) push('invalid-request-body', 'the body is not JSON');
    else {
      const invalid = model.requests.validate(operation.requestSchemaRef, body);
      for (const violation of invalid) push('invalid-request-body', `${violation.field} ${violation.message}`);
      // Closed schemas report everything the open ones do, plus undeclared fields.
      const known = new Set(invalid.map((violation) => `${violation.field} ${violation.message}`));
      for (const violation of model.closedRequests.validate(operation.requestSchemaRef, body)) {
        if (!known.has(`${violation.field} ${violation.message}`)) push('undeclared-body-field', `${violation.field} ${violation.message}`);
      }
    }
  } else if (operation.requestSchemaRef && request.method !== 'GET' && request.method !== 'DELETE') {
    const invalid = model.requests.validate(operation.requestSchemaRef, {});
    for (const violation of invalid) push('invalid-request-body', `(no body) ${violation.field} ${violation.message}`);
  }
  return found;
}

function checkQueryValue(parameter: SpecQueryParameter, value: string): string | undefined {
  const type = parameter.type === 'array' ? 'string' : parameter.type;
  if (type === 'integer' && !/^-?\d+$/.test(value)) return 'not an integer';
  if (type === 'boolean' && value !== 'true' && value !== 'false') return 'not true or false';
  if (parameter.enum && !parameter.enum.includes(value)) return `not one of ${parameter.enum.join(', ')}`;
  if (parameter.format === 'date-time' && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value)) return 'not an RFC 3339 date-time';
  return undefined;
}
