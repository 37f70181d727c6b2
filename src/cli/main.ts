import yargs from 'yargs';
import { isPaxosOnboardError } from '../errors.js';
import { commandModules } from './commands/index.js';
import type { CliIo } from './io.js';
import { writeLine } from './io.js';
import { renderError } from './render-error.js';

/**
 * Runs the CLI against the given streams and returns the exit code. The only
 * place that catches: commands and the library throw, this renders.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
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
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .exitProcess(false)
    .fail((message, error) => {
      throw error ?? new UsageFailure(message);
    });
  for (const module of commandModules(io)) parser.command(module);
  // With --detailed-exitcode, 2 means "changes"; a CI gate must never read a usage error as that.
  const usageExitCode = argv.includes('--detailed-exitcode') ? 1 : 2;
  try {
    let helpOutput = '';
    await parser.parseAsync([...argv], {}, (_error, _parsed, output) => {
      helpOutput = output;
    });
    if (helpOutput) writeLine(io.stdout, helpOutput);
    return io.exitCode;
  } catch (error) {
    if (error instanceof UsageFailure) {
      writeLine(io.stderr, `${error.message}\nRun 'paxos-onboard --help' for usage.`);
      return usageExitCode;
    }
    writeLine(io.stderr, renderError(error));
    return isPaxosOnboardError(error) && error.code === 'usage' ? usageExitCode : 1;
  }
}

class UsageFailure extends Error {
  override name = 'UsageFailure';
}
