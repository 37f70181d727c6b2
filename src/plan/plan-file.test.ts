import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mixedPlan, planOf, step } from '../../test/support/plan-builders.js';
import { loadPlan, PlanFileError, savePlan } from './plan-file.js';
import { renderPlanJson } from './render-json.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'paxos-onboard-plan-file-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function refusal(text: string): Promise<PlanFileError> {
  const path = join(dir, 'plan.json');
  await writeFile(path, text);
  const error = await loadPlan(path).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof PlanFileError)) throw new Error(`expected a PlanFileError, got ${String(error)}`);
  return error;
}

describe('savePlan and loadPlan', () => {
  it('round-trips a plan, with the plan-file marker and format version first', async () => {
    const path = join(dir, 'plan.json');
    const plan = mixedPlan();
    await savePlan(path, plan);
    const text = await readFile(path, 'utf8');
    expect(text.startsWith('{\n  "kind": "paxos-onboard-plan",\n  "formatVersion": 1,\n')).toBe(true);
    expect(await loadPlan(path)).toEqual(JSON.parse(renderPlanJson(plan)));
  });

  it('refuses to save a plan built with showSensitive, and writes nothing', async () => {
    const path = join(dir, 'plan.json');
    const plan = {
      ...planOf([step('person.alice', 'blocked', { changes: [{ path: '/cip_id', before: '987-65-4321', after: '123-45-1127', updatable: false, sensitive: true }] })]),
      sensitiveShown: true as const,
    };
    const error = await savePlan(path, plan).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(PlanFileError);
    expect((error as PlanFileError).code).toBe('plan_file.sensitive');
    await expect(readFile(path, 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('leaves an already masked plan as it is', async () => {
    const path = join(dir, 'plan.json');
    await savePlan(path, mixedPlan());
    const loaded = await loadPlan(path);
    expect(loaded.steps.find((each) => each.address === 'institution.acme')?.changes?.[0]).toEqual({
      path: '/cip_id',
      before: '***-**-1127',
      after: '***-**-2222',
      updatable: false,
      sensitive: true,
    });
  });

  it('refuses a file that is not JSON, or JSON that is not a plan, saying what it is and what to do', async () => {
    expect((await refusal('persons:\n  alice: {}\n')).message).toMatch(/plan\.json is not JSON, so not a saved plan; make one with 'paxos-onboard plan <manifest\.\.\.> --out .*plan\.json'/);
    expect((await refusal('{"ok": true}')).code).toBe('plan_file.not_a_plan');
    const jsonOutput = await refusal(renderPlanJson(mixedPlan()));
    expect(jsonOutput.problem).toBe('not-a-plan');
    expect(jsonOutput.message).toContain("the output of 'plan --format json' (no plan-file marker)");
  });

  it('refuses a format version it does not know', async () => {
    const error = await refusal(JSON.stringify({ kind: 'paxos-onboard-plan', formatVersion: 2, steps: [] }));
    expect(error.code).toBe('plan_file.unsupported_version');
    expect(error.message).toContain('is a plan in format 2; this paxos-onboard reads format 1');
  });

  it('refuses a damaged plan, naming what is missing', async () => {
    const error = await refusal(JSON.stringify({ kind: 'paxos-onboard-plan', formatVersion: 1, steps: [] }));
    expect(error.problem).toBe('malformed');
    expect(error.message).toContain('(manifest.files, manifest.digest, remoteFingerprint, target, summary missing or wrong)');
  });

  it('says which file cannot be read or written', async () => {
    await expect(loadPlan(join(dir, 'absent.json'))).rejects.toMatchObject({ problem: 'unreadable', message: expect.stringContaining('absent.json: ENOENT') });
    await expect(savePlan(join(dir, 'no-such-dir', 'plan.json'), mixedPlan())).rejects.toMatchObject({ code: 'plan_file.unwritable' });
  });
});
