/**
 * apply and Paxos's decisions on identities, end to end: a DENIED identity
 * fails its own branch and nothing else; `approval: none` sends no order for
 * an identity still PENDING; `approval_timeout` bounds the wait; and the wait
 * sees a decision however the emulator's clock stamped it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RequestLogEntry } from '../src/paxos/request-log.js';
import { applyForTest } from './support/apply-run.js';
import { approveIdentity } from './support/emulator-builders.js';
import { header, personYaml } from './support/plan-manifests.js';
import { writeTempManifests, type TempManifestDir } from './support/temp-manifest.js';
import { startTestEmulator, type TestEmulator } from './support/test-emulator.js';

/** A person with a funded brokerage account and a MARKET buy on it. */
function tradingPerson(key: string, ssn: string): { persons: string; accounts: string; deposits: string; orders: string } {
  return {
    persons: personYaml(key, { ssn }),
    accounts: `  ${key}-main: { identity: person.${key}, profile: true }`,
    deposits: `  ${key}-usd: { profile: account.${key}-main, asset: USD, amount: "1000" }`,
    orders: `  ${key}-btc: { profile: account.${key}-main, market: BTCUSD, side: BUY, type: MARKET, quote_amount: "100" }`,
  };
}

function manifestOf(options: string, people: Array<ReturnType<typeof tradingPerson>>): string {
  const section = (name: 'persons' | 'accounts' | 'deposits' | 'orders') => `${name}:\n${people.map((person) => person[name]).join('\n')}\n`;
  return `${header('sandbox', `ref_id_prefix: t-, ${options}`)}${section('persons')}${section('accounts')}${section('deposits')}${section('orders')}`;
}

