import type { CommandModule } from 'yargs';
import type { CliIo } from '../io.js';

/** Every command, one file each; each file exports a function of the IO it writes to. */
export function commandModules(io: CliIo): CommandModule[] {
  const modules: CommandModule[] = [];
  void io;
  return modules;
}
