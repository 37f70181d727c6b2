import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importWorld, plan } from '../src/index.js';
import { applyForTest } from './support/apply-run.js';
import { runCliForTest } from './support/run-cli.js';
import { startTestEmulator, type TestEmulator } from './support/test-emulator.js';

const fixtures = ['person-brokerage.yaml', 'institution-brokerage.yaml', 'omnibus.yaml'].map((name) => resolve('fixtures', name));

describe('import: an applied world back as a manifest', () => {
  let emulator: TestEmulator;
  let cwd: string;
  beforeAll(async () => {
    emulator = await startTestEmulator({ rateLimits: 'off' });
    cwd = await mkdtemp(join(tmpdir(), 'paxos-onboard-import-'));
    const applied = await applyForTest(fixtures, emulator.url, cwd);
    expect(applied.summary.failed, JSON.stringify(applied.outputs.resources, null, 2)).toBe(false);
  });
  afterAll(async () => {
    await emulator.close();
    await rm(cwd, { recursive: true, force: true });
  });

  it('writes identities, members, accounts and profiles with PII as ${env:} placeholders, and plans no change when applied back', async () => {
    const imported = await importWorld({ target: emulator.url, env: {}, cwd, refIdPrefix: 'seed-' });
    const manifest = parse(imported.yaml) as Record<string, any>;

    expect(imported.yaml).toMatch(/^# .*\n(# .*\n)*/);
    expect(imported.yaml).toMatch(/deposits .*not imported/i);
    expect(imported.yaml).toMatch(/orders .*not imported/i);
    expect(Object.keys(manifest.persons).sort()).toEqual(['alice', 'bob', 'carol', 'frank', 'grace']);
    expect(manifest.profiles).toEqual({ book: { nickname: 'seed-profile-book', description: 'Omnibus trading book' } });
    expect(manifest.accounts['frank-omnibus'].profile).toBeUndefined();
    expect(manifest.persons.alice.ref_id).toBe('seed-person-alice');
    expect(manifest.persons.alice.cip_id).toBe('${env:ALICE_CIP_ID}');
    expect(manifest.persons.alice.date_of_birth).toBe('${env:ALICE_DATE_OF_BIRTH}');
    expect(manifest.persons.alice.tax_details).toEqual([{ tax_payer_id: '${env:ALICE_TAX_PAYER_ID}', tax_payer_country: 'USA' }]);
    expect(manifest.institutions.acme.members.map((member: { identity: string }) => member.identity)).toEqual(['person.alice', 'person.bob']);
    expect(manifest.accounts['acme-brokerage']).toMatchObject({ ref_id: 'seed-account-acme-brokerage', identity: 'institution.acme', profile: true });
    expect(manifest.deposits).toBeUndefined();
    expect(manifest.orders).toBeUndefined();
    expect(manifest.options.ref_id_prefix).toBeUndefined();
    // No personal value in the YAML itself: they come back only as the separate list.
    for (const secret of ['111-11-1111', '1980-01-01', '12-3456789', '333-33-3333']) expect(imported.yaml).not.toContain(secret);
    const env = Object.fromEntries(imported.sensitive.map(({ name, value }) => [name, value]));
    expect(env).toMatchObject({ ALICE_CIP_ID: '111-11-1111', ALICE_DATE_OF_BIRTH: '1980-01-01', ACME_CIP_ID: '12-3456789', CAROL_TAX_PAYER_ID: '333-33-3333' });

    const file = join(cwd, 'imported.yaml');
    await writeFile(file, imported.yaml);
    const planned = await plan([file], { target: emulator.url, env, cwd });
    const notNoop = planned.steps.filter((step) => step.action !== 'noop').map((step) => `${step.address}: ${step.action}`);
    expect(notNoop).toEqual([]);
    expect(planned.steps.map((step) => step.address).sort()).toEqual([
      'account.acme-brokerage', 'account.carol-brokerage', 'account.frank-omnibus', 'account.grace-omnibus',
      'institution.acme', 'person.alice', 'person.bob', 'person.carol', 'person.frank', 'person.grace', 'profile.book',
    ]);
    expect(planned.summary.hasChanges).toBe(false);
  });

  it('import on the command line: the manifest on stdout, the values only with --show-sensitive, on stderr', async () => {
    const quiet = await runCliForTest(['import', '--target', emulator.url, '--ids', await identityIdOf('seed-person-carol')], { cwd });
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(Object.keys((parse(quiet.stdout) as Record<string, any>).persons)).toEqual(['carol']);
    expect(quiet.stderr).not.toContain('333-33-3333');
    expect(quiet.stderr).toContain('--show-sensitive');

    const shown = await runCliForTest(['import', '--target', emulator.url, '--ref-id-prefix', 'seed-', '--show-sensitive'], { cwd });
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).not.toContain('111-11-1111');
    expect(shown.stderr.split('\n')).toEqual(expect.arrayContaining(['ALICE_CIP_ID=111-11-1111', 'ALICE_DATE_OF_BIRTH=1980-01-01', 'ACME_TAX_PAYER_ID=12-3456789']));

    const both = await runCliForTest(['import', '--target', emulator.url, '--ref-id-prefix', 'seed-', '--ids', 'x'], { cwd });
    expect(both.code).toBe(2);
  });

  async function identityIdOf(refId: string): Promise<string> {
    const listed = await emulator.request('GET', '/v2/identity/identities');
    const found = (listed.body.items as { id: string; ref_id?: string }[]).find((item) => item.ref_id === refId);
    if (!found) throw new Error(`no identity ${refId}`);
    return found.id;
  }
});
