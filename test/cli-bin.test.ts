/**
 * The installed command, as `npx paxos-onboard` runs it: `npm test` builds
 * first, so this checks what a fresh clone gets from `npm install`. npm links
 * the bin before `prepare` builds it, so only the build can make it executable.
 */
import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../dist/cli/bin.js', import.meta.url));

it('builds an executable bin that runs validate on the fixtures', async () => {
  expect((await stat(bin)).mode & 0o111).not.toBe(0);
  const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));
  const { stdout } = await promisify(execFile)(bin, ['validate', fixtures], { cwd: fixtures });
  expect(stdout).toMatch(/^✓ 5 files, \d+ resources valid$/m);
});
