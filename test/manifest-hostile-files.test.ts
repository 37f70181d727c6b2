/**
 * Issue 11, hostile manifests: `${file:}` reads only bounded regular files
 * under the manifest's folder, and the loader never opens a FIFO, a device or
 * an oversized file. Each case must end quickly with a coded issue naming
 * what to write instead.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, open, symlink, writeFile } from 'node:fs/promises';
import { afterEach, expect, it } from 'vitest';
import { formatIssue } from '../src/cli/render-error.js';
import { validateManifest } from '../src/manifest/validate-manifest.js';
import { writeTempManifests, yaml, type TempManifestDir } from './support/temp-manifest.js';
import { tinyManifestSchema, tinyRuleCatalog } from './support/tiny-manifest-schema.js';

let temp: TempManifestDir | undefined;
afterEach(async () => {
  await temp?.remove();
  temp = undefined;
});

const tiny = { schema: tinyManifestSchema, catalog: tinyRuleCatalog };

function personWith(field: string): string {
  return yaml`
    version: 1
    environment: sandbox
    persons:
      alice:
        first_name: Alice
        last_name: ${field}
  `;
}

async function validateIn(files: Record<string, string>, paths: string[] = ['m'], extra: { allowFileRoots?: string[]; env?: NodeJS.ProcessEnv } = {}) {
  temp = await writeTempManifests(files);
  const started = performance.now();
  const result = await validateManifest(paths, { cwd: temp.dir, env: extra.env ?? {}, ...tiny, ...(extra.allowFileRoots ? { allowFileRoots: extra.allowFileRoots } : {}) });
  return { ...result, ms: performance.now() - started, codes: result.issues.map((issue) => issue.code), text: result.issues.map(formatIssue).join('\n') };
}

it('reads a ${file:} inside the manifest folder, and refuses /etc/passwd, ../ and /proc/self/environ, naming the flag that widens it', async () => {
  const inside = await validateIn({ 'm/a.yaml': personWith('${file:secrets/name}'), 'm/secrets/name': 'Smith\n' });
  expect(inside.issues).toEqual([]);
  expect(inside.model?.resources.get('person.alice')?.fields).toMatchObject({ last_name: 'Smith' });
  await temp?.remove();

  for (const path of ['/etc/passwd', '../outside.txt', '../../../../../../etc/hostname', '/proc/self/environ']) {
    const result = await validateIn({ 'm/a.yaml': personWith(`\${file:${path}}`), 'outside.txt': 'secret\n' });
    expect(result.codes).toEqual(['interpolation.file_outside']);
    expect(result.issues[0]).toMatchObject({ line: 6, col: 16 });
    expect(result.text).toContain('--allow-file-root');
    expect(result.text).not.toContain('root:');
    await temp?.remove();
  }
});

it('refuses a symlink inside the folder that leads out of it, and allowFileRoots widens the folders read', async () => {
  temp = await writeTempManifests({ 'm/a.yaml': personWith('${file:link}'), 'shared/name': 'Jones\n' });
  await symlink(temp.path('shared/name'), temp.path('m/link'));
  const refused = await validateManifest(['m'], { cwd: temp.dir, env: {}, ...tiny });
  expect(refused.issues.map((issue) => issue.code)).toEqual(['interpolation.file_outside']);
  expect(refused.issues[0]?.message).toContain('after following symlinks');
  const allowed = await validateManifest(['m'], { cwd: temp.dir, env: {}, ...tiny, allowFileRoots: ['shared'] });
  expect(allowed.issues).toEqual([]);
  expect(allowed.model?.resources.get('person.alice')?.fields).toMatchObject({ last_name: 'Jones' });
});

it('refuses /dev/zero and /dev/urandom without reading them, even inside an allowed root', async () => {
  for (const device of ['/dev/zero', '/dev/urandom']) {
    const result = await validateIn({ 'm/a.yaml': personWith(`\${file:${device}}`) }, ['m'], { allowFileRoots: ['/dev'] });
    expect(result.codes).toEqual(['interpolation.file_not_regular']);
    expect(result.issues[0]?.message).toContain('a character device');
    expect(result.ms).toBeLessThan(2000);
    await temp?.remove();
  }
});

it('refuses a FIFO as a ${file:}, as a named manifest, and skips one among a folder of *.yaml with a warning, never blocking', async () => {
  temp = await writeTempManifests({ 'm/a.yaml': personWith('${file:pipe}') });
  execFileSync('mkfifo', [temp.path('m/pipe'), temp.path('m/b.yaml'), temp.path('direct.yaml')]);
  const started = performance.now();
  const folder = await validateManifest(['m'], { cwd: temp.dir, env: {}, ...tiny });
  expect(folder.issues.map((issue) => [issue.code, issue.severity ?? 'error'])).toEqual([
    ['interpolation.file_not_regular', 'error'],
    ['file.skipped', 'warning'],
  ]);
  const direct = await validateManifest(['direct.yaml'], { cwd: temp.dir, env: {}, ...tiny });
  expect(direct.issues.map((issue) => issue.code)).toEqual(['file.not_regular']);
  expect(direct.issues[0]?.message).toContain('FIFO');
  expect(performance.now() - started).toBeLessThan(2000);
});

it('refuses a ${file:} over 1 MiB and a manifest file over 16 MiB by their size, telling to split the manifest', async () => {
  const big = await validateIn({ 'm/a.yaml': personWith('${file:big}'), 'm/big': 'x'.repeat(1024 * 1024 + 1) });
  expect(big.codes).toEqual(['interpolation.file_too_large']);
  expect(big.text).toContain('over the 1 MiB limit');
  await temp?.remove();

  // 150 MB, sparse: refused from its size alone, so never read into memory.
  temp = await writeTempManifests({ 'ok.yaml': personWith('Smith') });
  const handle = await open(temp.path('huge.yaml'), 'w');
  await handle.truncate(150 * 1024 * 1024);
  await handle.close();
  const started = performance.now();
  const huge = await validateManifest(['huge.yaml', 'ok.yaml'], { cwd: temp.dir, env: {}, ...tiny });
  expect(performance.now() - started).toBeLessThan(5000);
  expect(huge.issues.map((issue) => issue.code)).toEqual(['file.too_large']);
  expect(formatIssue(huge.issues[0]!)).toMatch(/huge\.yaml is 150 MiB, over the 16 MiB limit for one manifest file\n {4}hint: split it into several files in one folder/);
});

it('a 17 MiB single string is refused in well under 5 s; a smaller cap is an option', async () => {
  temp = await writeTempManifests({});
  await mkdir(temp.path('m'));
  await writeFile(temp.path('m/a.yaml'), `description: "${'x'.repeat(17 * 1024 * 1024)}"\n`);
  const started = performance.now();
  const result = await validateManifest(['m'], { cwd: temp.dir, env: {}, ...tiny });
  expect(performance.now() - started).toBeLessThan(5000);
  expect(result.issues.map((issue) => issue.code)).toEqual(['file.too_large']);
  const capped = await validateManifest(['m'], { cwd: temp.dir, env: {}, ...tiny, maxManifestFileBytes: 1024 });
  expect(capped.issues[0]?.message).toContain('over the 1 KiB limit');
});

it("refuses the tool's own credentials and interpolation in settings, remote keys and addresses, without printing the value", async () => {
  const secret = 'Zq9-distinctive-S3CRET';
  const env = { PAXOS_CLIENT_SECRET: secret, PAXOS_CLIENT_ID: secret, X: secret };
  const result = await validateIn(
    {
      'm/a.yaml': yaml`
        version: 1
        environment: sandbox
        options:
          ref_id_prefix: \${env:X}-
        persons:
          alice:
            first_name: \${env:PAXOS_CLIENT_SECRET}
            last_name: \${env:PAXOS_CLIENT_ID}
            ref_id: pre-\${env:X}
        accounts:
          main:
            identity: "\${env:X}"
            description: Main
      `,
    },
    ['m'],
    { env },
  );
  expect(result.codes.filter((code) => !code.startsWith('schema.'))).toEqual([
    'interpolation.not_allowed',
    'interpolation.credential',
    'interpolation.credential',
    'interpolation.not_allowed',
    'interpolation.not_allowed',
  ]);
  expect(result.text).not.toContain(secret);
  expect(result.text).not.toContain('S3CRET');
  expect(result.text).toContain("`${env:X}` cannot be used in `options.ref_id_prefix`: the prefix is part of every derived ref_id, which plans print in full");
  expect(result.text).toContain("`PAXOS_CLIENT_SECRET` is this tool's own credential and cannot be interpolated into a manifest");
  expect(result.text).toContain('cannot be used in `identity`');
});

it('shows control characters in keys and file names escaped, never raw', async () => {
  const result = await validateIn({
    'm/a.yaml': 'version: 1\nenvironment: sandbox\npersons:\n  "evil\\u001b[2J\\u009b31m":\n    first_name: 1\n',
  });
  expect(result.issues.length).toBeGreaterThan(0);
  expect(result.text).not.toMatch(/[\u001b\u009b]/);
  expect(result.text).toContain('\\x1b[2J');
});
