/**
 * apply and identities that already exist: the same legal entity (cip_id,
 * type, country) under another ref_id is refused under `on_cip_id_conflict:
 * fail` — naming the holder, cip masked — while everything independent still
 * applies; it is used, with a warning, under `adopt`; and an identity already
 * holding our ref_id is adopted as it is.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyForTest, type TestApply } from './support/apply-run.js';
import { header, personBodyFor, personYaml } from './support/plan-manifests.js';
import { writeTempManifests, type TempManifestDir } from './support/temp-manifest.js';
import { startTestEmulator, type TestEmulator } from './support/test-emulator.js';

const aliceCip = '111-11-1127';
const bobCip = '222-22-1127';

/** Alice and Bob, each with an account and its profile; Alice's account funded. */
const manifest = (options: string) =>
  `${header('sandbox', `ref_id_prefix: t-${options}`)}persons:\n${personYaml('alice', { ssn: aliceCip })}\n${personYaml('bob', { ssn: bobCip })}\n` +
  'accounts:\n  alice-main: { identity: person.alice, profile: true }\n  bob-main: { identity: person.bob, profile: true }\n' +
  'deposits:\n  alice-usd: { profile: account.alice-main, asset: USD, amount: "100" }\n';

/** Everything a run printed or returned, as one string: where a raw cip_id must not appear. */
const everythingOf = (run: TestApply) => JSON.stringify({ plan: run.plan, outputs: run.outputs, warnings: run.warnings, events: run.events });

