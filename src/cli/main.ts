import yargs, { type Argv, type CommandModule } from 'yargs';
import { isPaxosOnboardError, PaxosOnboardError, UsageError } from '../errors.js';
import { commandModules } from './commands/index.js';
import type { CliIo } from './io.js';
import { signalExitCode, writeLine } from './io.js';
import { renderError, renderErrorJson } from './render-error.js';

/** Commands that see an interruption through and end on their own: apply (calls in flight finish), the emulator (a clean shutdown). */
const endsOnItsOwn = new Set(['apply', 'emulator']);

/** A command stopped by SIGINT/SIGTERM before it finished. */
export class CommandInterruptedError extends PaxosOnboardError {
  readonly signal: NodeJS.Signals | undefined;

  constructor(signal: NodeJS.Signals | undefined) {
    super('interrupted', `interrupted${signal ? ` (${signal})` : ''}: stopped before finishing`);
    this.name = 'CommandInterruptedError';
    this.signal = signal;
  }
}

/**
 * Runs the CLI against the given streams and returns the exit code. The only
 * place that catches: commands and the library throw, this renders.
 *
 * On the first interruption, validate, plan and graph stop at once (their
 * work only reads; what is in flight is abandoned and the process exits),
 * with 130 (SIGINT) or 143 (SIGTERM); apply ends as it documents and exits
 * with the same code; the emulator's shutdown is its normal end.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const interruption = new AbortController();
  io.signal ??= interruption.signal;
  io.argv ??= argv;
  let stoppedBy: { signal: NodeJS.Signals | undefined } | undefined;
  const stopped = new Promise<never>((_resolve, reject) => {
    void io.interrupted.then((signal) => {
      stoppedBy = { signal: signal || undefined };
      const error = new CommandInterruptedError(stoppedBy.signal);
      interruption.abort(error);
      reject(error);
    });
  });
  stopped.catch(() => undefined);
  const command = argv.find((word) => !word.startsWith('-'));
  const stopsAtOnce = command === undefined || !endsOnItsOwn.has(command);
  const parser = yargs([...argv])
    .scriptName('paxos-onboard')
    .usage('$0 <command> [options]')
    .parserConfiguration({ 'parse-numbers': false, 'parse-positional-numbers': false })
    .strict()
    .demandCommand(1, 'Name a command: validate, plan, apply, graph, emulator.')
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .version()
    .option('debug', { type: 'boolean', default: false, global: true, describe: 'print the stack trace of an unexpected error, for a bug report' })
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .exitProcess(false)
    .fail((message, error) => {
      // yargs reports a flag's bad value (a coerce that threw) as its own YError: that is a usage error too.
      throw error && error.name !== 'YError' ? error : new UsageFailure(error?.message ?? message);
    });
  for (const module of commandModules(io)) parser.command(withoutVersion(module));
  const debug = argv.includes('--debug');
  const json = wantsJson(argv);
  // With --format json, a script reads one format: errors are a JSON object on stdout, as the results are.
  const report = (error: unknown, text: string): void => {
    if (json) writeLine(io.stdout, renderErrorJson(error, { debug }));
    else writeLine(io.stderr, text);
  };
  // With --detailed-exitcode, 2 means "changes"; a CI gate must never read a usage error as that.
  const usageExitCode = argv.includes('--detailed-exitcode') ? 1 : 2;
  try {
    let helpOutput = '';
    const parsing = parser.parseAsync([...argv], {}, (_error, _parsed, output) => {
      helpOutput = output;
    });
    await (stopsAtOnce ? Promise.race([parsing, stopped]) : parsing);
    if (helpOutput) writeLine(io.stdout, helpOutput);
    if (stoppedBy && command === 'apply') return signalExitCode(stoppedBy.signal);
    return io.exitCode;
  } catch (error) {
    if (stoppedBy && (error instanceof CommandInterruptedError || command === 'apply')) {
      report(error, error instanceof CommandInterruptedError ? `Interrupted${stoppedBy.signal ? ` (${stoppedBy.signal})` : ''}: stopped.` : renderError(error, { debug }));
      return signalExitCode(stoppedBy.signal);
    }
    if (error instanceof UsageFailure) {
      const usage = new UsageError(error.message);
      report(usage, `${error.message}\nRun 'paxos-onboard ${command && commandNames.has(command) ? `${command} ` : ''}--help' for usage.`);
      return usageExitCode;
    }
    report(error, renderError(error, { debug }));
    return isPaxosOnboardError(error) && error.code === 'usage' ? usageExitCode : 1;
  }
}

class UsageFailure extends Error {
  override name = 'UsageFailure';
}

const commandNames = new Set(['validate', 'plan', 'apply', 'graph', 'emulator', 'init', 'destroy', 'import']);

/** `--format json` or `--format=json` anywhere on the line: the caller reads JSON, errors included. */
function wantsJson(argv: readonly string[]): boolean {
  return argv.some((word, index) => word === '--format=json' || (word === '--format' && argv[index + 1] === 'json'));
}

/** `--version` belongs to the program, not to each command: yargs lists it in every command's help unless told. */
function withoutVersion(module: CommandModule): CommandModule {
  const builder = module.builder;
  return {
    ...module,
    builder: ((yargs: Argv) => {
      const base = yargs.version(false);
      if (typeof builder === 'function') return builder(base);
      return builder ? base.options(builder) : base;
    }) as CommandModule['builder'],
  };
}
