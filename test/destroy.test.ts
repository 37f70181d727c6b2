/**
 * Orphans, prune and destroy end to end against an emulator on port 0: a
 * world applied from a manifest, then resources dropped from it. The plan
 * lists them as orphans in every format with the same count and exits 2
 * under --detailed-exitcode; `apply --prune` takes down only those; `destroy`
 * leaves nothing of the manifest's up, and a second destroy writes nothing.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { applyManifest } from '../src/apply/apply-manifest.js';
import { destroyManifest } from '../src/apply/destroy-manifest.js';
import type { Plan } from '../src/plan/plan-types.js';
import { runCliForTest } from './support/run-cli.js';
import { startTestEmulator, type TestEmulator } from './support/test-emulator.js';
import { writeTempManifests, type TempManifestDir } from './support/temp-manifest.js';

const person = `
version: 1
environment: sandbox
options:
  ref_id_prefix: td-
persons:
  dora:
    first_name: Dora
    last_name: Diaz
    date_of_birth: "1985-03-03"
    nationality: USA
    cip_id: 444-44-4444
    cip_id_type: SSN
    cip_id_country: USA
    address: { address1: 4 Example Road, city: Denver, province: CO, country: USA, zip_code: "80202" }
    verification:
      verifier_type: PASSTHROUGH
      passthrough_verifier_type: JUMIO
      passthrough_verified_at: "2024-03-01T08:00:00Z"
      passthrough_verification_status: APPROVED
    customer_due_diligence:
      estimated_yearly_income: INCOME_50K_TO_100K
      expected_transfer_value: TRANSFER_VALUE_0_TO_25K
      source_of_wealth: EMPLOYMENT_INCOME
      employment_status: FULL_TIME
      employment_industry_sector: RETAIL_TRADE
    tax_details_not_required: true
accounts:
  dora-brokerage: { identity: person.dora, description: Dora's account, profile: true }
deposits:
  dora-usd: { profile: account.dora-brokerage, asset: USD, amount: "1000" }
profiles:
  main: { description: A book }
orders:
  dora-kept: { profile: account.dora-brokerage, market: BTCUSD, side: BUY, type: LIMIT, price: "1000", base_amount: "0.01" }
`;
// Added under the collections above: dropped from the kept manifest, they become orphans.
const extras = `
  dora-resting: { profile: account.dora-brokerage, market: BTCUSD, side: BUY, type: LIMIT, price: "1001", base_amount: "0.01" }
`;
const spare = '  spare: { description: An empty book }\n';

let emulator: TestEmulator;
let cwd: string;
let temp: TempManifestDir;
beforeEach(async () => {
  emulator = await startTestEmulator({ rateLimits: 'off' });
  cwd = await mkdtemp(join(tmpdir(), 'paxos-onboard-destroy-'));
  const full = person.replace('  main: { description: A book }\n', `  main: { description: A book }\n${spare}`) + extras.replace(/^\n/, '');
  temp = await writeTempManifests({ 'full/world.yaml': full, 'kept/world.yaml': person });
});
afterEach(async () => {
  await temp.remove();
  await emulator.close();
  await rm(cwd, { recursive: true, force: true });
});

const cli = (args: string[]) => runCliForTest([...args, '--target', emulator.url], { cwd, env: {} });
const options = () => ({ target: emulator.url, env: {}, cwd, pollIntervalMs: 20, listingLagMs: 500 });
const ours = () => ({
  identities: Object.values(emulator.state.identities).filter((identity) => identity.ref_id?.startsWith('td-')),
  accounts: Object.values(emulator.state.accounts).filter((account) => account.ref_id?.startsWith('td-')),
  orders: Object.values(emulator.state.orders).filter((order) => order.ref_id?.startsWith('td-')),
  profiles: Object.values(emulator.state.profiles).filter((profile) => profile.nickname.startsWith('td-')),
});

it('shows dropped resources as orphans with one count in every format, and --detailed-exitcode exits 2', async () => {
  await applyManifest([temp.path('full/world.yaml')], options());
  const text = await cli(['plan', temp.path('kept/world.yaml'), '--detailed-exitcode']);
  expect(text.code, text.stderr).toBe(2);
  expect(text.stdout).toMatch(/- orphan {2}order {2}ref_id=td-order-dora-resting {2}id [0-9a-f-]{36} {2}OPEN {2}\(cancel\)/);
  expect(text.stdout).toMatch(/- orphan {2}profile {2}nickname=td-profile-spare {2}id [0-9a-f-]{36} {2}\(deactivate\)/);
  expect(text.stdout).toContain('Deposits have no key in the API');
  expect(text.stdout).toMatch(/2 orphan/);
  const json = JSON.parse((await cli(['plan', temp.path('kept/world.yaml'), '--format', 'json'])).stdout) as Plan;
  expect(json.summary.orphan).toBe(2);
  expect(json.summary.hasChanges).toBe(true);
  expect(json.orphans?.map((orphan) => [orphan.kind, orphan.teardown])).toEqual([['profile', 'deactivate'], ['order', 'cancel']]);
  const markdown = (await cli(['plan', temp.path('kept/world.yaml'), '--format', 'markdown'])).stdout;
  expect(markdown).toContain('| orphan | 2 |');
  expect(markdown).toContain('**orphan** `order`');
  // The full manifest declares them: no orphans, nothing to change.
  expect((await cli(['plan', temp.path('full/world.yaml'), '--detailed-exitcode'])).code).toBe(0);
});

it('apply --prune takes down only the orphans, and the plan then converges', async () => {
  await applyManifest([temp.path('full/world.yaml')], options());
  const run = await cli(['apply', temp.path('kept/world.yaml'), '--prune', '--yes']);
  expect(run.code, run.stderr + run.stdout).toBe(0);
  expect(run.stdout).toContain('Pruned: 2 torn down, 0 kept, 0 failed.');
  const world = ours();
  expect(world.orders.map((order) => [order.ref_id, order.status])).toEqual([['td-order-dora-kept', 'OPEN'], ['td-order-dora-resting', 'CANCELLED']]);
  expect(world.profiles.map((profile) => [profile.nickname, profile.deactivated])).toEqual([['td-profile-main', false], ['td-profile-spare', true]]);
  expect(world.identities.map((identity) => identity.summary_status)).toEqual(['APPROVED']);
  expect(world.accounts.map((account) => account.user_disabled)).toEqual([false]);
  expect((await cli(['plan', temp.path('kept/world.yaml'), '--detailed-exitcode'])).code).toBe(0);
});

it('destroy leaves nothing of the manifest up, keeps a funded profile and says so; a second destroy writes nothing', async () => {
  await applyManifest([temp.path('full/world.yaml')], options());
  // The kept manifest: what it declares and the orphans under its prefix.
  const first = await destroyManifest([temp.path('kept/world.yaml')], { target: emulator.url, env: {}, cwd });
  expect(first.plan.steps.filter((step) => step.action !== 'noop').map((step) => `${step.action} ${step.address ?? `orphan ${step.kind}`}`)).toEqual([
    'cancel order.dora-kept',
    'cancel orphan order',
    'deactivate profile.main',
    'deactivate orphan profile',
    'disable account.dora-brokerage',
    'disable person.dora',
  ]);
  expect(first.failed).toBe(false);
  expect(first.warnings.join('\n')).toMatch(/holds 1000(\.0+)? USD: Paxos refuses to deactivate a profile with a balance/);
  const world = ours();
  expect(world.identities.map((identity) => identity.summary_status)).toEqual(['DISABLED']);
  expect(world.accounts.map((account) => account.user_disabled)).toEqual([true]);
  expect(world.orders.map((order) => order.status)).toEqual(['CANCELLED', 'CANCELLED']);
  expect(world.profiles.map((profile) => profile.deactivated)).toEqual([true, true]);

  const second = await destroyManifest([temp.path('kept/world.yaml')], { target: emulator.url, env: {}, cwd });
  expect(second.plan.summary.hasChanges).toBe(false);
  expect(second.stats.writes).toBe(0);
  const again = await cli(['destroy', temp.path('kept/world.yaml')]);
  expect(again.code, again.stderr).toBe(0);
  expect(again.stdout).toContain('Nothing to destroy');
  expect(again.stdout).toContain('0 write(s)');
});
