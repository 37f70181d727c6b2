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

/** A query parameter as the spec declares it (every one in the Paxos spec is `style: form`). */
export interface SpecQueryParameter {
  name: string;
  /** `array`, `string`, `integer` or `boolean`. */
  type: string;
  style: string;
  explode: boolean;
  /** Allowed values of the parameter (of each item, for an array), when the spec lists them. */
  enum?: string[];
  format?: string;
}

/**
 * The parts of the spec the conformance checker and the test proxies share,
 * parsed and compiled once per process: every operation, a router over them,
 * each operation's query parameters, and two validators — `responses` follows
 * the spec with `specExceptions` applied, `closedRequests` also refuses
 * object fields the spec does not declare (the docs say they are forbidden).
 */
export interface SpecModel {
  operations: readonly SpecOperation[];
  /** Operations by the emulator's path form (`/v2/...` with `:params`). */
  router: Router<SpecOperation>;
  queryParameters(operation: SpecOperation): ReadonlyMap<string, SpecQueryParameter>;
  responses: SchemaValidator;
  requests: SchemaValidator;
  closedRequests: SchemaValidator;
  /** Whether the component schema `name` declares the top-level property `property`. */
  declaresProperty(name: string, property: string): boolean;
}

let cachedModel: Promise<SpecModel> | undefined;
let cached: Promise<ConformanceChecker> | undefined;

/** The process-wide spec model. */
export function loadSpecModel(): Promise<SpecModel> {
  cachedModel ??= buildSpecModel();
  return cachedModel;
}

/** The process-wide checker: the spec is parsed and compiled once. */
export function loadConformanceChecker(): Promise<ConformanceChecker> {
  cached ??= loadSpecModel().then((model) => ({ enabled: true, check: (response) => checkResponse(model.router, model.responses, response) }));
  return cached;
}

interface RawParameter {
  in?: string;
  name?: string;
  style?: string;
  explode?: boolean;
  schema?: { type?: string; enum?: string[]; format?: string; items?: { enum?: string[]; format?: string } };
}

async function buildSpecModel(): Promise<SpecModel> {
  const specText = readFileSync(specPath, 'utf8');
  const script = pathToFileURL(join(root, 'scripts', 'generate-from-spec.js')).href;
  const { renderOperations } = (await import(script)) as { renderOperations: (text: string) => string };
  const operations = JSON.parse(renderOperations(specText)) as SpecOperation[];
  const spec = parse(specText, { maxAliasCount: -1 }) as {
    paths: Record<string, Record<string, { operationId?: string; parameters?: RawParameter[] }>>;
    components: { schemas: SchemaMap };
  };
  const parametersById = new Map<string, Map<string, SpecQueryParameter>>();
  for (const item of Object.values(spec.paths)) {
    for (const operation of Object.values(item)) {
      if (typeof operation !== 'object' || !operation?.operationId) continue;
      const declared = new Map<string, SpecQueryParameter>();
      for (const parameter of operation.parameters ?? []) {
        if (parameter.in !== 'query' || typeof parameter.name !== 'string') continue;
        const type = parameter.schema?.type ?? 'string';
        // OpenAPI defaults for query parameters: style form, explode true.
        const style = parameter.style ?? 'form';
        const values = type === 'array' ? parameter.schema?.items?.enum : parameter.schema?.enum;
        const format = type === 'array' ? parameter.schema?.items?.format : parameter.schema?.format;
        declared.set(parameter.name, {
          name: parameter.name,
          type,
          style,
          explode: parameter.explode ?? style === 'form',
          ...(values ? { enum: values } : {}),
          ...(format ? { format } : {}),
        });
      }
      parametersById.set(operation.operationId, declared);
    }
  }
  const responseSchemas = structuredClone(spec.components.schemas);
  for (const exception of specExceptions) {
    const schema = responseSchemas[exception.schema];
    if (schema && typeof schema === 'object') exception.patch(schema as Record<string, unknown>);
  }
  const empty = new Map<string, SpecQueryParameter>();
  return {
    operations,
    router: createRouter(operations.map((operation) => ({ method: operation.method, path: operation.path, value: operation }))),
    queryParameters: (operation) => parametersById.get(operation.operationId) ?? empty,
    responses: createSchemaValidator(responseSchemas),
    requests: createSchemaValidator(spec.components.schemas),
    closedRequests: createSchemaValidator(spec.components.schemas, { closed: true }),
    declaresProperty(name, property) {
      const schema = spec.components.schemas[name] as { properties?: Record<string, unknown> } | undefined;
      return Object.hasOwn(schema?.properties ?? {}, property);
    },
  };
}

export function checkResponse(router: Router<SpecOperation>, validator: SchemaValidator, response: ResponseToCheck): string | undefined {
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
