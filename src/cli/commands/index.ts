import type { CommandModule } from 'yargs';
import type { CliIo } from '../io.js';
import { applyCommand } from './apply.js';
import { destroyCommand } from './destroy.js';
import { emulatorCommand } from './emulator.js';
import { graphCommand } from './graph.js';
import { importCommand } from './import.js';
import { initCommand } from './init.js';
import { planCommand } from './plan.js';
import { validateCommand } from './validate.js';

/** Every command, one file each; each file exports a function of the IO it writes to. */
export function commandModules(io: CliIo): CommandModule[] {
  const modules: CommandModule[] = [];
  modules.push(validateCommand(io) as unknown as CommandModule);
  modules.push(planCommand(io) as unknown as CommandModule);
  modules.push(applyCommand(io) as unknown as CommandModule);
  modules.push(destroyCommand(io) as unknown as CommandModule);
  modules.push(graphCommand(io) as unknown as CommandModule);
  modules.push(emulatorCommand(io) as unknown as CommandModule);
  modules.push(initCommand(io) as unknown as CommandModule);
  modules.push(importCommand(io) as unknown as CommandModule);
  return modules;
}
