/**
 * Issue 14, generators: fixtures/generated.yaml (200 persons, funds with
 * members, accounts, deposits and orders, written through generators) applies
 * to an emulator, re-applies with no write, and an edit of one generator's
 * field plans an update of exactly the resources that generator makes.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateManifest } from '../src/manifest/validate-manifest.js';
import { applyForTest, planAfter } from './support/apply-run.js';
import { startTestEmulator, type TestEmulator } from './support/test-emulator.js';

const fixture = resolve('fixtures', 'generated.yaml');

describe('fixtures/generated.yaml', () => {
  let emulator: TestEmulator;
  let cwd: string;
  beforeAll(async () => {
    emulator = await startTestEmulator({ rateLimits: 'off', approve: 'manual' });
    cwd = await mkdtemp(join(tmpdir(), 'paxos-onboard-generated-'));
  });
  afterAll(async () => {
    await emulator.close();
    await rm(cwd, { recursive: true, force: true });
  });

  it('expands to 200 persons, 5 funds with members, 21 accounts, deposits and orders, the same world every time', async () => {
    const first = await validateManifest([fixture], { env: {}, cwd });
    expect(first.issues).toEqual([]);
    const resources = [...(first.model?.resources.values() ?? [])];
    const count = (kind: string) => resources.filter((resource) => resource.kind === kind).length;
    expect([count('person'), count('institution'), count('account'), count('deposit'), count('order')]).toEqual([200, 5, 21, 21, 20]);
    const again = await validateManifest([fixture], { env: {}, cwd, keepExpanded: true });
    const second = await validateManifest([fixture], { env: {}, cwd, keepExpanded: true });
    expect(second.expanded).toEqual(again.expanded);
    const persons = (again.expanded?.[0] as { persons: Record<string, { cip_id: string; date_of_birth: string; tax_details: Array<{ tax_payer_id: string }> }> }).persons;
    const ids = Object.values(persons).map((person) => person.cip_id);
    expect(new Set(ids).size).toBe(200);
    for (const person of Object.values(persons)) {
      expect(person.cip_id).toMatch(/^9\d\d-(?:0[1-9]|[1-4]\d)-\d{4}$/);
      expect(person.tax_details[0]?.tax_payer_id).toBe(person.cip_id);
      const age = 2025 - Number(person.date_of_birth.slice(0, 4));
      expect(age).toBeGreaterThanOrEqual(18);
      expect(age).toBeLessThanOrEqual(90);
    }
  });

  it('applies, re-applies with 0 writes, and an edited generator field plans exactly its instances as updates', async () => {
    const applied = await applyForTest([fixture], emulator.url, cwd);
    expect(applied.summary.failed, JSON.stringify(applied.outputs.resources['person.trader-1'])).toBe(false);
    expect(Object.keys(applied.outputs.resources)).toHaveLength(267);

    const again = await applyForTest([fixture], emulator.url, cwd);
    expect(again.summary.writes).toBe(0);

    const edited = join(cwd, 'generated.yaml');
    const text = await readFile(fixture, 'utf8');
    const changed = text.replace('description: "Trader ${index} brokerage"', 'description: "Trader ${index} account"');
    expect(changed).not.toBe(text);
    await writeFile(edited, changed);
    const plan = await planAfter([edited], emulator.url, cwd);
    const touched = plan.steps.filter((step) => step.action !== 'noop').map((step) => `${step.action} ${step.address}`);
    expect(touched.sort()).toEqual(Array.from({ length: 20 }, (_, index) => `update account.trader-${index + 1}-brokerage`).sort());
  });
});
