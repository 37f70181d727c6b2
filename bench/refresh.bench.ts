/**
 * Refresh cost of a converged world of 1,000 identities (900 persons, 100
 * institutions) with a few accounts, profiles, deposits and orders, against
 * the in-process emulator (rate limits off). DESIGN.md: "a converged re-run
 * costs a handful of list calls, not one call per resource". Prints calls per
 * kind against the goal 2 + ceil(resources / page size), and wall times, for
 * a converged refresh (paced as for Paxos), after 10 identities changed, and
 * with `deep`. Asserts nothing.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../src/emulator/start-emulator.js';
import { resourceKinds } from '../src/manifest/kinds.js';
import type { Model } from '../src/manifest/model.js';
import { loadManifest } from '../src/manifest/validate-manifest.js';
import { createPaxosClient } from '../src/paxos/create-paxos-client.js';
import type { PaxosClient } from '../src/paxos/types.js';
import { makePlan } from '../src/plan/make-plan.js';
import { refreshRemote } from '../src/plan/refresh.js';
import { listPageSize } from '../src/resources/remote-reads.js';
import { executePlan } from '../src/apply/execute-plan.js';
import { openJournal } from '../src/apply/journal.js';
import type { Benchmark } from './index.js';

const counts = { persons: 900, institutions: 100, accounts: 40, profiles: 3, deposits: 20, orders: 20 };
const cdd = '{ estimated_yearly_income: INCOME_50K_TO_100K, expected_transfer_value: TRANSFER_VALUE_25K_TO_50K, source_of_wealth: EMPLOYMENT_INCOME, employment_status: FULL_TIME, employment_industry_sector: FINANCE_INSURANCE }';
const companyCdd = '{ source_of_wealth: INVESTMENT_GAINS, source_of_funds: INVESTMENT_RETURNS, industry_sector: HEDGE_FUND, has_underlying_trust_structure: false, has_nominee_shareholders: false }';
const address = (street: number, city = 'New York') => `{ address1: "${street} Example St", city: ${city}, province: NY, country: USA, zip_code: "10001" }`;

function generateManifest(changedCity?: { first: number; count: number }): string {
  const lines = ['version: 1', 'environment: sandbox', 'options: { ref_id_prefix: bench-, approval: sandbox }', 'persons:'];
  for (let index = 0; index < counts.persons; index++) {
    const ssn = `${String(100 + Math.floor(index / 10000)).padStart(3, '0')}-${String(10 + (Math.floor(index / 100) % 90))}-${String(1000 + index).padStart(4, '0')}`;
    const moved = changedCity && index >= changedCity.first && index < changedCity.first + changedCity.count;
    lines.push(
      `  p${index}: { first_name: P${index}, last_name: Example, date_of_birth: "1980-01-01", nationality: USA, cip_id: "${ssn}", cip_id_type: SSN, cip_id_country: USA,`,
      `    address: ${address(index, moved ? 'Boston' : 'New York')}, customer_due_diligence: ${cdd}, tax_details: [{ tax_payer_id: "${ssn}", tax_payer_country: USA }] }`,
    );
  }
  lines.push('institutions:');
  for (let index = 0; index < counts.institutions; index++) {
    const ein = `${String(10 + (index % 89)).padStart(2, '0')}-${String(1000000 + index).padStart(7, '0')}`;
    lines.push(
      `  i${index}: { name: I${index} LLC, institution_type: CORPORATION, institution_sub_type: HEDGE_FUND, cip_id: "${ein}", cip_id_type: EIN, cip_id_country: USA,`,
      `    govt_registration_date: "2010-05-01", business_address: ${address(index)}, incorporation_address: ${address(index)}, regulation_status: NON_REGULATED,`,
      `    trading_type: PRIVATE, business_description: Fund, customer_due_diligence: ${companyCdd}, tax_details: [{ tax_payer_id: "${ein}", tax_payer_country: USA }],`,
      `    members: [{ identity: person.p${index * 2}, roles: [BENEFICIAL_OWNER, MANAGEMENT_CONTROL_PERSON] }, { identity: person.p${index * 2 + 1}, roles: [AUTHORIZED_USER] }] }`,
    );
  }
  lines.push('accounts:');
  for (let index = 0; index < counts.accounts; index++) lines.push(`  a${index}: { identity: ${index % 2 ? `person.p${index}` : `institution.i${index}`}, profile: true }`);
  lines.push('profiles:');
  for (let index = 0; index < counts.profiles; index++) lines.push(`  book${index}: { description: Book ${index} }`);
  lines.push('deposits:');
  for (let index = 0; index < counts.deposits; index++) lines.push(`  d${index}: { profile: account.a${index}, asset: USD, amount: "10000" }`);
  lines.push('orders:');
  for (let index = 0; index < counts.orders; index++) {
    lines.push(`  o${index}: { profile: account.a${index}, market: BTCUSD, side: BUY, type: LIMIT, price: "20000", base_amount: "0.01" }`);
  }
  return `${lines.join('\n')}\n`;
}

/** Converges the world with the real executor (unpaced: the emulator's limits are off here). */
async function converge(model: Model, client: PaxosClient, journalDir: string): Promise<void> {
  const { plan, world } = await makePlan(model, { client });
  const journal = await openJournal(join(journalDir, 'journal.jsonl'));
  await executePlan({ client, model, plan, world, journal, concurrency: 16, pollIntervalMs: 20, listingLagMs: 1000 });
}

