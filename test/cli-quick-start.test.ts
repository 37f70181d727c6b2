/**
 * The README's first quick-start line, after `npm install`: the installed
 * command applies the institution seed flow to the embedded emulator (the
 * default target: no credentials in the environment) and prints every
 * resource's Paxos id; a second run changes nothing. Run in a temporary copy
 * of the fixtures, so the emulator's state and the journal start empty.
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../dist/cli/bin.js', import.meta.url));
const run = (cwd: string, args: string[]) => promisify(execFile)(bin, args, { cwd, env: { PATH: process.env.PATH ?? '' } });

let cwd: string;
beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'paxos-onboard-quick-start-'));
  await cp(fileURLToPath(new URL('../fixtures/', import.meta.url)), join(cwd, 'fixtures'), { recursive: true });
});
afterEach(() => rm(cwd, { recursive: true, force: true }));

it('npx paxos-onboard apply fixtures/institution-brokerage.yaml converges and prints the outputs table', async () => {
  const first = await run(cwd, ['apply', 'fixtures/institution-brokerage.yaml', '--outputs', 'ids.json']);
  expect(first.stderr).toMatch(/^Target: local emulator at http:\/\/127\.0\.0\.1:\d+/m);
  expect(first.stdout).toContain('Plan: 8 create, 0 update, 0 adopt, 0 approve, 0 wait, 0 blocked, 0 skipped, 0 noop, 0 orphan; then 3 approve, 4 wait.');
  expect(first.stdout).toMatch(/^ADDRESS\s+OUTCOME\s+STATUS\s+ID$/m);
  for (const address of ['person.alice', 'person.bob', 'institution.acme']) expect(first.stdout).toMatch(new RegExp(`^${address}\\s+created\\s+APPROVED\\s+[0-9a-f-]{36}$`, 'm'));
  expect(first.stdout).toMatch(/^order\.acme-buy-eth\s+created\s+FILLED\s+[0-9a-f-]{36}$/m);
  const outputs = JSON.parse(await readFile(join(cwd, 'ids.json'), 'utf8')) as { resources: Record<string, { ids: Record<string, string> }> };
  expect(Object.keys(outputs.resources)).toHaveLength(8);
  // No PII in what a fixture reads: the manifest's SSNs and dates of birth appear nowhere.
  expect(JSON.stringify(outputs)).not.toMatch(/111-11-1111|1980-01-01/);
  expect(first.stdout).not.toMatch(/111-11-1111|1980-01-01/);

  const second = await run(cwd, ['apply', 'fixtures/institution-brokerage.yaml']);
  expect(second.stdout).toContain('No changes.');
  expect(second.stdout).toMatch(/0 created, 0 adopted, 0 updated, 8 unchanged/);
  // execFile rejects on a non-zero exit: --detailed-exitcode answers 0, nothing to change.
  const plan = await run(cwd, ['plan', 'fixtures/institution-brokerage.yaml', '--detailed-exitcode']);
  expect(plan.stdout).toContain('No changes. The remote matches the manifest.');
});
