/**
 * Load + interpolate + validate + normalise + graph for a generated
 * 10,000-resource manifest (DESIGN.md: "well under a second of CPU"). Prints
 * CPU, wall time and memory; asserts nothing.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildGraph } from '../src/graph/build-graph.js';
import { findCycles } from '../src/graph/find-cycles.js';
import { topologicalOrder } from '../src/graph/topological-order.js';
import { parseFast } from '../src/manifest/fast-parse.js';
import { validateManifest } from '../src/manifest/validate-manifest.js';
import type { Benchmark } from './index.js';

const counts = { persons: 4000, institutions: 1000, accounts: 2000, deposits: 1500, orders: 1500 };
const header = 'version: 1\nenvironment: sandbox\noptions:\n  ref_id_prefix: bench-\n';

const address = (street: number) =>
  `{ address1: "${street} Example St", city: New York, province: NY, country: USA, zip_code: "10001" }`;

function generatePersons(): string {
  const lines = [header, 'persons:'];
  for (let index = 0; index < counts.persons; index++) {
    const ssn = `${String(100 + Math.floor(index / 10000)).padStart(3, '0')}-${String(10 + Math.floor(index / 100) % 90).padStart(2, '0')}-${String(1000 + index).padStart(4, '0')}`;
    lines.push(
      `  p${index}:`,
      `    first_name: Person${index}`,
      '    last_name: Example',
      '    date_of_birth: "1980-01-01"',
      '    nationality: USA',
      `    cip_id: "${ssn}"`,
      '    cip_id_type: SSN',
      '    cip_id_country: USA',
      `    address: ${address(index)}`,
      `    email: p${index}@example.com`,
      '    verification: { verifier_type: PASSTHROUGH, passthrough_verifier_type: JUMIO, passthrough_verified_at: "2024-01-01T00:00:00Z", passthrough_verification_status: APPROVED }',
      '    customer_due_diligence: { estimated_yearly_income: INCOME_50K_TO_100K, expected_transfer_value: TRANSFER_VALUE_25K_TO_50K, source_of_wealth: EMPLOYMENT_INCOME, employment_status: FULL_TIME, employment_industry_sector: FINANCE_INSURANCE }',
      `    tax_details: [{ tax_payer_id: "${ssn}", tax_payer_country: USA }]`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function generateInstitutions(): string {
  const lines = [header, 'institutions:'];
  for (let index = 0; index < counts.institutions; index++) {
    const ein = `${String(10 + (index % 89)).padStart(2, '0')}-${String(1000000 + index).padStart(7, '0')}`;
    lines.push(
      `  i${index}:`,
      `    name: Institution ${index} LLC`,
      '    institution_type: CORPORATION',
      '    institution_sub_type: HEDGE_FUND',
      `    cip_id: "${ein}"`,
      '    cip_id_type: EIN',
      '    cip_id_country: USA',
      '    govt_registration_date: "2010-05-01"',
      `    business_address: ${address(index)}`,
      `    incorporation_address: ${address(index)}`,
      '    regulation_status: NON_REGULATED',
      '    trading_type: PRIVATE',
      '    business_description: Investment fund',
      '    customer_due_diligence: { source_of_wealth: INVESTMENT_GAINS, source_of_funds: INVESTMENT_RETURNS, industry_sector: HEDGE_FUND, has_underlying_trust_structure: false, has_nominee_shareholders: false }',
      `    tax_details: [{ tax_payer_id: "${ein}", tax_payer_country: USA }]`,
      '    members:',
      `      - { identity: person.p${(index * 3) % counts.persons}, roles: [BENEFICIAL_OWNER], ownership: "60" }`,
      `      - { identity: person.p${(index * 3 + 1) % counts.persons}, roles: [MANAGEMENT_CONTROL_PERSON] }`,
      `      - { identity: person.p${(index * 3 + 2) % counts.persons}, roles: [AUTHORIZED_USER] }`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function generateAccounts(): string {
  const lines = [header, 'accounts:'];
  for (let index = 0; index < counts.accounts; index++) {
    const identity = index % 2 === 0 ? `institution.i${index % counts.institutions}` : `person.p${index}`;
    lines.push(`  a${index}: { identity: ${identity}, description: Brokerage ${index}, profile: true }`);
  }
  lines.push('deposits:');
  for (let index = 0; index < counts.deposits; index++) {
    lines.push(`  d${index}: { profile: account.a${index}, asset: USD, amount: "10000" }`);
  }
  lines.push('orders:');
  for (let index = 0; index < counts.orders; index++) {
    lines.push(
      `  o${index}: { profile: account.a${index}, market: ETHUSD, side: BUY, type: LIMIT, price: "1814.8", base_amount: "1" }`,
    );
  }
  return `${lines.join('\n')}\n`;
}

async function measure(label: string, dir: string): Promise<void> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await validateManifest([dir], { cwd: dir, env: {} });
  const graph = result.model ? buildGraph(result.model) : undefined;
  const cycles = graph ? findCycles(graph).length : 0;
  const order = graph ? topologicalOrder(graph).length : 0;
  const wall = performance.now() - started;
  const used = process.cpuUsage(cpu);
  // With --expose-gc (npm run bench), heap used is what the model retains, not garbage awaiting collection.
  (globalThis as { gc?: () => void }).gc?.();
  const memory = process.memoryUsage();
  console.log(
    `${label}: ${result.model?.resources.size ?? 0} resources, ${result.issues.length} issues, ${cycles} cycles, ${order} ordered | ` +
      `CPU ${((used.user + used.system) / 1000).toFixed(0)} ms, wall ${wall.toFixed(0)} ms, ` +
      `heap retained ${(memory.heapUsed / 2 ** 20).toFixed(0)} MB, RSS ${(memory.rss / 2 ** 20).toFixed(0)} MB, ` +
      `peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
  );
  if (result.issues.length > 0) console.log(`  first issue: ${result.issues[0]?.code} ${result.issues[0]?.message}`);
}

/**
 * One validate in a fresh process, as `paxos-onboard validate` runs: CPU from
 * loading the modules on, and a peak RSS that is the pipeline's alone (the
 * runs above share the process with this bench's generated text and with
 * each other, so theirs depends on when V8 last collected).
 */