/** Resolves once `predicate` holds, checking every 10 ms; fails after `timeoutMs`. */
async function until(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('apply: approvals', () => {
  let emulator: TestEmulator;
  let dir: TempManifestDir | undefined;
  const write = async (text: string) => (dir = await writeTempManifests({ 'm.yaml': text }));
  beforeEach(async () => {
    emulator = await startTestEmulator({ rateLimits: 'off', approve: 'manual' });
  });
  afterEach(async () => {
    await emulator.close();
    await dir?.remove();
    dir = undefined;
  });

  it('fails only the branch of a DENIED identity under approval: wait: the other person trades', async () => {
    const { dir: cwd, path } = await write(manifestOf('approval: wait', [tradingPerson('alice', '111-11-1127'), tradingPerson('bob', '222-22-1127')]));
    const running = applyForTest([path('m.yaml')], emulator.url, cwd);
    const idOf = (refId: string) => emulator.state.identityIdByRefId[refId];
    await until(() => idOf('t-person-alice') !== undefined && idOf('t-person-bob') !== undefined, 'apply created both identities');
    // Paxos decides, while apply waits: alice approved, bob denied.
    await approveIdentity(emulator, idOf('t-person-alice') as string);
    const denied = await emulator.request('PUT', `/v2/identity/identities/${idOf('t-person-bob')}/sandbox-status`, { sanctions_verification_status: 'DENIED' });
    expect(denied.status).toBe(200);
    const run = await running;
    const out = run.outputs.resources;

    expect(out['person.bob']).toMatchObject({ outcome: 'failed', error: { code: 'identity.denied' }, ids: { identity_id: idOf('t-person-bob') } });
    expect(out['person.bob']?.error?.message).toContain('DENIED');
    // The outputs file says where bob stands now, and that this run made him.
    expect.soft(out['person.bob']?.status, 'person.bob status in the outputs').toBe('DENIED');
    expect.soft(out['person.bob']?.created, 'person.bob created in the outputs').toBe(true);
    // The order names what stopped it: the denied person, not the account that was made fine.
    expect(out['order.bob-btc']?.outcome).toBe('skipped');
    expect(Object.values(emulator.state.orders).filter((order) => order.ref_id === 't-order-bob-btc')).toEqual([]);
    expect.soft(out['order.bob-btc']?.blockedBy, JSON.stringify(out['order.bob-btc']?.error)).toBe('person.bob');
    expect.soft(out['order.bob-btc']?.error?.message).toContain('person.bob');

    expect(out['person.alice']).toMatchObject({ outcome: 'created', status: 'APPROVED' });
    expect(out['order.alice-btc']).toMatchObject({ outcome: 'created', status: 'FILLED' });
    const aliceOrder = Object.values(emulator.state.orders).filter((order) => order.ref_id === 't-order-alice-btc');
    expect(aliceOrder.map((order) => order.status)).toEqual(['FILLED']);
    expect(out['order.alice-btc']?.ids.order_id).toBe(aliceOrder[0]?.id);
    expect(run.summary.failed).toBe(true);
  });

  it('sends no order for an identity still PENDING under approval: none, and says why', async () => {
    const { dir: cwd, path } = await write(manifestOf('approval: none', [tradingPerson('alice', '111-11-1127')]));
    const entries: RequestLogEntry[] = [];
    const run = await applyForTest([path('m.yaml')], emulator.url, cwd, { onRequest: (entry) => entries.push(entry) });
    const out = run.outputs.resources;

    expect(out['person.alice']).toMatchObject({ outcome: 'created', status: 'PENDING' });
    const order = out['order.alice-btc'];
    // The plan says so before anything is sent, naming the identity and the option.
    const planned = run.plan.steps.find((step) => step.address === 'order.alice-btc');
    expect(planned).toMatchObject({ action: 'blocked', blockedBy: 'person.alice' });
    expect(planned?.reason).toContain('approval: none');
    expect(order).toMatchObject({ outcome: 'skipped', blockedBy: 'person.alice', error: { code: 'plan.blocked' } });
    expect(order?.error?.message).toContain('PENDING');
    // Nothing was sent for it: no order exists and no order was posted.
    expect(Object.keys(emulator.state.orders)).toEqual([]);
    expect(entries.filter((entry) => entry.method === 'POST' && entry.path.includes('/orders'))).toEqual([]);
    // Nor was the identity approved behind the user's back.
    expect(entries.filter((entry) => entry.path.includes('sandbox-status'))).toEqual([]);
    expect(run.summary.failed).toBe(true);
  });

  it('fails with approval.timeout when nobody decides within approval_timeout, and sends no order', async () => {
    const { dir: cwd, path } = await write(manifestOf('approval: wait, approval_timeout: 1s', [tradingPerson('alice', '111-11-1127')]));
    const run = await applyForTest([path('m.yaml')], emulator.url, cwd);
    const out = run.outputs.resources;

    expect(out['person.alice']).toMatchObject({ outcome: 'failed', error: { code: 'approval.timeout' } });
    expect(out['person.alice']?.error?.message).toContain('approval_timeout');
    expect(out['order.alice-btc']?.outcome).toBe('skipped');
    expect(Object.keys(emulator.state.orders)).toEqual([]);
    expect(run.summary.failed).toBe(true);
    expect.soft(out['person.alice']?.created, 'person.alice created in the outputs').toBe(true);
    expect.soft(out['order.alice-btc']?.blockedBy, JSON.stringify(out['order.alice-btc']?.error)).toBe('person.alice');
  });
});

describe('apply: the wait for a decision and the clocks', () => {
  let emulator: TestEmulator;
  let dir: TempManifestDir | undefined;
  afterEach(async () => {
    await emulator.close();
    await dir?.remove();
  });

  // Paxos promises no order between an identity's `updated_at` and the
  // `created_at` of the event announcing its decision; the emulator itself
  // stamps them with two reads of its clock, a millisecond apart whenever a
  // millisecond boundary falls between them. A clock that moves on every read
  // makes that happen every time.
  it('sees an approval whose event is stamped a moment after the identity was updated', async () => {
    let now = Date.now();
    emulator = await startTestEmulator({ rateLimits: 'off', approve: 'manual', now: () => new Date(now++) });
    dir = await writeTempManifests({ 'm.yaml': `${header('sandbox', 'ref_id_prefix: t-, approval: sandbox, approval_timeout: 3s')}persons:\n${personYaml('alice')}\n` });
    const run = await applyForTest([dir.path('m.yaml')], emulator.url, dir.dir);

    const id = emulator.state.identityIdByRefId['t-person-alice'] as string;
    expect(emulator.state.identities[id]?.summary_status).toBe('APPROVED');
    expect(run.outputs.resources['person.alice'], JSON.stringify(run.outputs.resources['person.alice'])).toMatchObject({ outcome: 'created', status: 'APPROVED' });
    expect(run.summary.failed).toBe(false);
  });
});
