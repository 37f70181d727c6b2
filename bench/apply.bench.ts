/**
 * Wall time of a whole `apply` (load, plan, execute) of a fresh world — 100
 * persons, 10 institutions of 5 members each, 10 accounts with profiles, a
 * USD deposit and a MARKET buy per account — against the in-process emulator
 * with the Paxos rate limits on (1 s window), 50 ms latency, manual approval
 * (approved through sandbox-status), paced as for Paxos.
 *
 * How to read it: the API, not the CPU, bounds a run (DESIGN.md
 * "Performance model"). The lower bound is max over rate classes of (the
 * fewest calls of that class the manifest needs / the class's limit per
 * second); `wall / bound` says how close the executor gets (goal ≤ 1.15).
 * Calls sent vs minimal, per class, say where calls beyond the minimum went;
 * 429s must be 0. The timeline says when each phase ended (seconds from the
 * start). The baseline is the same manifest on a fresh emulator, one resource
 * at a time (`concurrency: 1`, still paced): what a script calling the API
 * in sequence would take. Measures only; asserts nothing.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyManifest } from '../src/apply/apply-manifest.js';
import type { ApplyResult } from '../src/apply/apply-types.js';
import { rateClasses, rateClassOf } from '../src/domain/rate-classes.js';
import { startEmulator } from '../src/emulator/start-emulator.js';
import type { Benchmark } from './index.js';

export interface ApplyWorldCounts {
  persons: number;
  institutions: number;
  membersPerInstitution: number;
  /** Each with a profile, a USD deposit and a MARKET buy. */
  accounts: number;
}

const counts: ApplyWorldCounts = { persons: 100, institutions: 10, membersPerInstitution: 5, accounts: 10 };
const cdd = '{ estimated_yearly_income: INCOME_50K_TO_100K, expected_transfer_value: TRANSFER_VALUE_25K_TO_50K, source_of_wealth: EMPLOYMENT_INCOME, employment_status: FULL_TIME, employment_industry_sector: FINANCE_INSURANCE }';
const companyCdd = '{ source_of_wealth: INVESTMENT_GAINS, source_of_funds: INVESTMENT_RETURNS, industry_sector: HEDGE_FUND, has_underlying_trust_structure: false, has_nominee_shareholders: false }';
const address = (street: number) => `{ address1: "${street} Example St", city: New York, province: NY, country: USA, zip_code: "10001" }`;
/** Half the accounts belong to institutions, half to persons that are members of none. */
const accountOwner = (index: number, world: ApplyWorldCounts) => (index % 2 === 0 ? `institution.i${index / 2}` : `person.p${world.institutions * world.membersPerInstitution + index}`);

/** The bench's world, or one of other `world` counts (the fixtures bench builds 1,000 identities). */
export function generateApplyManifest(world: ApplyWorldCounts = counts): string {
  // approval_timeout: a decision the executor misses fails the run within a minute rather than after the default 10 m.
  const lines = ['version: 1', 'environment: sandbox', 'options: { ref_id_prefix: bench-, approval: sandbox, approval_timeout: 1m }', 'persons:'];
  for (let index = 0; index < world.persons; index++) {
    const ssn = `100-${String(10 + Math.floor(index / 100))}-${String(1000 + index)}`;
    lines.push(
      `  p${index}: { first_name: P${index}, last_name: Example, date_of_birth: "1980-01-01", nationality: USA, cip_id: "${ssn}", cip_id_type: SSN, cip_id_country: USA,`,
      `    address: ${address(index)}, customer_due_diligence: ${cdd}, tax_details: [{ tax_payer_id: "${ssn}", tax_payer_country: USA }] }`,
    );
  }
  lines.push('institutions:');
  for (let index = 0; index < world.institutions; index++) {
    const ein = `20-${String(1000000 + index)}`;
    const first = index * world.membersPerInstitution;
    const members = Array.from({ length: world.membersPerInstitution }, (_, member) => {
      const roles = member === 0 ? 'BENEFICIAL_OWNER, MANAGEMENT_CONTROL_PERSON' : member === 1 ? 'BENEFICIAL_OWNER' : 'AUTHORIZED_USER';
      return `{ identity: person.p${first + member}, roles: [${roles}] }`;
    });
    lines.push(
      `  i${index}: { name: I${index} LLC, institution_type: CORPORATION, institution_sub_type: HEDGE_FUND, cip_id: "${ein}", cip_id_type: EIN, cip_id_country: USA,`,
      `    govt_registration_date: "2010-05-01", business_address: ${address(index)}, incorporation_address: ${address(index)}, regulation_status: NON_REGULATED,`,
      `    trading_type: PRIVATE, business_description: Fund, customer_due_diligence: ${companyCdd}, tax_details: [{ tax_payer_id: "${ein}", tax_payer_country: USA }],`,
      `    members: [${members.join(', ')}] }`,
    );
  }
  const accounts = Array.from({ length: world.accounts }, (_, index) => index);
  lines.push('accounts:', ...accounts.map((index) => `  a${index}: { identity: ${accountOwner(index, world)}, profile: true }`));
  lines.push('deposits:', ...accounts.map((index) => `  d${index}: { profile: account.a${index}, asset: USD, amount: "10000" }`));
  lines.push('orders:', ...accounts.map((index) => `  o${index}: { profile: account.a${index}, market: ${index % 2 ? 'ETHUSD' : 'BTCUSD'}, side: BUY, type: MARKET, quote_amount: "1000" }`));
  return `${lines.join('\n')}\n`;
}

