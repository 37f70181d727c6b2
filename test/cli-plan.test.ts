/**
 * `paxos-onboard plan` end to end, in-process through runCli, against an
 * emulator on 127.0.0.1 port 0 named with `--target <url>` (the fixtures say
 * `environment: sandbox`, which may rehearse against a local emulator).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useColor } from '../src/cli/commands/plan.js';
import type { CliIo } from '../src/cli/io.js';
import { loadManifest } from '../src/manifest/validate-manifest.js';
import { makePlan } from '../src/plan/make-plan.js';
import { loadPlan } from '../src/plan/plan-file.js';
import type { Plan } from '../src/plan/plan-types.js';
import { header, personBodyFor, personYaml } from './support/plan-manifests.js';
import { applySequentially, startPlanWorld, type PlanWorld } from './support/plan-world.js';
import { runCliForTest } from './support/run-cli.js';
import { writeTempManifests, type TempManifestDir } from './support/temp-manifest.js';

const repoRoot = join(import.meta.dirname, '..');
const brokerage = 'fixtures/institution-brokerage.yaml';
/** A person whose cip_id and date of birth must never be printed unmasked. */
const piiManifest = `${header()}persons:\n${personYaml('alice', { ssn: '123-45-1127', dateOfBirth: '1980-01-01' })}\n`;
const rawPii = ['123-45-1127', '1980-01-01', '987-65-4321', '1970-02-02'];

let world: PlanWorld;
let temp: TempManifestDir | undefined;
beforeEach(async () => {
  world = await startPlanWorld();
});
afterEach(async () => {
  await temp?.remove();
  temp = undefined;
  await world.close();
});

/** `plan <args> --target <emulator>` from `cwd` (the repository, so fixture paths print as written). */
function plan(args: string[], cwd = repoRoot) {
  return runCliForTest(['plan', ...args, '--target', world.emulator.url], { cwd, env: {} });
}

/** The numbers that change from run to run: the port and the refresh's call count. */
const stable = (text: string) => text.replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT').replace(/with \d+ API calls?/, 'with N API calls');

/** The PII manifest, with the same ref_id already taken remotely by a person with another cip_id and birth date. */
async function piiWorld(): Promise<TempManifestDir> {
  const existing = await world.emulator.request('POST', '/v2/identity/identities', personBodyFor('alice', { ssn: '987-65-4321', dateOfBirth: '1970-02-02' }));
  expect(existing.status).toBe(200);
  return writeTempManifests({ 'm.yaml': piiManifest });
}