async function measureRefresh(label: string, model: Model, client: PaxosClient, deep = false): Promise<void> {
  const started = performance.now();
  const result = await refreshRemote(model, client, { deep });
  const wall = performance.now() - started;
  const sizes = new Map<string, number>();
  for (const resource of model.resources.values()) sizes.set(resource.kind, (sizes.get(resource.kind) ?? 0) + 1);
  const perKind = resourceKinds.map((kind) => {
    const size = sizes.get(kind) ?? 0;
    return `${kind} ${result.callsByKind[kind] ?? 0}/${2 + Math.ceil(size / listPageSize)} (${size})`;
  });
  console.log(`${label}: ${result.calls} calls in ${wall.toFixed(0)} ms | calls/goal (resources) per kind: ${perKind.join(', ')}`);
}

export const refreshBenchmark: Benchmark = {
  name: 'refresh',
  description: 'refresh of a converged 1,000-identity world: calls per kind (goal 2 + ceil(resources / 1000)) and wall time',
  async run() {
    const dir = await mkdtemp(join(tmpdir(), 'paxos-onboard-refresh-'));
    const emulator = await startEmulator({ rateLimits: 'off' });
    const target = (environment: 'local') => ({ kind: 'local' as const, environment, apiUrl: `${emulator.url}/v2`, tokenUrl: `${emulator.url}/oauth2/token`, description: 'bench emulator' });
    const credentials = { clientId: 'bench', clientSecret: 'bench' };
    const unpaced = createPaxosClient({ target: target('local'), credentials, pacing: 'off' });
    const paced = createPaxosClient({ target: target('local'), credentials });
    try {
      await writeFile(join(dir, 'world.yaml'), generateManifest());
      const model = await loadManifest([dir], { cwd: dir, env: {} });
      await measureRefresh('empty world (paced)', model, paced);
      const convergeStarted = performance.now();
      await converge(model, unpaced, dir);
      console.log(`converged ${model.resources.size} resources through the executor in ${((performance.now() - convergeStarted) / 1000).toFixed(1)} s (unpaced)`);
      await measureRefresh('converged (paced as for Paxos)', model, paced);
      const { plan } = await makePlan(model, { client: paced });
      console.log(`converged plan: ${plan.summary.byAction.noop} of ${plan.steps.length} steps noop, hasChanges ${plan.summary.hasChanges}`);
      await writeFile(join(dir, 'world.yaml'), generateManifest({ first: 100, count: 10 }));
      await measureRefresh('10 persons changed (paced; identity GETs are in the 10/s class)', await loadManifest([dir], { cwd: dir, env: {} }), paced);
      await measureRefresh('deep (unpaced: one GET per identity)', model, unpaced, true);
    } finally {
      await Promise.all([unpaced.close(), paced.close()]);
      await emulator.close();
      await rm(dir, { recursive: true, force: true });
    }
  },
};
