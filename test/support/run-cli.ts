import { PassThrough } from 'node:stream';
import { runCli } from '../../src/cli/main.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process, as a user would from a shell, and captures what it prints. */
export async function runCliForTest(
  argv: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; interrupted?: Promise<void>; terminal?: { answer: string } } = {},
): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  // A terminal: every stream says it is a TTY (with a width), and the user types `answer` when asked.
  const terminal = options.terminal;
  if (terminal) for (const stream of [stdout, stderr]) Object.assign(stream, { isTTY: true, columns: 100 });
  const stdin = terminal ? Object.assign(new PassThrough(), { isTTY: true }) : undefined;
  if (stdin && terminal) stdin.end(`${terminal.answer}\n`);
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const code = await runCli(argv, {
    ...(stdin ? { stdin } : {}),
    stdout,
    stderr,
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    interrupted: options.interrupted ?? new Promise<void>(() => {}),
    exitCode: 0,
  });
  return { code, stdout: out, stderr: err };
}