/** A server that counts what reaches it: the proof that nothing was sent. */
async function startCountingServer(): Promise<{ url: string; count: () => number; close: () => Promise<void> }> {
  let requests = 0;
  const server: Server = createServer((_request, response) => {
    requests += 1;
    response.writeHead(500).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, count: () => requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('paxos-onboard plan', () => {
  it('plans a create for everything in an empty world, exits 2 with --detailed-exitcode, and prints the target on stderr', async () => {
    const run = await plan([brokerage, '--detailed-exitcode']);
    expect(stable(run.stderr)).toBe('Target: Paxos-compatible server at http://127.0.0.1:PORT\n');
    expect(run.code).toBe(2);
    expect(stable(run.stdout)).toMatchInlineSnapshot(`
      "Refreshed 8 resources with N API calls.

      Symbols: + create

        + person.alice            ref_id=seed-person-alice  (then approve)
        + person.bob              ref_id=seed-person-bob  (then approve)
        + institution.acme        ref_id=seed-institution-acme  (then approve)
        + account.acme-brokerage  ref_id=seed-account-acme-brokerage
        + deposit.acme-usd        10000 USD  (then wait)
        + deposit.acme-eth        1 ETH on ETHEREUM  (then wait)
        + order.acme-buy-eth      ref_id=seed-order-acme-buy-eth  BUY ETHUSD MARKET, spend 2000  (then wait)
        + order.acme-sell-eth     ref_id=seed-order-acme-sell-eth  SELL ETHUSD MARKET 0.5  (then wait)

      Plan: 8 create, 0 update, 0 adopt, 0 approve, 0 wait, 0 blocked, 0 skipped, 0 noop, 0 orphan; then 3 approve, 4 wait.
      "
    `);
    expect((await plan([brokerage])).code).toBe(0);
  });

  it('adopts what was made outside the tool and creates the rest', async () => {
    const alice = await world.emulator.request('POST', '/v2/identity/identities', personBodyFor('alice'));
    temp = await writeTempManifests({ 'm.yaml': `${header()}persons:\n${personYaml('alice')}\n${personYaml('bob', { ssn: '222-22-2222' })}\n` });
    const run = await plan(['m.yaml'], temp.dir);
    expect(run.code).toBe(0);
    expect(stable(run.stdout).replace(alice.body.id as string, '<alice-id>')).toMatchInlineSnapshot(`
      "Refreshed 2 resources with N API calls.

      Symbols: + create   = adopt (exists remotely)

        = person.alice  id <alice-id>  PENDING  (then approve)
        + person.bob    ref_id=t-person-bob  (then approve)

      Plan: 1 create, 0 update, 1 adopt, 0 approve, 0 wait, 0 blocked, 0 skipped, 0 noop, 0 orphan; then 2 approve, 0 wait.
      "
    `);
  });

  it('prints the plan as JSON, formatVersion 1, and Markdown with the summary table', async () => {
    const json = JSON.parse((await plan([brokerage, '--format', 'json'])).stdout) as Plan;
    expect(json.formatVersion).toBe(1);
    expect(json.manifest.files).toEqual([brokerage]);
    expect(json.summary.byAction.create).toBe(8);
    const markdown = (await plan([brokerage, '--format', 'markdown'])).stdout;
    expect(markdown).toContain('### paxos-onboard plan\n');
    expect(markdown).toContain('| action | count |\n|---|---:|\n| `+` create | 8 |');
  });

  it('masks the cip_id and date of birth in every format unless --show-sensitive, and exits 1 for a blocked plan', async () => {
    temp = await piiWorld();
    for (const format of ['text', 'json', 'markdown']) {
      const run = await plan(['m.yaml', '--format', format, '--detailed-exitcode'], temp.dir);
      expect(run.code).toBe(1);
      for (const raw of rawPii) expect(run.stdout + run.stderr).not.toContain(raw);
      expect(run.stdout).toContain('***-**-1127');
      expect(run.stdout).toContain('****-**-**');
    }
    for (const format of ['text', 'json', 'markdown']) {
      const shown = await plan(['m.yaml', '--format', format, '--show-sensitive'], temp.dir);
      expect(shown.stdout).toContain('123-45-1127');
      expect(shown.stdout).toContain('1980-01-01');
    }
  });

  it('saves the plan with --out, masked even with --show-sensitive, and loadPlan reads it back', async () => {
    temp = await piiWorld();
    const run = await plan(['m.yaml', '--out', 'plan.json', '--show-sensitive'], temp.dir);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('Saved the plan to plan.json (PII masked). Apply it with: paxos-onboard apply plan.json\n');
    const text = await readFile(temp.path('plan.json'), 'utf8');
    for (const raw of rawPii) expect(text).not.toContain(raw);
    const saved = await loadPlan(temp.path('plan.json'));
    expect(saved.manifest.files).toEqual(['m.yaml']);
    expect(saved.steps.map((step) => [step.address, step.action])).toEqual([['person.alice', 'blocked']]);
    expect(saved.steps[0]?.changes).toContainEqual({ path: '/cip_id', before: '***-**-4321', after: '***-**-1127', updatable: false, sensitive: true });
  });

  it('exits 1, never 2, for a usage error under --detailed-exitcode, so 2 always means changes', async () => {
    const misspelt = await plan([brokerage, '--detailed-exitcode', '--formt', 'json']);
    expect(misspelt.code).toBe(1);
    expect(misspelt.stderr).toContain('formt');
    expect((await plan([brokerage, '--formt', 'json'])).code).toBe(2);
  });

  it('exits 0 with --detailed-exitcode once the world matches the manifest', async () => {
    temp = await writeTempManifests({
      'm.yaml': `${header()}persons:\n${personYaml('alice')}\naccounts:\n  main: { identity: person.alice, profile: true }\ndeposits:\n  usd: { profile: account.main, asset: USD, amount: "100" }\n`,
    });
    const model = await loadManifest(['m.yaml'], { cwd: temp.dir, env: {} });
    const first = await makePlan(model, { client: world.client, cwd: temp.dir });
    await applySequentially(model, first.plan, first.world, world.client);
    const run = await plan(['m.yaml', '--detailed-exitcode'], temp.dir);
    expect(run.code).toBe(0);
    expect(stable(run.stdout)).toBe('Refreshed 3 resources with N API calls.\n\nNo changes. The remote matches the manifest.\n');
    expect((await plan(['m.yaml', '--show-unchanged'], temp.dir)).stdout).toContain('· person.alice');
  });

  it('logs each request on stderr with --verbose, never a value that could be PII', async () => {
    temp = await writeTempManifests({ 'm.yaml': piiManifest });
    const run = await plan(['m.yaml', '--verbose'], temp.dir);
    expect(run.stderr).toMatch(/^POST \/oauth2\/token 200 \d+ms$/m);
    expect(run.stderr).toMatch(/^GET \/v2\/identity\/identities\S* 200 \d+ms$/m);
    for (const raw of rawPii) expect(run.stderr).not.toContain(raw);
  });

  it('uses the embedded emulator when no target is named and no credentials are set, keeping its state in the working directory', async () => {
    temp = await writeTempManifests({ 'm.yaml': piiManifest });
    const run = await runCliForTest(['plan', 'm.yaml'], { cwd: temp.dir, env: {} });
    expect(run.code).toBe(0);
    expect(stable(run.stderr)).toBe('Target: local emulator at http://127.0.0.1:PORT (state in .paxos-onboard/local-emulator.json; delete it to start over)\n');
    expect(run.stdout).toContain('+ person.alice  ref_id=t-person-alice  (then approve)');
    await expect(readFile(temp.path('.paxos-onboard/local-emulator.json'), 'utf8')).resolves.toContain('{');
  });
});

describe('paxos-onboard plan refuses before sending anything', () => {
  it('prints manifest errors with file:line:col and exits 1', async () => {
    const server = await startCountingServer();
    temp = await writeTempManifests({ 'm.yaml': `${header()}accounts:\n  main: { identity: person.nobody, profile: true }\n` });
    const run = await runCliForTest(['plan', 'm.yaml', '--target', server.url], { cwd: temp.dir, env: {} });
    await server.close();
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatchInlineSnapshot(`
      "m.yaml:5:21  ref.unresolved  \`person.nobody\` is not defined in any manifest file
          hint: define it under \`persons:\`, or fix the address

      1 error; nothing was sent.
      "
    `);
    expect(server.count()).toBe(0);
  });

  it('refuses a production manifest against a URL target', async () => {
    const server = await startCountingServer();
    temp = await writeTempManifests({ 'm.yaml': `${header('production')}persons:\n${personYaml('alice')}\n` });
    const run = await runCliForTest(['plan', 'm.yaml', '--target', server.url], { cwd: temp.dir, env: {} });
    await server.close();
    expect(run.code).toBe(1);
    expect(stable(run.stderr)).toMatchInlineSnapshot(`
      "Target: Paxos-compatible server at http://127.0.0.1:PORT
      error target.environment_mismatch: the manifest says environment: production, but the chosen target is local (Paxos-compatible server at http://127.0.0.1:PORT); nothing was sent. Choose a target the manifest allows (--target production), or change environment: in the manifest if it really is meant for local
      "
    `);
    expect(server.count()).toBe(0);
  });

  it('says what to write for a target it does not know, as a usage error', async () => {
    const run = await runCliForTest(['plan', brokerage, '--target', 'staging'], { cwd: repoRoot, env: {} });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--target: 'staging' is not a target; write local, sandbox, production, or the URL");
  });
});

describe('colour', () => {
  const io = (isTTY: boolean, env: NodeJS.ProcessEnv) => ({ stdout: { isTTY }, env }) as unknown as CliIo;
  it('is used only on a terminal with neither NO_COLOR nor CI set', () => {
    expect(useColor(io(true, {}))).toBe(true);
    expect(useColor(io(false, {}))).toBe(false);
    expect(useColor(io(true, { NO_COLOR: '1' }))).toBe(false);
    expect(useColor(io(true, { CI: 'true' }))).toBe(false);
  });
});