describe('apply: identities that exist already', () => {
  let emulator: TestEmulator;
  let dir: TempManifestDir;
  const apply = async (text: string, options: Parameters<typeof applyForTest>[3] = {}) => {
    dir = await writeTempManifests({ 'm.yaml': text });
    return applyForTest([dir.path('m.yaml')], emulator.url, dir.dir, options);
  };
  beforeEach(async () => {
    emulator = await startTestEmulator({ rateLimits: 'off', approve: 'manual' });
  });
  afterEach(async () => {
    await emulator.close();
    await dir?.remove();
  });

  /** Alice's cip tuple, taken by another system under its own ref_id; returns the holder's id. */
  async function aliceHeldElsewhere(): Promise<string> {
    const holder = await emulator.request('POST', '/v2/identity/identities', personBodyFor('alice', { refId: 'other-system-42', ssn: aliceCip }));
    expect(holder.status).toBe(200);
    return holder.body.id as string;
  }

  const identitiesWithRefId = (refId: string) => Object.values(emulator.state.identities).filter((identity) => identity.ref_id === refId);
  const accountWithRefId = (refId: string) => Object.values(emulator.state.accounts).filter((account) => account.ref_id === refId);

  it('under fail (the default), stops Alice’s branch naming the holder, cip masked, and still applies Bob', async () => {
    const holderId = await aliceHeldElsewhere();
    const run = await apply(manifest(''));
    const out = run.outputs.resources;

    const alice = out['person.alice'];
    expect(alice?.outcome === 'blocked' || alice?.outcome === 'failed', JSON.stringify(alice)).toBe(true);
    expect(alice?.error?.message).toContain(holderId);
    expect(alice?.error?.message).toContain('other-system-42');
    expect(alice?.error?.message).toContain('***-**-1127');
    expect(alice?.error?.message).not.toContain(aliceCip);
    for (const address of ['account.alice-main', 'deposit.alice-usd'] as const) {
      expect(['blocked', 'skipped'], `${address}: ${JSON.stringify(out[address])}`).toContain(out[address]?.outcome);
    }
    expect(out['account.alice-main']?.blockedBy).toBe('person.alice');
    expect(everythingOf(run)).not.toContain(aliceCip);

    // Bob does not depend on Alice: made, approved, with his account.
    expect(out['person.bob']).toMatchObject({ outcome: 'created', status: 'APPROVED' });
    expect(out['account.bob-main']).toMatchObject({ outcome: 'created' });
    expect(run.summary.failed).toBe(true);

    // Nothing was made for Alice, and the holder was left as it was.
    expect(identitiesWithRefId('t-person-alice')).toEqual([]);
    expect(accountWithRefId('t-account-alice-main')).toEqual([]);
    expect(Object.keys(emulator.state.identities)).toHaveLength(2);
    expect(emulator.state.identities[holderId]).toMatchObject({ ref_id: 'other-system-42', summary_status: 'PENDING' });
    expect(emulator.state.identities[holderId]?.metadata ?? {}).toEqual({});
  });

  it('under fail, refuses a holder that appeared between the plan and the apply, cip masked, and still applies Bob', async () => {
    let holderId = '';
    // The plan saw no conflict; the holder is created while the user is asked to confirm.
    const run = await apply(manifest(''), {
      confirm: async () => {
        holderId = await aliceHeldElsewhere();
        return true;
      },
    });
    const out = run.outputs.resources;

    expect(run.plan.steps.find((step) => step.address === 'person.alice')?.action).toBe('create');
    expect(out['person.alice']).toMatchObject({ outcome: 'failed', error: { code: 'identity.cip_conflict' } });
    expect(out['person.alice']?.error?.message).toContain(holderId);
    expect(out['person.alice']?.error?.message).not.toContain(aliceCip);
    expect(out['account.alice-main']).toMatchObject({ outcome: 'skipped', blockedBy: 'person.alice' });
    expect(everythingOf(run)).not.toContain(aliceCip);
    expect(out['person.bob']).toMatchObject({ outcome: 'created', status: 'APPROVED' });
    expect(out['account.bob-main']).toMatchObject({ outcome: 'created' });
    expect(run.summary.failed).toBe(true);
    expect(identitiesWithRefId('t-person-alice')).toEqual([]);
  });

  it('under adopt, builds Alice’s branch on the holder and warns, cip masked', async () => {
    const holderId = await aliceHeldElsewhere();
    const run = await apply(manifest(', on_cip_id_conflict: adopt'));
    const out = run.outputs.resources;

    expect(out['person.alice']).toMatchObject({ outcome: 'adopted', adopted: true, created: false, ids: { identity_id: holderId }, status: 'APPROVED' });
    expect(run.warnings.join('\n')).toContain(`already belongs to identity ${holderId}`);
    expect(run.events.some((event) => event.type === 'warning' && event.message.includes(holderId))).toBe(true);
    expect(everythingOf(run)).not.toContain(aliceCip);
    expect(out['account.alice-main']).toMatchObject({ outcome: 'created', ids: { identity_id: holderId } });
    expect(accountWithRefId('t-account-alice-main').map((account) => account.identity_id)).toEqual([holderId]);
    expect(out['deposit.alice-usd']?.outcome).toBe('created');
    expect(run.summary.failed).toBe(false);
    // One identity for Alice — the holder's — and none made under her ref_id.
    expect(identitiesWithRefId('t-person-alice')).toEqual([]);
    expect(Object.keys(emulator.state.identities)).toHaveLength(2);

    const again = await applyForTest([dir.path('m.yaml')], emulator.url, dir.dir);
    expect(again.summary.writes).toBe(0);
    expect(again.outputs.resources['person.alice']?.ids.identity_id).toBe(holderId);
  });

  it('adopts an identity already holding the ref_id: the same id, nothing made twice', async () => {
    const existing = await emulator.request('POST', '/v2/identity/identities', personBodyFor('alice', { ssn: aliceCip }));
    expect(existing.status).toBe(200);
    const existingId = existing.body.id as string;
    const run = await apply(manifest(''));
    const out = run.outputs.resources;

    expect(out['person.alice']).toMatchObject({ outcome: 'adopted', adopted: true, created: false, ids: { identity_id: existingId }, status: 'APPROVED' });
    expect(out['account.alice-main']).toMatchObject({ outcome: 'created', ids: { identity_id: existingId } });
    expect(identitiesWithRefId('t-person-alice').map((identity) => identity.id)).toEqual([existingId]);
    expect(run.summary.failed).toBe(false);
  });
});
