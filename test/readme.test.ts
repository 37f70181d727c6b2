/**
 * The README is tested (issue 13): every fenced block of README.md is either
 * run or checked, in order, in one scratch folder holding a copy of what the
 * examples name (fixtures/, docs/examples/, schemas/):
 *
 * - `sh`/`bash`: run as written with `bash -eo pipefail`; `npx paxos-onboard`
 *   is the built CLI (`dist/cli/bin.js`, which `npm test` builds first), so
 *   they run against the embedded emulator, never the network. `npm install`
 *   and `npm test` in the quick start are what this suite is already inside
 *   of: the `npm` here accepts those two and does nothing for them.
 * - `console`: `$ command` lines run, and what follows each must be what it
 *   prints (stdout and stderr, in order).
 * - `yaml`: validates, with every `${env:NAME}` it names set to a valid value.
 *   `yaml partial` marks a fragment (a line to paste), not checked.
 * - `ts`: run with node as an ES module importing 'paxos-onboard'.
 * - `text`, `markdown`: samples of output, not run.
 *
 * A line `<!-- readme-test: skip (why) -->` before a fence skips it; `serve`
 * runs each line as a server until it listens, then stops it with Ctrl-C;
 * `emulator` runs the block with a test emulator in place of 127.0.0.1:4010.
 */
import { spawn } from 'node:child_process';
import { chmod, cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leniencyNames } from '../src/emulator/leniency.js';
import { startEmulator, type RunningEmulator } from '../src/emulator/start-emulator.js';
import { validateManifest } from '../src/manifest/validate-manifest.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const readme = await readFile(join(root, 'README.md'), 'utf8');

interface Block {
  /** 1-based line of the opening fence, for failure messages. */
  line: number;
  info: string;
  text: string;
  directive?: { kind: string; why: string };
}

function extractBlocks(markdown: string): Block[] {
  const lines = markdown.split('\n');
  const blocks: Block[] = [];
  for (let index = 0; index < lines.length; index++) {
    const open = /^```(.*)$/.exec(lines[index] ?? '');
    if (!open) continue;
    const start = index;
    const body: string[] = [];
    for (index++; index < lines.length && lines[index] !== '```'; index++) body.push(lines[index] ?? '');
    const previous = lines[start - 1] ?? '';
    const directive = /^<!-- readme-test: (\w+)(?: \((.*)\))? -->$/.exec(previous);
    blocks.push({
      line: start + 1,
      info: (open[1] ?? '').trim(),
      text: `${body.join('\n')}\n`,
      ...(directive ? { directive: { kind: directive[1] ?? '', why: directive[2] ?? '' } } : {}),
    });
  }
  return blocks;
}

const blocks = extractBlocks(readme);
const kinds = new Set(['sh', 'bash', 'console', 'yaml', 'yaml partial', 'ts', 'text', 'markdown']);

let work = '';
let env: NodeJS.ProcessEnv = {};

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'paxos-onboard-readme-'));
  for (const folder of ['fixtures', 'docs', 'schemas']) await cp(join(root, folder), join(work, folder), { recursive: true });
  // `import ... from 'paxos-onboard'` in the Library example: this repository, as an installed package.
  await mkdir(join(work, 'node_modules'));
  await symlink(root, join(work, 'node_modules', 'paxos-onboard'), 'dir');
  const bin = join(work, '.bin');
  await mkdir(bin);
  const shims: Record<string, string> = {
    'paxos-onboard': `#!/bin/sh\nexec "${process.execPath}" "${join(root, 'dist', 'cli', 'bin.js')}" "$@"\n`,
    npx: '#!/bin/sh\nif [ "$1" = paxos-onboard ]; then shift; exec paxos-onboard "$@"; fi\necho "readme test: only npx paxos-onboard runs here, not npx $1" >&2; exit 127\n',
    // Installed and under test already; anything else npm would do is not an example to run here.
    npm: '#!/bin/sh\ncase "$1" in install|test) exit 0 ;; esac\necho "readme test: npm $1 does not run here" >&2; exit 127\n',
  };
  for (const [name, text] of Object.entries(shims)) {
    await writeFile(join(bin, name), text);
    await chmod(join(bin, name), 0o755);
  }
  env = { PATH: `${bin}:${process.env.PATH ?? ''}`, HOME: work, XDG_CACHE_HOME: join(work, '.cache'), LANG: 'C.UTF-8' };
});
afterAll(() => rm(work, { recursive: true, force: true }));

interface Ran {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

function run(command: string, options: { bash?: string[]; until?: string } = {}): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [...(options.bash ?? []), '-c', command], { cwd: work, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let until = options.until;
    const timer = setTimeout(() => process.kill(-(child.pid ?? 0), 'SIGKILL'), 15_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      // A server: once it says it listens, Ctrl-C, as its user would.
      if (until !== undefined && output.includes(until)) {
        until = undefined;
        process.kill(-(child.pid ?? 0), 'SIGINT');
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output });
    });
  });
}

/** A value each variable the README's YAML names would hold: valid for the field it fills. */
function exampleValue(name: string): string {
  if (/SSN|TIN/.test(name)) return '111-22-3333';
  if (/EIN/.test(name)) return '12-3456789';
  return 'example';
}

