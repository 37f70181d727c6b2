/**
 * The library as a test suite uses it (issue 12): manifests built in memory,
 * applied isolated into one shared emulator several times, read back with a
 * client whose paths are relative to the target's /v2.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { apply, createPaxosClient, plan, startEmulator, validate, type RunningEmulator } from '../src/index.js';

let emulator: RunningEmulator;
let cwd: string;
let manifest: Record<string, unknown>;

beforeAll(async () => {
  emulator = await startEmulator({ rateLimits: 'off', transferListingDelayMs: 20, orderFillDelayMs: 10 });
  cwd = await mkdtemp(join(tmpdir(), 'paxos-onboard-library-'));
  manifest = parse(await readFile(fileURLToPath(new URL('../fixtures/person-brokerage.yaml', import.meta.url)), 'utf8')) as Record<string, unknown>;
});

afterAll(async () => {
  await emulator.close();
  await rm(cwd, { recursive: true, force: true });
});

const run = (seed: string | true) => apply([{ manifest }], { target: emulator.url, env: {}, cwd, pacing: 'off', pollIntervalMs: 10, isolate: seed });

describe('one manifest seeded into one emulator many times', () => {
  it('creates a separate world per isolation seed, and finds it again with the same seed', async () => {
    const first = await run('file-a');
    const second = await run('file-b');
    const third = await run(true);
    for (const result of [first, second, third]) {
      expect(result.summary.failed).toBe(false);
      expect(result.outputs.resources['person.carol']).toMatchObject({ outcome: 'created', status: 'APPROVED' });
      expect(result.outputs.resources['order.carol-first-btc']?.outcome).toBe('created');
    }
    const identities = [first, second, third].map((result) => result.outputs.resources['person.carol']?.id);
    expect(new Set(identities).size).toBe(3);

    const again = await run('file-a');
    expect(again.summary.writes).toBe(0);
    expect(again.outputs.resources['person.carol']).toMatchObject({ id: identities[0], outcome: 'unchanged' });
    expect(again.outputs.resources['account.carol-brokerage']?.ids).toEqual(first.outputs.resources['account.carol-brokerage']?.ids);
  });

  it('plans an isolated manifest as apply would: a new seed creates everything, a used one nothing', async () => {
    await run('planned');
    const fresh = await plan([{ manifest }], { target: emulator.url, env: {}, cwd, isolate: 'never-applied' });
    const used = await plan([{ manifest }], { target: emulator.url, env: {}, cwd, isolate: 'planned' });
    expect(fresh.steps.every((step) => step.action === 'create')).toBe(true);
    expect(used.summary.hasChanges).toBe(false);
  });

  it('takes YAML text, and validates without a cwd or env given', async () => {
    const text = `version: 1\nenvironment: local\nprofiles:\n  book: { description: A book }\n`;
    const validation = await validate([{ yaml: text }]);
    expect(validation.ok).toBe(true);
    const result = await apply([{ yaml: text }], { target: emulator.url, env: {}, cwd, pacing: 'off', isolate: 'yaml' });
    expect(result.outputs.resources['profile.book']).toMatchObject({ outcome: 'created', ids: { profile_id: expect.any(String) } });
  });
});

describe('client paths', () => {
  it('are relative to the target /v2, with or without a leading slash, or absolute from /v2', async () => {
    const client = createPaxosClient({
      target: { kind: 'url', environment: 'local', apiUrl: `${emulator.url}/v2`, tokenUrl: `${emulator.url}/oauth2/token`, description: 'test' },
      credentials: { clientId: 'a', clientSecret: 'b' },
      pacing: 'off',
    });
    try {
      const lists = await Promise.all(
        ['identity/identities', '/identity/identities', '/v2/identity/identities'].map((path) => client.listAll<{ id: string }>({ method: 'GET', path })),
      );
      expect(lists[0]?.length).toBeGreaterThan(0);
      expect(lists[1]).toEqual(lists[0]);
      expect(lists[2]).toEqual(lists[0]);
      const [someone] = lists[0] ?? [];
      const one = await client.request<{ id: string }>({ method: 'GET', path: `identity/identities/${someone?.id}` });
      expect(one.id).toBe(someone?.id);
    } finally {
      await client.close();
    }
  });
});
