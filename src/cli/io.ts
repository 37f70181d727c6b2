import type { Readable, Writable } from 'node:stream';

/**
 * Where a command writes, and where it reports its exit code. Passed in rather
 * than taken from `process`, so tests run the CLI in-process and read what a
 * user would see.
 */
export interface CliIo {
  /** Where a confirmation is read from; absent (tests, pipes): nothing is asked. */
  stdin?: Readable & { isTTY?: boolean };
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Resolves when the user asks a long-running command (the emulator) to stop. */
  interrupted: Promise<void>;
  exitCode: number;
}

export function writeLine(stream: Writable, text = ''): void {
  stream.write(`${text}\n`);
}