function measureFreshProcess(dir: string): void {
  const entry = new URL('../src/manifest/validate-manifest.js', import.meta.url).href;
  const script = `
    const cpu = process.cpuUsage();
    const { validateManifest } = await import(${JSON.stringify(entry)});
    const result = await validateManifest([${JSON.stringify(dir)}], { cwd: ${JSON.stringify(dir)}, env: {} });
    const used = process.cpuUsage(cpu);
    console.log(JSON.stringify({ resources: result.model?.resources.size ?? 0, issues: result.issues.length, cpu: (used.user + used.system) / 1000, peak: process.resourceUsage().maxRSS / 1024 }));
  `;
  const output = execFileSync(process.execPath, ['--input-type=module', '--eval', script], { encoding: 'utf8' });
  const figures = JSON.parse(output) as { resources: number; issues: number; cpu: number; peak: number };
  console.log(
    `fresh process (loads modules, compiles the schema): ${figures.resources} resources, ${figures.issues} issues | ` +
      `CPU ${figures.cpu.toFixed(0)} ms, peak RSS ${figures.peak.toFixed(0)} MB`,
  );
}

/**
 * The parser the pipeline uses on these (valid) files alone: the fast path
 * (js-yaml behind the text checks of fast-parse.ts), the floor under the
 * pipeline's figure. A file it defers would go to the `yaml` package: counted.
 */
async function measureParseAlone(dir: string): Promise<void> {
  const texts = await Promise.all((await readdir(dir)).sort().map((name) => readFile(join(dir, name), 'utf8')));
  const bytes = texts.reduce((sum, text) => sum + text.length, 0);
  const cpu = process.cpuUsage();
  const deferred = texts.filter((text) => !parseFast(text).ok).length;
  const used = process.cpuUsage(cpu);
  console.log(
    `of which YAML parsing alone, fast path (js-yaml; ${(bytes / 2 ** 20).toFixed(1)} MB in ${texts.length} files, ${deferred} deferred to yaml): ` +
      `CPU ${((used.user + used.system) / 1000).toFixed(0)} ms`,
  );
}

/** A 10,000-person manifest written as one generator with fake: values (issue 14): the expansion's cost on top of validating. */
const generatedPersons = [
  header,
  'persons:',
  '  p:',
  '    count: 10000',
  '    key: "p-${index}"',
  '    first_name: { fake: first_name }',
  '    last_name: { fake: last_name }',
  '    date_of_birth: { fake: date_of_birth }',
  '    nationality: USA',
  '    cip_id: { fake: ssn }',
  '    cip_id_type: SSN',
  '    cip_id_country: USA',
  '    address: { fake: address }',
  '    email: { fake: email }',
  '    verification: { verifier_type: PASSTHROUGH, passthrough_verifier_type: JUMIO, passthrough_verified_at: "2024-01-01T00:00:00Z", passthrough_verification_status: APPROVED }',
  '    customer_due_diligence: { estimated_yearly_income: INCOME_50K_TO_100K, expected_transfer_value: TRANSFER_VALUE_25K_TO_50K, source_of_wealth: EMPLOYMENT_INCOME, employment_status: FULL_TIME, employment_industry_sector: INFORMATION }',
  '    tax_details: [{ tax_payer_id: { fake: ssn }, tax_payer_country: USA }]',
  '',
].join('\n');

