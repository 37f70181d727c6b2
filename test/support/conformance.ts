/**
 * Response conformance against the Paxos spec (`spec/paxos-v2-openapi.yaml`):
 * a 2xx must validate against the operation's response schema for its status;
 * a problem against the schema the spec declares for that status, or else the
 * RFC 7807 shape. Schemas are compiled once per process. The spec is committed
 * under `spec/`, so every clone checks; a missing spec is an error, not a skip.
 *
 * Known contradictions in the spec are handled by `specExceptions` below, each
 * following the spec's own examples rather than its schema.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import { createRouter, type Router } from '../../src/emulator/router.js';
import { createSchemaValidator, type SchemaMap, type SchemaValidator } from '../../src/emulator/spec/openapi-schemas.js';
import type { SpecOperation } from '../../src/emulator/spec/spec-data.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const specPath = process.env.PAXOS_OPENAPI ?? join(root, 'spec', 'paxos-v2-openapi.yaml');

/**
 * Where the spec contradicts its own examples, we follow the examples. Each
 * entry patches one schema before compiling.
 */
export const specExceptions: Array<{ schema: string; why: string; patch(schema: Record<string, unknown>): void }> = [
  {
    schema: 'ListProfileBalancesResponse',
    why: 'declares `balances` required but defines only `items`; its examples and the guides use `items`',
    patch(schema) {
      schema.required = ((schema.required as string[] | undefined) ?? []).filter((name) => name !== 'balances');
    },
  },
];

export interface ResponseToCheck {
  method: string;
  /** The request path, with or without a query string. */
  path: string;
  status: number;
  contentType: string | undefined;
  body: unknown;
}

export interface ConformanceChecker {
  /** Always true since the spec is committed; kept so callers can assert checks ran. */
  enabled: boolean;
  /** Why a response does not conform, or `undefined` when it does. */
  check(response: ResponseToCheck): string | undefined;
}

let cached: Promise<ConformanceChecker> | undefined;

/** The process-wide checker: the spec is parsed and compiled once. */
export function loadConformanceChecker(): Promise<ConformanceChecker> {
  cached ??= buildChecker();
  return cached;
}

async function buildChecker(): Promise<ConformanceChecker> {
  const specText = readFileSync(specPath, 'utf8');
  const script = pathToFileURL(join(root, 'scripts', 'generate-from-spec.js')).href;
  const { renderOperations } = (await import(script)) as { renderOperations: (text: string) => string };
  const operations = JSON.parse(renderOperations(specText)) as SpecOperation[];
  const spec = parse(specText, { maxAliasCount: -1 }) as { components: { schemas: SchemaMap } };
  const schemas = structuredClone(spec.components.schemas);
  for (const exception of specExceptions) {
    const schema = schemas[exception.schema];
    if (schema && typeof schema === 'object') exception.patch(schema as Record<string, unknown>);
  }
  const validator = createSchemaValidator(schemas);
  const router = createRouter(operations.map((operation) => ({ method: operation.method, path: operation.path, value: operation })));
  return { enabled: true, check: (response) => checkResponse(router, validator, response) };
}

function checkResponse(router: Router<SpecOperation>, validator: SchemaValidator, response: ResponseToCheck): string | undefined {
  const path = response.path.split('?')[0] ?? response.path;
  if (path === '/oauth2/token') return undefined; // Not part of the v2 spec.
  const where = `${response.method} ${response.path} → ${response.status}`;
  let match;
  try {
    match = router.match(response.method, path);
  } catch {
    match = { kind: 'not-found' as const };
  }
  const operation = match.kind === 'found' ? match.value : undefined;
  const declared = operation?.responses[String(response.status)];
  const isProblem = response.status >= 400;
  if (isProblem) {
    const shape = checkProblemShape(response);
    if (shape) return `${where}: ${shape}`;
  } else if (!response.contentType?.startsWith('application/json')) {
    return `${where}: content-type ${response.contentType ?? '(none)'}, expected application/json`;
  }
  if (!operation) return isProblem ? undefined : `${where}: no operation of the spec serves this path`;
  if (!declared) return isProblem ? undefined : `${where}: the spec declares no ${response.status} answer for ${operation.operationId}`;
  const violations = validator.validate(declared, response.body);
  if (violations.length === 0) return undefined;
  return `${where}: not a valid ${declared} (${operation.operationId}): ${violations.map((v) => `${v.field} ${v.message}`).join('; ')}`;
}

/** RFC 7807 as Paxos renders it: `type`, `title`, `status` (= the HTTP status), optional `detail` and object `meta`. */
function checkProblemShape(response: ResponseToCheck): string | undefined {
  if (!response.contentType?.startsWith('application/problem+json') && !response.contentType?.startsWith('application/json')) {
    return `content-type ${response.contentType ?? '(none)'}, expected application/problem+json`;
  }
  const body = response.body as Record<string, unknown> | null;
  if (!body || typeof body !== 'object') return 'problem body is not a JSON object';
  const problems: string[] = [];
  if (typeof body.type !== 'string') problems.push('type must be a string');
  if (typeof body.title !== 'string') problems.push('title must be a string');
  if (body.status !== response.status) problems.push(`status must be ${response.status}, got ${JSON.stringify(body.status)}`);
  if (body.detail !== undefined && typeof body.detail !== 'string') problems.push('detail must be a string');
  if (body.meta !== undefined && (typeof body.meta !== 'object' || body.meta === null || Array.isArray(body.meta))) problems.push('meta must be an object');
  return problems.length > 0 ? `not an RFC 7807 problem: ${problems.join('; ')}` : undefined;
}