/**
 * The fewest calls any client needs for this manifest on an empty remote, by
 * what they are; their class comes from `rateClassOf`. What "minimal" counts:
 * - one write per resource (an institution's members go in its create; an
 *   account's profile is made with it by `create_profile`), plus one
 *   sandbox-status per identity (`approval: sandbox`);
 * - reads: ONE identity listing to learn what exists (accounts, profiles,
 *   deposits and orders need an identity, so an empty listing proves them
 *   absent too), and ONE read in all to confirm the approvals (sandbox-status
 *   answers `{}`; one listing can show every decision). MARKET orders answer
 *   FILLED at once on the emulator, so confirming fills needs no read;
 * - one token request.
 * No repeat, no per-resource read: a bound no real client reaches exactly.
 */
function minimalCalls(): Array<{ what: string; method: string; path: string; count: number }> {
  const identities = counts.persons + counts.institutions;
  return [
    { what: 'token', method: 'POST', path: '/oauth2/token', count: 1 },
    { what: 'identity listing (refresh)', method: 'GET', path: '/v2/identity/identities', count: 1 },
    { what: 'identity creates', method: 'POST', path: '/v2/identity/identities', count: identities },
    { what: 'sandbox-status', method: 'PUT', path: '/v2/identity/identities/x/sandbox-status', count: identities },
    { what: 'approval confirmation', method: 'GET', path: '/v2/identity/identities', count: 1 },
    { what: 'account creates', method: 'POST', path: '/v2/identity/accounts', count: counts.accounts },
    { what: 'deposits', method: 'POST', path: '/v2/sandbox/profiles/x/deposit', count: counts.accounts },
    { what: 'orders', method: 'POST', path: '/v2/profiles/x/orders', count: counts.accounts },
  ];
}

const perSecondOf = new Map<string, number>(Object.values(rateClasses).map((rateClass) => [rateClass.name, rateClass.perSecond]));

function lowerBound(): { byClass: Map<string, number>; seconds: number; bindingClass: string } {
  const byClass = new Map<string, number>();
  for (const call of minimalCalls()) {
    const name = rateClassOf(call.method, call.path).name;
    byClass.set(name, (byClass.get(name) ?? 0) + call.count);
  }
  let seconds = 0;
  let bindingClass = '';
  for (const [name, calls] of byClass) {
    const time = calls / (perSecondOf.get(name) ?? 1);
    if (time > seconds) [seconds, bindingClass] = [time, name];
  }
  return { byClass, seconds, bindingClass };
}

interface Run {
  result: ApplyResult;
  wallMs: number;
  /** Seconds from the start: the plan made, the first and last answer of each class, the last order done. */
  timeline: Record<string, number>;
}

