/**
 * `${file:}` reads only inside the manifest's folder; `--allow-file-root`
 * names another folder it may read, on validate, plan and apply alike.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { header, personYaml } from './support/plan-manifests.js';
import { runCliForTest } from './support/run-cli.js';
import { writeTempManifests, type TempManifestDir } from './support/temp-manifest.js';

describe('--allow-file-root', () => {
  let dir: TempManifestDir;
  let secrets: string;
  beforeEach(async () => {
    secrets = await mkdtemp(join(tmpdir(), 'paxos-onboard-secrets-'));
    await writeFile(join(secrets, 'email'), 'alice@example.com\n');
    const manifest = `${header('local')}persons:\n${personYaml('alice', { email: `\${file:${join(secrets, 'email')}}` })}\n`;
    dir = await writeTempManifests({ 'm.yaml': manifest });
  });
  afterEach(async () => {
    await dir.remove();
    await rm(secrets, { recursive: true, force: true });
  });

  it('refuses a ${file:} outside the manifest folder, and reads it from a folder the flag names', async () => {
    const refused = await runCliForTest(['validate', 'm.yaml'], { cwd: dir.dir });
    expect(refused.code).toBe(1);
    expect(refused.stdout + refused.stderr).toContain('interpolation.file_outside');
    expect(refused.stdout + refused.stderr).not.toContain('alice@example.com');

    const allowed = await runCliForTest(['validate', 'm.yaml', '--allow-file-root', secrets], { cwd: dir.dir });
    expect(allowed.stdout + allowed.stderr).toContain('1 resource');
    expect(allowed.code).toBe(0);
    const planned = await runCliForTest(['plan', 'm.yaml', '--allow-file-root', secrets], { cwd: dir.dir });
    expect(planned.code, planned.stderr).toBe(0);
  });
});
