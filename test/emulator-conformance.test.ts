import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { allRoutes } from '../src/emulator/routes/index.js';
import { emulatorSchemas, findSpecOperation } from '../src/emulator/spec/spec-data.js';
import { specExceptions, specPath } from './support/conformance.js';
import { startTestEmulator } from './support/test-emulator.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('the emulator routes and the spec data they use', () => {
  it('serves every route as the spec operation it names (method, path) with its request schema at hand', () => {
    const mismatches: string[] = [];
    for (const route of allRoutes()) {
      const operation = findSpecOperation(route.operationId);
      if (!operation) mismatches.push(`${route.operationId}: no such operation in the spec`);
      else if (operation.method !== route.method || operation.path !== route.path) {
        mismatches.push(`${route.operationId}: route ${route.method} ${route.path}, spec ${operation.method} ${operation.path}`);
      } else if (operation.requestSchemaRef && !Object.hasOwn(emulatorSchemas, operation.requestSchemaRef)) {
        mismatches.push(`${route.operationId}: ${operation.requestSchemaRef} missing from schemas.generated.json (add the operation to emulatorOperationIds and run npm run generate)`);
      }
      if (operation && operation.scopes.length === 0 && !route.public) mismatches.push(`${route.operationId}: the spec makes it public; mark the route public`);
    }
    expect(mismatches).toEqual([]);
  });
});

describe('conformance to the Paxos spec', () => {
  const specText = readFileSync(specPath, 'utf8');

  it('has generated operations and schemas current with the spec (run `npm run generate`)', async () => {
    const script = pathToFileURL(join(root, 'scripts', 'generate-from-spec.js')).href;
    const generator = (await import(script)) as { renderOperations(text: string): string; renderEmulatorSchemas(text: string): string };
    expect(readFileSync(join(root, 'src', 'emulator', 'spec', 'operations.generated.json'), 'utf8')).toBe(generator.renderOperations(specText));
    expect(readFileSync(join(root, 'src', 'emulator', 'spec', 'schemas.generated.json'), 'utf8')).toBe(generator.renderEmulatorSchemas(specText));
  });

  it('reports a response that does not match its operation schema, naming the field', async () => {
    const emulator = await startTestEmulator({
      routes: [{ method: 'GET', path: '/v2/profiles/:profile_id', operationId: 'GetProfile', handler: () => ({ body: { id: 'p1', nickname: 7, type: 'NORMAL' } }) }],
    });
    expect(emulator.conformanceChecked).toBe(true);
    await emulator.request('GET', '/v2/profiles/p1');
    await expect(emulator.close()).rejects.toThrow(/GET \/v2\/profiles\/p1 → 200: not a valid Profile \(GetProfile\): nickname must be string/);
  });

  it('checks problems for the RFC 7807 shape, and 2xx answers the spec does not declare', async () => {
    const emulator = await startTestEmulator({
      routes: [{ method: 'POST', path: '/v2/profiles', operationId: 'CreateProfile', handler: () => ({ status: 201, body: { id: 'p', nickname: 'n', type: 'NORMAL' } }) }],
    });
    expect((await emulator.request('GET', '/v2/unknown')).status).toBe(404);
    await emulator.request('POST', '/v2/profiles', { nickname: 'n' });
    expect(emulator.violations()).toEqual(['POST /v2/profiles → 201: the spec declares no 201 answer for CreateProfile']);
    await expect(emulator.close()).rejects.toThrow(/1 response\(s\) do not conform/);
  });

  it.each(specExceptions)('still needs the exception for $schema ($why)', async ({ schema }) => {
    const { parse } = await import('yaml');
    const spec = parse(specText, { maxAliasCount: -1 }) as { components: { schemas: Record<string, { required?: string[]; properties?: object }> } };
    const declared = spec.components.schemas[schema];
    // When the spec fixes the contradiction, this fails: drop the exception.
    expect(declared?.required?.filter((name) => !Object.hasOwn(declared.properties ?? {}, name))).not.toEqual([]);
  });
});