/** One apply of the manifest, written to a temp dir of its own (journal included), against a fresh emulator with the bench's limits. */
async function applyFresh(concurrency?: number): Promise<Run> {
  const dir = await mkdtemp(join(tmpdir(), 'paxos-onboard-apply-'));
  await writeFile(join(dir, 'world.yaml'), generateApplyManifest());
  const emulator = await startEmulator(benchEmulatorOptions);
  const timeline: Record<string, number> = {};
  const started = performance.now();
  const mark = (label: string) => (timeline[label] = (performance.now() - started) / 1000);
  try {
    const result = await applyManifest([dir], {
      env: {},
      cwd: dir,
      target: emulator.url,
      ...(concurrency !== undefined ? { concurrency } : {}),
      onPlan: () => mark('plan made'),
      onRequest: (entry) => {
        if (timeline[`first ${entry.rateClass} call`] === undefined) mark(`first ${entry.rateClass} call`);
        mark(`last ${entry.rateClass} call`);
      },
      onEvent: (event) => {
        if (event.type === 'done' && event.kind === 'order') mark('last order done');
      },
    });
    const wallMs = performance.now() - started;
    return { result, wallMs, timeline };
  } finally {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Paxos's limits on a 1 s window, 50 ms latency, manual approval. Deposits are
 * listed and orders filled at the emulator's next request: the bound models
 * the rate classes, not the sandbox's settlement delays (which add to the
 * critical path whatever the client does).
 */
const benchEmulatorOptions = { latencyMs: 50, rateLimits: 'paxos', rateWindowMs: 1000, approve: 'manual', transferListingDelayMs: 0, orderFillDelayMs: 0 } as const;

/**
 * The same apply as a user runs it: the built CLI in a process of its own
 * (Node start-up, module loading, the lock and the token included), timed
 * from spawn to exit.
 */
async function applyWholeProcess(): Promise<{ wallMs: number; code: number | null; stderr: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'paxos-onboard-apply-cli-'));
  await writeFile(join(dir, 'world.yaml'), generateApplyManifest());
  const emulator = await startEmulator(benchEmulatorOptions);
  const bin = fileURLToPath(new URL('../../dist/cli/bin.js', import.meta.url));
  try {
    const started = performance.now();
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [bin, 'apply', dir, '--target', emulator.url, '--yes', '--format', 'json'], { cwd: dir, env: { PATH: process.env.PATH ?? '', HOME: dir }, stdio: ['ignore', 'ignore', 'pipe'] });
      let errors = '';
      child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
      child.on('error', reject);
      child.on('exit', (exitCode) => resolve({ code: exitCode, stderr: errors }));
    });
    return { wallMs: performance.now() - started, code, stderr };
  } finally {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function reportFailures(result: ApplyResult): void {
  const { summary } = result;
  if (!summary.failed && summary.rateLimited === 0) return;
  console.log(`!! failed: ${summary.failed}, outcomes ${JSON.stringify(summary.byOutcome)}, 429s ${summary.rateLimited}, retries ${summary.retries}`);
  for (const [address, output] of Object.entries(result.outputs.resources)) {
    if (output.error) console.log(`   ${address}: ${output.outcome} ${output.error.code}: ${output.error.message}${output.blockedBy ? ` (blocked by ${output.blockedBy})` : ''}`);
  }
}

export const applyBenchmark: Benchmark = {
  name: 'apply',
  description: 'apply of a fresh 110-identity world against the rate-limited emulator: wall time vs the rate-class lower bound (goal ≤ 1.15), and vs one call at a time',
  async run() {
    const bound = lowerBound();
    const ours = await applyFresh();
    const { summary, stats } = ours.result;
    reportFailures(ours.result);
    const minimalTotal = [...bound.byClass.values()].reduce((sum, calls) => sum + calls, 0);
    const sent: Record<string, number> = { ...summary.callsByClass, token: stats.tokenFetches };
    const classes = [...new Set([...bound.byClass.keys(), ...Object.keys(sent)])];
    const perClass = classes.map((name) => `${name} ${sent[name] ?? 0}/${bound.byClass.get(name) ?? 0} (${perSecondOf.get(name) ?? '?'}/s)`);
    const resources = Object.values(summary.byOutcome).reduce((sum, count) => sum + count, 0);
    console.log(`wall ${seconds(ours.wallMs)} (execution ${seconds(summary.elapsedMs)}) for ${resources} resources, outcomes ${JSON.stringify(summary.byOutcome)}`);
    console.log(`lower bound ${bound.seconds.toFixed(2)} s (${bound.bindingClass} class) | wall / bound ${(ours.wallMs / 1000 / bound.seconds).toFixed(3)} (goal ≤ 1.10)`);
    console.log(`calls sent/minimal ${summary.calls + stats.tokenFetches}/${minimalTotal} (token included) | per class sent/minimal (limit): ${perClass.join(', ')}`);
    console.log(`429s ${summary.rateLimited} (must be 0) | retries ${summary.retries} | writes ${summary.writes}`);
    console.log(`timeline (s): ${Object.entries(ours.timeline).sort(([, a], [, b]) => a - b).map(([label, at]) => `${label} ${at.toFixed(2)}`).join(', ')}`);
    const whole = await applyWholeProcess();
    if (whole.code !== 0) console.log(`!! the CLI exited ${String(whole.code)}: ${whole.stderr.split('\n').slice(-5).join(' | ')}`);
    console.log(`whole process (built CLI, spawn to exit): wall ${seconds(whole.wallMs)} | wall / bound ${(whole.wallMs / 1000 / bound.seconds).toFixed(3)} (goal ≤ 1.15); in-process goal ≤ 1.10`);
    const baseline = await applyFresh(1);
    reportFailures(baseline.result);
    console.log(
      `baseline, one resource at a time (concurrency 1, paced): wall ${seconds(baseline.wallMs)}, ${baseline.result.summary.calls + baseline.result.stats.tokenFetches} calls, 429s ${baseline.result.summary.rateLimited} | baseline / ours ${(baseline.wallMs / ours.wallMs).toFixed(2)}x`,
    );
  },
};