/** The generated manifest validated in a fresh process, as `paxos-onboard validate` runs it: modules, faker's data and the schema included. */
async function measureGenerated(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'paxos-onboard-bench-generated-'));
  try {
    await writeFile(join(dir, 'generated.yaml'), generatedPersons);
    const entry = new URL('../src/manifest/validate-manifest.js', import.meta.url).href;
    const script = `
      const cpu = process.cpuUsage();
      const { validateManifest } = await import(${JSON.stringify(entry)});
      const result = await validateManifest([${JSON.stringify(dir)}], { cwd: ${JSON.stringify(dir)}, env: {} });
      const used = process.cpuUsage(cpu);
      console.log(JSON.stringify({ resources: result.model?.resources.size ?? 0, issues: result.issues.length, first: result.issues[0]?.message, cpu: (used.user + used.system) / 1000, peak: process.resourceUsage().maxRSS / 1024 }));
    `;
    const figures = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '--eval', script], { encoding: 'utf8' })) as { resources: number; issues: number; first?: string; cpu: number; peak: number };
    console.log(
      `generated (one count: 10000 person generator with fake: values, fresh process): ${figures.resources} resources, ${figures.issues} issues | ` +
        `CPU ${figures.cpu.toFixed(0)} ms, peak RSS ${figures.peak.toFixed(0)} MB`,
    );
    if (figures.first) console.log(`  first issue: ${figures.first}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** `bytes` of 100,000-character lines without a `:` (issue 11: quadratic in the fast parser's long-key check). */
function longLines(bytes: number): string {
  const line = 'x'.repeat(100_000);
  const count = Math.floor(bytes / (line.length + 1));
  return `${Array.from({ length: count }, () => line).join('\n')}\n`;
}

/**
 * Long lines: the largest size the 16 MiB cap accepts and half of it, parsed
 * (linear: the ratio should be near 2), then 50 MB, which the cap refuses
 * from its size before reading.
 */
async function measureLongLines(dir: string): Promise<void> {
  const timings: number[] = [];
  for (const mebibytes of [8, 16]) {
    const path = join(dir, `long-${mebibytes}.yaml`);
    await writeFile(path, longLines(mebibytes * 2 ** 20 - 1024));
    const started = performance.now();
    const result = await validateManifest([path], { cwd: dir, env: {} });
    const wall = performance.now() - started;
    timings.push(wall);
    console.log(`long lines, ${mebibytes} MiB: wall ${wall.toFixed(0)} ms, ${result.issues.length} issue(s) (${result.issues[0]?.code ?? 'none'})`);
    await rm(path);
  }
  console.log(`long lines, 16 MiB / 8 MiB time ratio: ${((timings[1] ?? 0) / (timings[0] ?? 1)).toFixed(2)} (linear ≈ 2)`);
  const path = join(dir, 'long-50.yaml');
  await writeFile(path, longLines(50 * 2 ** 20));
  const started = performance.now();
  const result = await validateManifest([path], { cwd: dir, env: {} });
  console.log(`long lines, 50 MiB: wall ${(performance.now() - started).toFixed(0)} ms, ${result.issues[0]?.code ?? 'no issue'}: ${result.issues[0]?.message ?? ''}`);
  await rm(path);
}

export const manifestBenchmark: Benchmark = {
  name: 'manifest',
  description: 'load + validate + normalise + graph of a generated 10,000-resource manifest (goal: < 1 s CPU, < 300 MB)',
  async run() {
    const dir = await mkdtemp(join(tmpdir(), 'paxos-onboard-bench-'));
    try {
      await writeFile(join(dir, '1-persons.yaml'), generatePersons());
      await writeFile(join(dir, '2-institutions.yaml'), generateInstitutions());
      await writeFile(join(dir, '3-accounts.yaml'), generateAccounts());
      // The first run includes compiling the schema, once per process; the second is what a warm library call costs.
      await measure('cold (includes schema compile)', dir);
      await measure('warm', dir);
      await measureParseAlone(dir);
      measureFreshProcess(dir);
      await measureGenerated();
      const longDir = await mkdtemp(join(tmpdir(), 'paxos-onboard-bench-long-'));
      try {
        await measureLongLines(longDir);
      } finally {
        await rm(longDir, { recursive: true, force: true });
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