const noTrace = (text: string): void => {
  expect(text).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect(text).not.toContain('unexpected error');
};

describe('README.md', () => {
  it('starts with the two quick-start lines', () => {
    expect(readme).toMatch(/^# paxos-onboard\n\n```sh\nnpm install && npx paxos-onboard apply fixtures\/institution-brokerage\.yaml\nnpm test\n```\n/);
  });

  it('tags every block with a kind this test knows, and skips few', () => {
    for (const block of blocks) expect(kinds.has(block.info), `README.md:${block.line}: fence \`\`\`${block.info}`).toBe(true);
    const skipped = blocks.filter((block) => block.directive?.kind === 'skip');
    for (const block of skipped) expect(block.directive?.why, `README.md:${block.line}: say why it is skipped`).not.toBe('');
    expect(skipped.length).toBeLessThanOrEqual(2);
  });

  it('names no file or folder that does not exist', async () => {
    const { existsSync } = await import('node:fs');
    // The Test fixtures example is a project of its own: its files (`test/world.yaml`, …) are the user's, not ours.
    const section = readme.indexOf('\n## Test fixtures\n');
    const sectionEnd = readme.indexOf('\n## ', section + 1);
    const ours = section < 0 ? readme : readme.slice(0, section) + (sectionEnd < 0 ? '' : readme.slice(sectionEnd));
    const named = new Set([...ours.matchAll(/\b((?:fixtures|docs|schemas|src|test)\/[\w./-]*\w)/g)].map((match) => match[1] ?? ''));
    for (const path of named) expect(existsSync(join(root, path)), path).toBe(true);
  });

  it('lists every leniency of the emulator', () => {
    for (const name of leniencyNames) expect(readme).toContain(`\`${name}\``);
  });

  describe.sequential('every block, in order', () => {
    let emulator: RunningEmulator | undefined;
    afterAll(async () => emulator?.close());

    for (const block of blocks) {
      const title = `README.md:${block.line} \`\`\`${block.info}${block.directive ? ` (${block.directive.kind})` : ''}`;
      // Samples (text, Markdown, a partial line) and the few blocks marked skip are not run; the tagging test above holds them to account.
      if (block.directive?.kind === 'skip' || block.info === 'text' || block.info === 'markdown' || block.info === 'yaml partial') continue;
      // A block whose first line names its file (`// vitest.config.ts`) is a file of the Test fixtures example project: test/vitest-consumer.test.ts runs those together.
      if (block.info === 'ts' && /^\/\/ [\w./-]+\.ts\n/.test(block.text)) continue;
      if (block.info === 'yaml') {
        it(`${title} validates`, async () => {
          const names = [...block.text.matchAll(/\$\{env:(\w+)\}/g)].map((match) => match[1] ?? '');
          const file = join(work, `readme-${block.line}.yaml`);
          await writeFile(file, block.text);
          const result = await validateManifest([file], { env: Object.fromEntries(names.map((name) => [name, exampleValue(name)])), cwd: work });
          expect(result.issues).toEqual([]);
          expect(result.ok).toBe(true);
        });
        continue;
      }
      if (block.info === 'ts') {
        it(`${title} runs`, async () => {
          await writeFile(join(work, `readme-${block.line}.mjs`), block.text);
          const ran = await run(`"${process.execPath}" readme-${block.line}.mjs`);
          expect(ran.output).not.toMatch(/Error/);
          expect(ran.code, ran.output).toBe(0);
        });
        continue;
      }
      if (block.info === 'console') {
        it(`${title} prints what it shows`, async () => {
          const steps = block.text.split(/^\$ /m).filter((part) => part.trim() !== '');
          for (const step of steps) {
            const [command = '', ...expected] = step.split('\n');
            const ran = await run(command);
            const tidy = (text: string): string => text.split('\n').map((line) => line.trimEnd()).join('\n').trim();
            expect(tidy(ran.output), `$ ${command}`).toBe(tidy(expected.join('\n')));
          }
        });
        continue;
      }
      if (block.directive?.kind === 'serve') {
        it(`${title}: each line listens, then stops on Ctrl-C`, async () => {
          for (const line of block.text.split('\n').filter((text) => text.trim() !== '')) {
            const ran = await run(line, { until: 'Press Ctrl-C to stop.' });
            expect(ran.output, line).toContain('Paxos emulator listening on http://127.0.0.1:');
            noTrace(ran.output);
            expect(ran.code, `${line}\n${ran.output}`).toBe(0);
          }
        });
        continue;
      }
      it(`${title} runs`, async () => {
        let text = block.text;
        if (block.directive?.kind === 'emulator') {
          emulator ??= await startEmulator();
          text = text.replaceAll('127.0.0.1:4010', new URL(emulator.url).host);
        }
        const ran = await run(text, { bash: ['-eo', 'pipefail'] });
        noTrace(ran.output);
        expect(ran.output).not.toMatch(/^null$/m);
        expect(ran.code, ran.output).toBe(0);
      });
    }
  });
});
