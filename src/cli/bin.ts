#!/usr/bin/env node
import { runCli } from './main.js';

const interrupted = new Promise<void>((resolve) => {
  process.once('SIGINT', resolve);
  process.once('SIGTERM', resolve);
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
// The one place that exits: let buffered output drain first.
process.stdout.write('', () => process.exit(code));
