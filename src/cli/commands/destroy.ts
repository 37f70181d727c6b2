import type { Argv, CommandModule } from 'yargs';
import type { DestroyManifestOptions } from '../../apply/destroy-manifest.js';
import { defaultConcurrency } from '../../apply/apply-options.js';
import { UsageError } from '../../errors.js';
import { formatRequestLogLine } from '../../paxos/request-log.js';
import { renderTeardownText, teardownSentence } from '../../plan/render-teardown.js';
import type { TeardownPlan } from '../../plan/teardown-plan.js';
import { askYes, canAsk } from '../ask-yes.js';
import { writeLine, type CliIo } from '../io.js';
import { wholeNumberOption } from '../number-flag.js';
import { lockOptions, lockTimeoutOption } from '../lock-notice.js';
import { useColor, withRelativeIssues } from './plan.js';

interface DestroyArgs {
  manifest: string[];
  target?: string;
  yes: boolean;
  concurrency?: string;
  format: 'text' | 'json';
  verbose: boolean;
  'allow-production-destroy': boolean;
  'lock-timeout'?: string;
}

const epilogue = `Paxos deletes none of these objects; destroy takes each out of use, in
reverse dependency order: open orders cancelled (a MARKET order cannot be),
profiles deactivated (Paxos refuses one holding a balance: it is kept and
said so), accounts and identities disabled (set_user_disabled). It covers
what the manifest declares and the orphans under its ref_id prefix. Deposits
have no key and no undo. What is down already is left alone, so a second
destroy sends nothing.

Confirmation is as for apply: asked on a terminal unless --yes; with no
terminal or CI set, production needs --yes. Production also needs
--allow-production-destroy.

Exit codes: 0 done (or nothing to do); 1 something failed, or an error; 2 a usage error.`;

/** `paxos-onboard destroy <manifest...>`: the teardown plan, the question, the teardown. */
export function destroyCommand(io: CliIo): CommandModule<object, DestroyArgs> {
  return {
    command: 'destroy <manifest...>',
    describe: 'Tear down what the manifest made: cancel open orders, deactivate profiles, disable accounts and identities',
    builder: (yargs: Argv) =>
      yargs
        .positional('manifest', { type: 'string', array: true, demandOption: true, describe: 'manifest files or directories' })
        .option('target', { type: 'string', describe: 'local | sandbox | production | an emulator URL (default: local, or sandbox when PAXOS_CLIENT_ID is set)' })
        .option('yes', { alias: 'y', type: 'boolean', default: false, describe: 'destroy without asking for confirmation' })
        .option('concurrency', wholeNumberOption('concurrency', { min: 1, example: 8, describe: `objects torn down at once (default ${defaultConcurrency})` }, io.argv))
        .option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'json: the teardown plan and result as JSON lines' })
        .option('verbose', { type: 'boolean', default: false, describe: 'log each API request on stderr' })
        .option('allow-production-destroy', { type: 'boolean', default: false, describe: 'tear down in production (real identities and accounts)' })
        .option('lock-timeout', lockTimeoutOption)
        .epilogue(epilogue) as unknown as Argv<DestroyArgs>,
    handler: async (args) => {
      const json = args.format === 'json';
      const color = useColor(io);
      const options: DestroyManifestOptions = {
        env: io.env,
        cwd: io.cwd,
        onTarget: (target) => writeLine(io.stderr, `Target: ${target.description}`),
        onNotice: (message) => writeLine(io.stderr, message),
        onPlan: (plan) => (json ? writeLine(io.stdout, JSON.stringify({ type: 'teardown-plan', plan })) : io.stdout.write(renderTeardownText(plan, { color }))),
        onRequest: (entry) => {
          if (args.verbose || entry.status === 429) writeLine(io.stderr, formatRequestLogLine(entry));
        },
        allowProductionDestroy: args['allow-production-destroy'],
        lock: lockOptions(io, args['lock-timeout']),
      };
      if (io.signal !== undefined) options.signal = io.signal;
      if (args.target !== undefined) options.target = args.target;
      if (args.concurrency !== undefined) options.concurrency = Number(args.concurrency);
      if (!args.yes && canAsk(io)) options.confirm = (plan) => askYes(io, `\n${teardownSentence(plan)} Tear these down on the ${targetName(plan)}?`);
      // Nobody to ask and nobody said yes: production is never torn down on a guess.
      else if (!args.yes) options.confirm = async (plan) => refuseUnattendedProduction(plan);
      const { destroyManifest } = await import('../../apply/destroy-manifest.js');
      const result = await withRelativeIssues(destroyManifest(args.manifest, options), io.cwd);
      if (json) writeLine(io.stdout, JSON.stringify({ type: 'teardown-result', byOutcome: result.byOutcome, results: result.results, warnings: result.warnings }));
      else {
        for (const item of result.results.filter((entry) => entry.outcome !== 'unchanged')) {
          const name = item.step.address ?? `orphan ${item.step.kind} ${item.step.remoteId}`;
          writeLine(io.stdout, `  ${item.outcome.padEnd(9)} ${name}${item.detail !== undefined ? `  ${item.detail}` : ''}${item.error ? `  ${item.error.code}: ${item.error.message}` : ''}`);
        }
        for (const warning of result.warnings) writeLine(io.stdout, `Warning: ${warning}`);
        const { byOutcome } = result;
        writeLine(io.stdout, `Destroyed: ${byOutcome['torn-down']} torn down, ${byOutcome.kept} kept, ${byOutcome.unchanged} unchanged, ${byOutcome.failed} failed; ${result.stats.writes} write(s).`);
      }
      io.exitCode = result.failed ? 1 : 0;
    },
  };
}

function targetName(plan: TeardownPlan): string {
  return plan.target.kind === 'url' ? `server at ${plan.target.apiUrl}` : plan.target.kind;
}

function refuseUnattendedProduction(plan: TeardownPlan): boolean {
  if (plan.target.environment !== 'production') return true;
  throw new UsageError('destroy in production without a terminal to confirm on needs --yes: nothing was sent');
}
