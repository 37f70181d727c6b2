/**
 * Stopping and refusing: Ctrl-C (the library's `signal`) while identities wait
 * for a decision ends the run cleanly — nothing more is sent, the waits are
 * reported as interrupted, and the next run goes on; and a manifest with
 * orders is refused against production without `allowProductionOrders`,
 * before any call.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { applyManifest } from '../src/apply/apply-manifest.js';
import type { ApplyEvent } from '../src/apply/apply-types.js';
import type { RequestLogEntry } from '../src/paxos/request-log.js';
import { applyForTest } from './support/apply-run.js';
import { header, personYaml } from './support/plan-manifests.js';
import { writeTempManifests, type TempManifestDir } from './support/temp-manifest.js';
import { startTestEmulator, type TestEmulator } from './support/test-emulator.js';

let emulator: TestEmulator;
let dir: TempManifestDir;
beforeEach(async () => {
  emulator = await startTestEmulator({ rateLimits: 'off', approve: 'manual' });
});
afterEach(async () => {
  await dir?.remove();
  await emulator.close();
});

const funding = 'deposits:\n  alice-usd: { profile: account.alice-main, asset: USD, amount: "1000" }\n  bob-usd: { profile: account.bob-main, asset: USD, amount: "1000" }\n';
const tradingManifest = (environment: string, options: string, extra = '') =>
  `${header(environment, `ref_id_prefix: t-, ${options}`)}persons:\n${personYaml('alice', { ssn: '111-11-1127' })}\n${personYaml('bob', { ssn: '222-22-2227' })}\n` +
  'accounts:\n  alice-main: { identity: person.alice, profile: true }\n  bob-main: { identity: person.bob, profile: true }\n' +
  'orders:\n  alice-btc: { profile: account.alice-main, market: BTCUSD, side: BUY, type: MARKET, quote_amount: "100" }\n' +
  `  bob-btc: { profile: account.bob-main, market: BTCUSD, side: BUY, type: MARKET, quote_amount: "100" }\n${extra}`;

it('stops on the signal while identities wait: no crash, no call after it, the waits reported as interrupted, and the next run goes on', async () => {
  dir = await writeTempManifests({ 'm.yaml': tradingManifest('sandbox', 'approval: wait', funding) });
  const stop = new AbortController();
  const afterStop: ApplyEvent[] = [];
  let waiting = 0;
  const onEvent = (event: ApplyEvent) => {
    if (stop.signal.aborted) afterStop.push(event);
    if (event.type === 'phase' && event.phase === 'waiting-for-approval' && ++waiting === 2) stop.abort();
  };
  const run = await applyForTest(['.'], emulator.url, dir.dir, { signal: stop.signal, onEvent });
  // Nothing starts once stopped: what was in flight finishes, the rest is reported.
  expect(afterStop.filter((event) => event.type === 'start' || event.type === 'phase')).toEqual([]);
  for (const address of ['person.alice', 'person.bob'] as const) expect(run.outputs.resources[address]).toMatchObject({ outcome: 'failed', created: true, error: { code: 'apply.interrupted' } });
  expect(run.outputs.resources['order.alice-btc']).toMatchObject({ outcome: 'skipped' });
  expect(Object.keys(emulator.state.orders)).toHaveLength(0);

  // Paxos decides while nobody runs; the next run finds both APPROVED and places the orders.
  for (const person of Object.values(emulator.state.identities)) {
    expect((await emulator.request('PUT', `/v2/identity/identities/${person.id}/sandbox-status`, { id_verification_status: 'APPROVED', sanctions_verification_status: 'APPROVED' })).status).toBe(200);
  }
  const again = await applyForTest(['.'], emulator.url, dir.dir);
  expect(Object.values(again.outputs.resources).filter((output) => output.error)).toEqual([]);
  expect(again.outputs.resources['order.bob-btc']).toMatchObject({ outcome: 'created', status: 'FILLED' });
});

it('refuses a production manifest with orders unless orders are allowed, before any call', async () => {
  dir = await writeTempManifests({ 'm.yaml': tradingManifest('production', 'approval: wait') });
  const requests: RequestLogEntry[] = [];
  const env = { PAXOS_CLIENT_ID: 'id', PAXOS_CLIENT_SECRET: 'secret' };
  const refused = applyManifest(['.'], { env, cwd: dir.dir, target: 'production', onRequest: (entry) => requests.push(entry) });
  await expect(refused).rejects.toMatchObject({ code: 'apply.production_orders' });
  await expect(refused).rejects.toThrow(/2 order\(s\) in production \(order\.alice-btc, order\.bob-btc\); nothing was sent\. Pass --allow-production-orders/);
  expect(requests).toEqual([]);
});
