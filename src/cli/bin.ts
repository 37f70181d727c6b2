#!/usr/bin/env node
import { writeSync } from 'node:fs';
import { isatty } from 'node:tty';
import { signalExitCode } from './io.js';
import { runCli } from './main.js';

/**
 * Signals, the only place: the first SIGINT/SIGTERM/SIGHUP is handed to the
 * command (validate and plan stop at once, apply starts nothing more and lets
 * its calls finish, the emulator shuts down); a second one exits now.
 */
let signals = 0;
let onFirstSignal: (signal: NodeJS.Signals) => void = () => undefined;
const interrupted = new Promise<NodeJS.Signals>((resolve) => (onFirstSignal = resolve));
const onSignal = (signal: NodeJS.Signals): void => {
  signals += 1;
  if (signals === 1) onFirstSignal(signal);
  else process.exit(signalExitCode(signal));
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);

/**
 * listr2 hides the cursor while apply's progress is drawn; however the process
 * ends (a second Ctrl-C included), the terminal gets it back. Written straight
 * to the file descriptor: listr2 buffers what goes through the stream object.
 */
process.on('exit', () => {
  for (const fd of [2, 1]) {
    if (!isatty(fd)) continue;
    try {
      writeSync(fd, '\x1b[?25h');
    } catch {
      // The terminal is gone: nothing to restore.
    }
    return;
  }
});

const code = await runCli(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  interrupted,
  exitCode: 0,
});
process.exitCode = code;
// The one place that exits: let buffered output drain first, but not forever (a reader that stopped reading).
setTimeout(() => process.exit(code), 2000).unref();
process.stdout.write('', () => process.exit(code));
