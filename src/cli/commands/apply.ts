import type { Argv, CommandModule } from 'yargs';
import { defaultConcurrency, type ApplyManifestOptions } from '../../apply/apply-options.js';
import type { ApplyResult } from '../../apply/apply-types.js';
import { parseDuration } from '../../emulator/emulator-options.js';
import { UsageError } from '../../errors.js';
import { formatRequestLogLine } from '../../paxos/request-log.js';
import type { Plan } from '../../plan/plan-types.js';
import { countApprovals } from '../../plan/render-common.js';
import { renderPlanText } from '../../plan/render-text.js';
import { askYes } from '../ask-yes.js';
import { allowFileRootOption, allowFileRootsOf } from '../file-roots.js';
import { writeLine, type CliIo } from '../io.js';
import { lockOptions, lockTimeoutOption } from '../lock-notice.js';
import { wholeNumberOption } from '../number-flag.js';
import { useColor, withRelativeIssues } from './plan.js';

interface ApplyArgs {
  'allow-file-root'?: string[];
  input: string[];
  target?: string;
  yes: boolean;
  concurrency?: string;
  outputs?: string;
  format: 'text' | 'json';
  verbose: boolean;
  'allow-production-orders': boolean;
  prune: boolean;
  'allow-production-destroy': boolean;
  'lock-timeout'?: string;
  'listing-lag'?: string;
  realistic: boolean;
}

const epilogue = `Inputs:
  manifest files or directories: plan, show the plan, confirm, apply
  one plan.json saved by 'paxos-onboard plan --save': apply exactly it, or refuse
                       if the manifest or the remote changed since

Targets are those of 'paxos-onboard plan' (default: the embedded emulator, or
the Paxos sandbox when PAXOS_CLIENT_ID and PAXOS_CLIENT_SECRET are set).

When stdin is a terminal the plan is confirmed before anything is sent
(unless --yes); with no terminal, or CI set, there is no question (production
then needs --yes), and in a pipe no colour and no spinner. Deposits are
journaled in .paxos-onboard/journal.<target>.jsonl so that a run killed at any
point and started again makes each of them exactly once. Ctrl-C starts nothing
more and lets the calls in flight finish; run apply again to go on.

Exit codes: 0 everything converged; 1 something failed, was blocked or skipped
(the rest was still applied), or an error; 2 a usage error.`;

/**
 * `paxos-onboard apply <manifest...|plan.json>`. The plan and the outputs
 * table go to stdout, progress to stderr on a terminal (listr2) and to stdout
 * otherwise; `--format json` writes only JSON lines to stdout.
 */
