import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { syntheticCipId } from './isolate-model.js';
import type { Model } from './model.js';
import { loadManifest, validateManifest } from './validate-manifest.js';

const fixtures = ['institution-brokerage.yaml', 'omnibus.yaml', 'person-brokerage.yaml', 'trust.yaml'].map((name) =>
  fileURLToPath(new URL(`../../fixtures/${name}`, import.meta.url)),
);

function remoteKeys(model: Model): Record<string, string | undefined> {
  return Object.fromEntries([...model.resources.values()].map((resource) => [resource.address, resource.remoteKey?.value]));
}

function cipIds(model: Model): Record<string, unknown> {
  return Object.fromEntries([...model.resources.values()].filter((resource) => 'cip_id' in resource.fields).map((resource) => [resource.address, (resource.fields as { cip_id: unknown }).cip_id]));
}

describe('isolate', () => {
  it('prefixes every remote key, fields included, and keeps addresses', async () => {
    const plain = await loadManifest(fixtures, { env: {} });
    const isolated = await loadManifest(fixtures, { env: {}, isolate: 'users.test.ts' });
    expect([...isolated.resources.keys()]).toEqual([...plain.resources.keys()]);
    const prefix = /^iso-[0-9a-f]{8}-/.exec(isolated.options.refIdPrefix)?.[0];
    expect(prefix).toBeDefined();
    for (const resource of isolated.resources.values()) {
      const before = plain.resources.get(resource.address)?.remoteKey?.value;
      if (before === undefined) continue;
      expect(resource.remoteKey?.value).toBe(`${prefix}${before}`);
      expect((resource.fields as Record<string, unknown>)[resource.remoteKey?.field ?? '']).toBe(`${prefix}${before}`);
    }
    expect(isolated.resources.get('profile.book')?.fields).toMatchObject({ nickname: `${prefix}seed-profile-book` });
  });

  it('is reproducible for one seed and distinct across seeds', async () => {
    const first = await loadManifest(fixtures, { env: {}, isolate: 'seed-a' });
    const again = await loadManifest(fixtures, { env: {}, isolate: 'seed-a' });
    const other = await loadManifest(fixtures, { env: {}, isolate: 'seed-b' });
    const random = await loadManifest(fixtures, { env: {}, isolate: true });
    expect(remoteKeys(again)).toEqual(remoteKeys(first));
    expect(cipIds(again)).toEqual(cipIds(first));
    for (const model of [other, random]) {
      const keys = remoteKeys(model);
      const cips = cipIds(model);
      for (const [address, value] of Object.entries(remoteKeys(first))) if (value !== undefined) expect(keys[address]).not.toBe(value);
      for (const [address, value] of Object.entries(cipIds(first))) expect(cips[address]).not.toBe(value);
    }
  });

  it('gives each identity a cip id of its type that the manifest itself accepts', async () => {
    const isolated = await loadManifest(fixtures, { env: {}, isolate: 'shapes' });
    const cips = cipIds(isolated);
    expect(new Set(Object.values(cips)).size).toBe(Object.keys(cips).length);
    expect(cips['person.carol']).toMatch(/^(?!000|666|9)\d{3}-(?!00)\d{2}-(?!0000)\d{4}$/);
    expect(cips['institution.acme']).toMatch(/^\d{2}-\d{7}$/);
    // Written back into the manifests in place of the originals, they validate as before.
    const manifests = await Promise.all(
      fixtures.map(async (path) => {
        const manifest = parse(await readFile(path, 'utf8')) as Record<string, Record<string, Record<string, unknown>>>;
        for (const collection of ['persons', 'institutions'] as const) {
          for (const [key, body] of Object.entries(manifest[collection] ?? {})) body.cip_id = cips[`${collection === 'persons' ? 'person' : 'institution'}.${key}`];
        }
        return { manifest };
      }),
    );
    const result = await validateManifest(manifests, { env: {} });
    expect(result.issues).toEqual([]);
  });

  it('draws each cip id type in its own format', () => {
    for (let index = 0; index < 200; index += 1) {
      expect(syntheticCipId('SSN', `m${index}`)).toMatch(/^(?!000|666|9)\d{3}-(?!00)\d{2}-(?!0000)\d{4}$/);
      expect(syntheticCipId('ITIN', `m${index}`)).toMatch(/^9\d{2}-(5\d|6[0-5]|7\d|8[0-8]|9[0-24-9])-\d{4}$/);
      expect(syntheticCipId('EIN', `m${index}`)).toMatch(/^\d{2}-\d{7}$/);
      expect(syntheticCipId('PASSPORT', `m${index}`)).toMatch(/^[A-Z]\d{8}$/);
    }
  });
});
