/**
 * The pull-request workflow (issue 14): `examples/github-actions/` holds it,
 * `init` installs it. What can run here is tested: the file parses and has
 * the jobs, triggers and steps the review depends on, and the commands it
 * runs do what it expects of them against an emulator (the sandbox's stand-in):
 * validate without secrets, a Markdown plan led by its marker and saved, and
 * the saved plan applied with no --target and no question.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { initProject } from '../src/cli/commands/init.js';
import { runCliForTest } from './support/run-cli.js';
import { startTestEmulator, type TestEmulator } from './support/test-emulator.js';

interface Step { name?: string; uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string> }
interface Job { if?: string; concurrency?: { group: string; 'cancel-in-progress': boolean }; permissions?: Record<string, string>; steps: Step[] }
interface Workflow { on: Record<string, unknown>; env: Record<string, string>; jobs: Record<string, Job> }

const examplePath = join(import.meta.dirname, '..', 'examples', 'github-actions', 'paxos-onboard.yml');
const loadWorkflow = async (): Promise<Workflow> => parse(await readFile(examplePath, 'utf8')) as Workflow;
/** The paxos-onboard commands a job runs, as argv (without `npx paxos-onboard`), `$MANIFESTS` expanded. */
const commandsOf = (job: Job, manifests: string): string[][] =>
  job.steps
    .flatMap((step) => (step.run ?? '').split('\n'))
    .filter((line) => line.trim().startsWith('npx paxos-onboard '))
    .map((line) => line.trim().replace(/^npx paxos-onboard /, '').replace(/\s*>.*$/, '').replace(/"\$MANIFESTS"/g, manifests).split(/\s+/));

describe('examples/github-actions/paxos-onboard.yml', () => {
  it('plans on a pull request and applies the reviewed plan on a push to main, one apply at a time', async () => {
    const workflow = await loadWorkflow();
    expect(Object.keys(workflow.on).sort()).toEqual(['pull_request', 'push']);
    expect(workflow.on.push).toMatchObject({ branches: ['main'] });
    const { plan, apply } = workflow.jobs;
    if (!plan || !apply) throw new Error('jobs plan and apply expected');
    expect(plan.if).toContain("github.event_name == 'pull_request'");
    expect(plan.permissions).toMatchObject({ 'pull-requests': 'write' });
    expect(commandsOf(plan, 'paxos')).toEqual([
      ['validate', '--offline', 'paxos'],
      ['plan', 'paxos', '--target', 'sandbox', '--format', 'markdown', '--out', 'plan.json'],
    ]);
    // Validation runs before any secret is handed out; the plan step alone gets the API key.
    const validate = plan.steps.find((step) => step.run?.includes('validate'));
    expect(validate?.env).toBeUndefined();
    expect(plan.steps.find((step) => step.run?.includes(' plan '))?.env).toMatchObject({ PAXOS_CLIENT_ID: '${{ secrets.PAXOS_CLIENT_ID }}' });
    const comment = plan.steps.find((step) => step.uses?.startsWith('actions/github-script@'));
    expect(String(comment?.with?.script)).toMatch(/updateComment[\s\S]*createComment/);
    expect(plan.steps.some((step) => step.uses?.startsWith('actions/upload-artifact@') && step.with?.path === 'plan.json')).toBe(true);

    expect(apply.if).toContain("github.ref == 'refs/heads/main'");
    expect(apply.concurrency).toEqual({ group: 'paxos-onboard-apply-sandbox', 'cancel-in-progress': false });
    expect(commandsOf(apply, 'paxos')).toEqual([['apply', 'plan.json', '--outputs', 'outputs.json']]);
  });
});

describe('init, and the workflow’s commands against an emulator', () => {
  let dir: string;
  let emulator: TestEmulator;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'paxos-onboard-init-'));
    emulator = await startTestEmulator({ rateLimits: 'off', approve: 'manual' });
  });
  afterEach(async () => {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('scaffolds once, keeps what exists, and what it scaffolds validates offline, plans with a marker and applies from the saved plan', async () => {
    const first = await runCliForTest(['init', '.'], { cwd: dir });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('wrote paxos/onboarding.yaml');
    expect(await readFile(join(dir, '.github', 'workflows', 'paxos-onboard.yml'), 'utf8')).toBe(await readFile(examplePath, 'utf8'));
    const manifest = await readFile(join(dir, 'paxos', 'onboarding.yaml'), 'utf8');
    expect(manifest.split('\n')[0]).toBe('# yaml-language-server: $schema=../node_modules/paxos-onboard/schemas/manifest.schema.json');
    expect(await readFile(join(dir, '.gitignore'), 'utf8')).toMatch(/^\.paxos-onboard\/$/m);

    const again = await initProject(dir);
    expect(again.written).toEqual([]);
    expect((await readFile(join(dir, '.gitignore'), 'utf8')).match(/\.paxos-onboard\//g)).toHaveLength(1);

    const workflow = await loadWorkflow();
    const [validate, plan] = commandsOf(workflow.jobs.plan as Job, 'paxos') as [string[], string[]];
    const [apply] = commandsOf(workflow.jobs.apply as Job, 'paxos') as [string[]];
    // The emulator stands in for the sandbox; PII comes from the environment, as the secrets provide it.
    const asSandbox = (argv: string[]) => argv.map((arg) => (arg === 'sandbox' ? emulator.url : arg));
    const secrets = { ALICE_SSN: '111-22-3344', ALICE_DOB: '1990-01-31' };

    expect(await runCliForTest(validate, { cwd: dir, env: {} })).toMatchObject({ code: 0 });
    const planned = await runCliForTest(asSandbox(plan), { cwd: dir, env: secrets });
    expect(planned.code, planned.stderr).toBe(0);
    const marker = planned.stdout.split('\n', 1)[0] ?? '';
    expect(marker).toMatch(/^<!-- paxos-onboard plan: [0-9a-f]{16} -->$/);
    expect(planned.stdout).toContain('**Plan: 3 create,');
    expect(planned.stdout).not.toContain('111-22-3344');

    const applied = await runCliForTest(apply, { cwd: dir, env: secrets, terminal: { answer: 'no' } });
    expect(applied.code, applied.stderr + applied.stdout).toBe(0);
    // eslint-disable-next-line no-control-regex
    expect(applied.stdout.replace(/\u001b\[[0-9;]*m/g, '')).toMatch(/^person\.alice\s+created\s+APPROVED/m);

    // The next push of the same pull request: the same marker, so the workflow updates its one comment.
    const replanned = await runCliForTest(asSandbox(plan), { cwd: dir, env: secrets });
    expect(replanned.stdout.split('\n', 1)[0]).toBe(marker);
    expect(replanned.stdout).toContain('No changes');
  });
});