export function applyCommand(io: CliIo): CommandModule<object, ApplyArgs> {
  return {
    command: 'apply <input...>',
    describe: 'Create, adopt, update and approve what the plan says, idempotently, and print the Paxos ids',
    builder: (yargs: Argv) =>
      yargs
        .positional('input', { type: 'string', array: true, demandOption: true, default: undefined, describe: 'manifest files or directories, or one saved plan.json' })
        .option('target', { type: 'string', describe: 'local | sandbox | production | an emulator URL (default: local, or sandbox when PAXOS_CLIENT_ID is set)' })
        .option('yes', { alias: 'y', type: 'boolean', default: false, describe: 'apply without asking for confirmation' })
        .option('concurrency', wholeNumberOption('concurrency', { min: 1, example: 8, describe: `resources in flight at once (default ${defaultConcurrency}; the pacer keeps each rate class under its Paxos limit)` }, io.argv))
        .option('outputs', { type: 'string', describe: 'write the Paxos ids and statuses (no PII) to this JSON file' })
        .option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'json: one JSON event per line, for machines' })
        .option('verbose', { type: 'boolean', default: false, describe: 'log each API request on stderr' })
        .option('allow-production-orders', { type: 'boolean', default: false, describe: 'place the manifest’s orders against production (real money)' })
        .option('lock-timeout', lockTimeoutOption)
        .option('allow-file-root', allowFileRootOption)
        .option('prune', { type: 'boolean', default: false, describe: 'also tear down the orphans the plan lists (cancel, deactivate, disable as destroy does)' })
        .option('allow-production-destroy', { type: 'boolean', default: false, describe: 'with --prune: tear down orphans in production' })
        .option('realistic', { type: 'boolean', default: false, describe: 'run the embedded emulator with the sandbox\'s rate limits, pacing and delays, to predict a sandbox run\'s timing (default: fast)' })
        .option('listing-lag', {
          type: 'string',
          describe: 'how long the transfer listing may lag a deposit (default 90s): a deposit whose answer was lost is sent again only after this, and only if still not listed',
        })
        .epilogue(epilogue) as unknown as Argv<ApplyArgs>,
    handler: async (args) => {
      const json = args.format === 'json';
      // Asked whenever someone is at the keyboard, even with output redirected (as Terraform does).
      const canAsk = io.stdin?.isTTY === true && !io.env.CI;
      // The live display only on a terminal with a width: a zero-width pseudo-terminal gets one character per line from listr2.
      const width = (io.stderr as { columns?: number }).columns ?? 0;
      const live = canAsk && io.stdout.isTTY === true && io.stderr.isTTY === true && width > 0;
      const color = useColor(io);
      // Loaded when the command runs: `--help` and the other commands do not pay for the client, the emulator and listr2.
      const [{ applyManifest }, { createProgress }, { renderOutputsTable }] = await Promise.all([
        import('../../apply/apply-manifest.js'),
        import('../../apply/progress/index.js'),
        import('../../apply/progress/outputs-table.js'),
      ]);
      const progress = createProgress(json ? 'json' : live ? 'listr' : 'plain', json || !live ? io.stdout : io.stderr, { color });
      const options: ApplyManifestOptions = {
        env: io.env,
        cwd: io.cwd,
        onEvent: progress.onEvent,
        onTarget: (target) => writeLine(io.stderr, `Target: ${target.description}`),
        onNotice: (message) => writeLine(io.stderr, message),
        onPlan: (plan) => (json ? writeLine(io.stdout, JSON.stringify({ type: 'plan', plan })) : io.stdout.write(renderPlanText(plan, { color, showUnchanged: false }))),
        onRequest: (entry) => {
          if (args.verbose || entry.status === 429) writeLine(io.stderr, formatRequestLogLine(entry));
        },
        allowProductionOrders: args['allow-production-orders'],
        lock: lockOptions(io, args['lock-timeout']),
      };
      if (args.target !== undefined) options.target = args.target;
      Object.assign(options, allowFileRootsOf(args));
      if (args.prune) Object.assign(options, { prune: true, allowProductionDestroy: args['allow-production-destroy'] });
      if (args.outputs !== undefined) options.outputs = args.outputs;
      if (args.realistic) options.realistic = true;
      if (args.concurrency !== undefined) options.concurrency = Number(args.concurrency);
      if (args['listing-lag'] !== undefined) options.listingLagMs = parseDuration(args['listing-lag'], '--listing-lag');
      if (!args.yes && canAsk) options.confirm = (plan) => confirm(io, plan);
      // Nobody to ask and nobody said yes: production is never changed on a guess.
      else if (!args.yes) options.confirm = async (plan) => refuseUnattendedProduction(plan);
      // Ctrl-C: start nothing more and stop waiting; what is in flight finishes and is reported.
      const interrupt = new AbortController();
      options.signal = interrupt.signal;
      void io.interrupted.then(() => {
        writeLine(io.stderr, 'Interrupted: finishing the calls in flight, starting nothing more. Run apply again to go on.');
        interrupt.abort();
      });
      let result: ApplyResult;
      try {
        result = await withRelativeIssues(applyManifest(args.input, options), io.cwd);
      } finally {
        await progress.close();
      }
      if (!json) {
        writeLine(io.stdout);
        const columns = io.stdout.isTTY === true ? (io.stdout as { columns?: number }).columns : undefined;
        io.stdout.write(renderOutputsTable(result.outputs, columns ? { color, width: columns } : { color }));
        if (args.outputs !== undefined) writeLine(io.stdout, `Outputs written to ${args.outputs}.`);
      }
      if (result.pruned) {
        const { byOutcome, warnings } = result.pruned;
        for (const warning of warnings) writeLine(json ? io.stderr : io.stdout, `Warning: ${warning}`);
        writeLine(json ? io.stderr : io.stdout, `Pruned: ${byOutcome['torn-down']} torn down, ${byOutcome.kept} kept, ${byOutcome.failed} failed.`);
      }
      io.exitCode = result.summary.failed ? 1 : 0;
    },
  };
}

function refuseUnattendedProduction(plan: Plan): boolean {
  if (plan.target.environment !== 'production') return true;
  throw new UsageError('apply to production without a terminal to confirm on needs --yes: nothing was sent');
}

/** Terraform's question: only `yes` goes on; Ctrl-C at the question is a no. */
async function confirm(io: CliIo, plan: Plan): Promise<boolean> {
  const { create, update, adopt } = plan.summary.byAction;
  return askYes(io, `\n${confirmationQuestion({ create, update, adopt, approve: countApprovals(plan) }, plan.target)}`);
}

const targetNames: Record<string, string> = { local: 'the local emulator', sandbox: 'the Paxos sandbox', production: 'Paxos production' };

/** `Apply 8 creates and 3 approvals to the local emulator?`: counts that are 0 are left out, nouns agree with them. */
export function confirmationQuestion(counts: { create: number; update: number; adopt: number; approve: number }, target: Pick<Plan['target'], 'kind' | 'apiUrl'>): string {
  const nouns: Array<[number, string, string]> = [
    [counts.create, 'create', 'creates'],
    [counts.update, 'update', 'updates'],
    [counts.adopt, 'adoption', 'adoptions'],
    [counts.approve, 'approval', 'approvals'],
  ];
  const parts = nouns.filter(([count]) => count > 0).map(([count, one, many]) => `${count} ${count === 1 ? one : many}`);
  const what = parts.length === 0 ? 'the plan' : parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
  const where = target.kind === 'url' ? `the server at ${target.apiUrl}` : (targetNames[target.kind] ?? target.kind);
  return `Apply ${what} to ${where}?`;
}
