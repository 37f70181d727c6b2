/**
 * The test-fixtures example of the README (its "Test fixtures" section), run as
 * a user would run it: a fresh project depending on this package by path,
 * its files written verbatim from the README, `vitest run` in it. The package is
 * the built one (`dist/`, as `npm test` builds it first), reached through
 * `node_modules/paxos-onboard` and its `exports` map; vitest is ours, linked.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('..', import.meta.url));
const readme = join(repo, 'README.md');

/** The README's "Test fixtures" section: what a user copies. */
function testFixturesSection(markdown: string): string {
  const start = markdown.indexOf('\n## Test fixtures\n');
  const end = markdown.indexOf('\n## ', start + 1);
  return start < 0 ? '' : markdown.slice(start, end < 0 ? undefined : end);
}

/** The code blocks that name their file on their first line (`// vitest.config.ts`, `# test/world.yaml`). */
export function exampleFiles(markdown: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const match of markdown.matchAll(/^```\w*\n([\s\S]*?)^```/gm)) {
    const body = match[1] ?? '';
    const name = /^(?:\/\/|#) ([\w./-]+\.(?:ts|yaml))\n/.exec(body)?.[1];
    if (name !== undefined) files[name] = body;
  }
  return files;
}

let project: string | undefined;
afterAll(async () => {
  if (project) await rm(project, { recursive: true, force: true });
});

it('the documented vitest example passes in a project that depends on the package', { timeout: 60_000 }, async () => {
  expect(existsSync(join(repo, 'dist', 'vitest', 'index.js')), 'dist/vitest/index.js is missing: run `npm run build` first (npm test does)').toBe(true);
  const files = exampleFiles(testFixturesSection(await readFile(readme, 'utf8')));
  expect(Object.keys(files).sort()).toEqual(['test/accounts.test.ts', 'test/paxos.setup.ts', 'test/world.yaml', 'vitest.config.ts']);

  project = await mkdtemp(join(tmpdir(), 'paxos-onboard-consumer-'));
  await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module', devDependencies: { 'paxos-onboard': `file:${repo}`, vitest: '*' } }));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(project, name)), { recursive: true });
    await writeFile(join(project, name), text);
  }
  // What `npm install` of a file: dependency makes, without the network: links.
  await mkdir(join(project, 'node_modules'));
  await symlink(repo, join(project, 'node_modules', 'paxos-onboard'), 'dir');
  await symlink(join(repo, 'node_modules', 'vitest'), join(project, 'node_modules', 'vitest'), 'dir');

  // The example type-checks against the package's published types (its `exports` map, vitest's ProvidedContext).
  await writeFile(
    join(project, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true, types: [] }, include: ['test', 'vitest.config.ts'] }),
  );
  const typecheck = await runNode([join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], project);
  expect(typecheck.code, `${typecheck.stdout}${typecheck.stderr}`).toBe(0);

  const run = await runNode([join(project, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--reporter=verbose'], project);
  const output = `${run.stdout}\n${run.stderr}`;
  expect(run.code, output).toBe(0);
  expect(output).toMatch(/finds the shared account funded/);
  expect(output).toMatch(/gives each file its own copy of a manifest/);
  expect(output).toMatch(/Tests\s+2 passed/);
  // The helper keeps its journal in its own folder, not in the project.
  expect(existsSync(join(project, '.paxos-onboard'))).toBe(false);
});

function runNode(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    // The consumer's run, not ours: none of this suite's vitest settings leak into it.
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST') && name !== 'NODE_OPTIONS' && name !== 'TEST'));
    const child = spawn(process.execPath, args, { cwd, env: { ...env, CI: '1', NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}
