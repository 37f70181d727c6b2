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
  /**
   * Resolves on the first SIGINT/SIGTERM, with its name when known: the
   * emulator stops, apply starts nothing more, validate and plan stop at once.
   */
  interrupted: Promise<NodeJS.Signals | void>;
  /**
   * Aborted when `interrupted` resolves, for library calls (the wait for a
   * target's lock); `runCli` makes it when the caller gives none.
   */
  signal?: AbortSignal;
  exitCode: number;
  /** The command line as typed, for messages that quote a flag's value (set by `runCli`). */
  argv?: readonly string[];
}

/** 128 + the signal's number, as shells report a process a signal stopped: 130 for SIGINT, 143 for SIGTERM. */
export function signalExitCode(signal: NodeJS.Signals | void): number {
  return signal === 'SIGTERM' ? 143 : signal === 'SIGHUP' ? 129 : 130;
}

export function writeLine(stream: Writable, text = ''): void {
  stream.write(`${text}\n`);
}
