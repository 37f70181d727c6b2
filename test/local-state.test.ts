/**
 * Issue 11/12, local state at rest: what a run leaves on disk that can hold
 * personal data (the embedded emulator's state, the journal, outputs, saved
 * plans) is the user's alone, one journal per target however many runs, and
 * a `.paxos-onboard` that cannot be the tool's folder is a one-line error
 * with a code, never a stack trace.
 */
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { runCliForTest } from './support/run-cli.js';
import { writeTempManifests, type TempManifestDir } from './support/temp-manifest.js';

const fixture = join(process.cwd(), 'fixtures/person-brokerage.yaml');
let locks: string;
let dir: TempManifestDir;
let env: NodeJS.ProcessEnv;
beforeEach(async () => {
  locks = await mkdtemp(join(tmpdir(), 'paxos-onboard-locks-'));
  dir = await writeTempManifests({});
  env = { PAXOS_ONBOARD_LOCK_DIR: locks };
});
afterEach(async () => {
  await rm(locks, { recursive: true, force: true });
  await dir.remove();
});

const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

it('writes the embedded state, the journal, the outputs and a saved plan 0600, in a 0700 .paxos-onboard, one journal for every run', async () => {
  const planned = await runCliForTest(['plan', fixture, '--out', 'plan.json'], { cwd: dir.dir, env });
  expect(planned.code).toBe(0);
  for (let run = 0; run < 2; run += 1) {
    const applied = await runCliForTest(['apply', fixture, '--yes', '--outputs', 'outputs.json'], { cwd: dir.dir, env });
    expect(applied.stderr).not.toContain('error');
  }
  const folder = join(dir.dir, '.paxos-onboard');
  expect(await modeOf(folder)).toBe(0o700);
  const files = await readdir(folder);
  // Each run's emulator listened on its own port; the journal belongs to the state, not the port.
  expect(files.filter((name) => name.startsWith('journal.'))).toEqual(['journal.local.jsonl']);
  for (const name of ['local-emulator.json', 'journal.local.jsonl']) expect([name, await modeOf(join(folder, name))]).toEqual([name, 0o600]);
  for (const name of ['outputs.json', 'plan.json']) expect([name, await modeOf(join(dir.dir, name))]).toEqual([name, 0o600]);
}, 60_000);

it('makes a .paxos-onboard left readable by an older version private again', async () => {
  await mkdir(join(dir.dir, '.paxos-onboard'), { mode: 0o755 });
  const planned = await runCliForTest(['plan', fixture], { cwd: dir.dir, env });
  expect(planned.code).toBe(0);
  expect(await modeOf(join(dir.dir, '.paxos-onboard'))).toBe(0o700);
}, 30_000);

it('says in one line, with a code, that .paxos-onboard is a file', async () => {
  await writeFile(join(dir.dir, '.paxos-onboard'), 'not a folder');
  for (const argv of [['plan', fixture], ['apply', fixture, '--yes']]) {
    const run = await runCliForTest(argv, { cwd: dir.dir, env });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error local_state\.not_a_directory: .*\.paxos-onboard: a file stands where a folder is needed/m);
    expect(run.stderr).not.toMatch(/unexpected error|    at /);
  }
}, 30_000);

it('says in one line, with a code, that the state file is a folder', async () => {
  await mkdir(join(dir.dir, '.paxos-onboard', 'local-emulator.json'), { recursive: true });
  const run = await runCliForTest(['plan', fixture], { cwd: dir.dir, env });
  expect(run.code).toBe(1);
  expect(run.stderr).toMatch(/^error emulator\.data: .*local-emulator\.json: cannot read the emulator data file \(EISDIR/m);
  expect(run.stderr).not.toMatch(/unexpected error|    at /);
}, 30_000);
