import type { Argv, CommandModule } from 'yargs';
import { isManifestError, ManifestError } from '../../errors.js';
import { formatRequestLogLine } from '../../paxos/request-log.js';
import type { PlanManifestOptions } from '../../plan/plan-manifest.js';
import type { Plan } from '../../plan/plan-types.js';
import { renderPlanJson } from '../../plan/render-json.js';
import { renderPlanMarkdown } from '../../plan/render-markdown.js';
import { renderPlanText } from '../../plan/render-text.js';
import { allowFileRootOption, allowFileRootsOf } from '../file-roots.js';
import { writeLine, type CliIo } from '../io.js';
import { lockOptions, lockTimeoutOption } from '../lock-notice.js';
import { relativeIssues } from './validate.js';

interface PlanArgs {
  'allow-file-root'?: string[];
  manifest: string[];
  target?: string;
  format: 'text' | 'json' | 'markdown';
  save?: string;
  'detailed-exitcode': boolean;
  'show-sensitive': boolean;
  'show-unchanged': boolean;
  verbose: boolean;
  deep: boolean;
  'lock-timeout'?: string;
  realistic: boolean;
}

/**
 * `--detailed-exitcode`, as Terraform's, with one addition for CI gates: a
 * plan with blocked steps cannot be applied as it stands, so it exits 1
 * rather than 2.
 */
export function planExitCode(plan: Plan, detailed: boolean): number {
  if (!detailed) return 0;
  if (plan.summary.byAction.blocked > 0) return 1;
  return plan.summary.hasChanges ? 2 : 0;
}

/**
 * Colour for a terminal only: never in a pipe, never when `NO_COLOR` or `CI`
 * is set (https://no-color.org). `FORCE_COLOR` decides before all of them, as
 * Node and most tools read it: set (and not `0`/`false`) it colours even a
 * pipe or a CI log, `FORCE_COLOR=0` never colours.
 */
export function useColor(io: Pick<CliIo, 'stdout' | 'env'>): boolean {
  const force = io.env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  return io.stdout.isTTY === true && !io.env.NO_COLOR && !io.env.CI;
}

export function renderPlan(plan: Plan, args: Pick<PlanArgs, 'format' | 'show-unchanged'>, color: boolean): string {
  const showUnchanged = args['show-unchanged'];
  if (args.format === 'json') return renderPlanJson(plan);
  if (args.format === 'markdown') return renderPlanMarkdown(plan, { showUnchanged });
  return renderPlanText(plan, { color, showUnchanged });
}

const epilogue = `Targets:
  (default)            the embedded emulator, state in .paxos-onboard/local-emulator.json;
                       the Paxos sandbox when PAXOS_CLIENT_ID and PAXOS_CLIENT_SECRET are set
  --target sandbox     the Paxos sandbox, with PAXOS_CLIENT_ID and PAXOS_CLIENT_SECRET
  --target production  Paxos production: only when named, for a production manifest
  --target URL         any Paxos-compatible server, e.g. one started by paxos-onboard emulator
The manifest's environment: must allow the target, or nothing is sent.

Exit codes:
  0  the plan was made (with --detailed-exitcode: and nothing would change)
  2  with --detailed-exitcode: there are changes to apply; without it: a usage error
  1  an error (with --detailed-exitcode, usage errors too, so 2 always means changes),
     and with --detailed-exitcode a plan with blocked steps (it cannot apply as it is)`;

/**
 * `paxos-onboard plan <manifest...>`: reads the remote, prints what apply
 * would do. The target notice and request log go to stderr, the plan to
 * stdout, so `--format json > plan.json` stays clean.
 */
export function planCommand(io: CliIo): CommandModule<object, PlanArgs> {
  return {
    command: 'plan <manifest...>',
    describe: 'Show what apply would create, adopt, update, approve or wait for (PII masked)',
    builder: (yargs: Argv) =>
      yargs
        .positional('manifest', { type: 'string', array: true, demandOption: true, default: undefined, describe: 'manifest files or directories' })
        .option('target', { type: 'string', describe: 'local | sandbox | production | an emulator URL (default: local, or sandbox when PAXOS_CLIENT_ID is set)' })
        .option('format', { choices: ['text', 'json', 'markdown'] as const, default: 'text' as const, describe: 'output format (markdown: a pull-request comment)' })
        .option('save', { alias: 'out', type: 'string', describe: 'also save the plan (masked) to this file, for apply <file> (not the ids: apply --outputs writes those)' })
        .option('detailed-exitcode', { type: 'boolean', default: false, describe: 'exit 0 no changes, 2 changes, 1 blocked steps or error' })
        .option('show-sensitive', { type: 'boolean', default: false, describe: 'print PII (cip_id, date_of_birth, tax ids) unmasked; never saved by --save' })
        .option('show-unchanged', { type: 'boolean', default: false, describe: 'list unchanged resources too' })
        .option('verbose', { type: 'boolean', default: false, describe: 'log each API request on stderr' })
        .option('realistic', { type: 'boolean', default: false, describe: 'run the embedded emulator with the sandbox\'s rate limits, pacing and delays, to predict a sandbox run\'s timing (default: fast)' })
        .option('allow-file-root', allowFileRootOption)
        .option('deep', { type: 'boolean', default: false, describe: 'read each identity in full, to see changes made outside the tool (one call each)' })
        .option('lock-timeout', lockTimeoutOption)
        .epilogue(epilogue) as unknown as Argv<PlanArgs>,
    handler: async (args) => {
      const options: PlanManifestOptions = {
        env: io.env,
        cwd: io.cwd,
        showSensitive: args['show-sensitive'],
        deep: args.deep,
        ...allowFileRootsOf(args),
        onTarget: (target) => writeLine(io.stderr, `Target: ${target.description}`),
        onNotice: (message) => writeLine(io.stderr, message),
        lock: lockOptions(io, args['lock-timeout']),
      };
      if (io.signal !== undefined) options.signal = io.signal;
      if (args.target !== undefined) options.target = args.target;
      if (args.save !== undefined) options.out = args.save;
      if (args.realistic) options.realistic = true;
      // A 429 pauses every request (Paxos locks the client out for minutes): never leave the user staring at silence.
      options.onRequest = (entry) => {
        if (args.verbose || entry.status === 429) writeLine(io.stderr, formatRequestLogLine(entry));
      };
      // Loaded when the command runs: `--help` and the other commands do not pay for the client and the emulator.
      const { planManifest } = await import('../../plan/plan-manifest.js');
      const plan = await withRelativeIssues(planManifest(args.manifest, options), io.cwd);
      io.stdout.write(renderPlan(plan, args, useColor(io)));
      if (args.save !== undefined) writeLine(io.stderr, `Saved the plan to ${args.save} (PII masked). Apply it with: paxos-onboard apply ${args.save}`);
      io.exitCode = planExitCode(plan, args['detailed-exitcode']);
    },
  };
}

/** Manifest issues with paths as the user typed them, like `validate` prints them. */
export async function withRelativeIssues<T>(promise: Promise<T>, cwd: string): Promise<T> {
  return promise.catch((error: unknown) => {
    throw isManifestError(error) ? new ManifestError(relativeIssues(error.issues, cwd), { cause: error }) : error;
  });
}
