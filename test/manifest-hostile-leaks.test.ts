/**
 * Issue 11, "Done when": a distinctive value through `${env:}` in
 * `ref_id_prefix`, a description and a reference is found in no output of
 * `validate` or `plan` (text, JSON, Markdown), through the CLI as a user runs it.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { header, personYaml } from './support/plan-manifests.js';
import { startPlanWorld, type PlanWorld } from './support/plan-world.js';
import { runCliForTest } from './support/run-cli.js';
import { writeTempManifests, type TempManifestDir } from './support/temp-manifest.js';

const probe = 'Pr0be-7731-distinctive';
const env = { PROBE: probe, AMOUNT: '98765' };

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

function expectNoProbe(outputs: string[]): void {
  for (const output of outputs) {
    expect(output).not.toContain(probe);
    expect(output).not.toContain('7731');
    expect(output).not.toContain('98765');
  }
}

it('refuses the probe in ref_id_prefix and in a reference, naming the placeholder, in validate and every plan format', async () => {
  temp = await writeTempManifests({
    'm.yaml': [
      header('sandbox', 'ref_id_prefix: "${env:PROBE}-"'),
      'persons:',
      personYaml('alice'),
      'accounts:',
      '  main: { identity: "${env:PROBE}", description: "${env:PROBE}", profile: true }',
      '',
    ].join('\n'),
  });
  const outputs: string[] = [];
  for (const args of [['validate', 'm.yaml'], ['validate', 'm.yaml', '--format', 'json'], ...['text', 'json', 'markdown'].map((format) => ['plan', 'm.yaml', '--format', format, '--target', world.emulator.url])]) {
    const run = await runCliForTest(args, { cwd: temp.dir, env });
    expect(run.code).not.toBe(0);
    outputs.push(run.stdout, run.stderr);
    expect(`${run.stdout}${run.stderr}`).toContain('interpolation.not_allowed');
  }
  expectNoProbe(outputs);
});

it('plans a manifest whose description and deposit amount are interpolated without showing either, in text, JSON and Markdown', async () => {
  temp = await writeTempManifests({
    'm.yaml': [
      header('sandbox', 'ref_id_prefix: t-'),
      'persons:',
      personYaml('alice'),
      'accounts:',
      '  main: { identity: person.alice, description: "Desk ${env:PROBE}", profile: true }',
      'deposits:',
      '  seed: { profile: account.main, asset: USD, amount: "${env:AMOUNT}" }',
      '',
    ].join('\n'),
  });
  const outputs: string[] = [];
  for (const format of ['text', 'json', 'markdown']) {
    const run = await runCliForTest(['plan', 'm.yaml', '--format', format, '--target', world.emulator.url], { cwd: temp.dir, env });
    expect(run.stderr).toMatch(/^Target: /);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('deposit.seed');
    // The deposit's description names its amount: scrubbed, the asset kept.
    expect(run.stdout).toContain(format === 'markdown' ? '\\*\\*\\*\\* USD' : '**** USD');
    outputs.push(run.stdout, run.stderr);
  }
  const validate = await runCliForTest(['validate', 'm.yaml'], { cwd: temp.dir, env });
  expect(validate.code).toBe(0);
  outputs.push(validate.stdout, validate.stderr);
  expectNoProbe(outputs);
});
