/**
 * `--data file.json`: the whole state, loaded on start and rewritten
 * atomically (temp file + rename) after writes. Writes are coalesced: at most
 * one in flight, and one more queued if state changed meanwhile; `flush()`
 * waits for the file to hold the latest state.
 */
import { readFile } from 'node:fs/promises';
import { PaxosOnboardError } from '../errors.js';
import { privateFileMode } from '../local-state.js';
import { writeFileAtomically } from '../write-file-atomically.js';
import { createEmptyState, type EmulatorState } from './state.js';

/** The data file cannot be used (unreadable, not JSON, another state version). */
export class EmulatorDataError extends PaxosOnboardError {
  readonly file: string;

  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super('emulator.data', `${file}: ${message}`, options);
    this.name = 'EmulatorDataError';
    this.file = file;
  }
}

/** The state stored in `file`, or a fresh one when the file does not exist. */
export async function loadStateFile(file: string): Promise<EmulatorState> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return createEmptyState();
    throw new EmulatorDataError(file, `cannot read the emulator data file (${(error as Error).message})`, { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new EmulatorDataError(file, 'is not JSON; delete it or point --data at another file', { cause: error });
  }
  const fresh = createEmptyState();
  const version = (parsed as { version?: unknown } | null)?.version;
  if (!parsed || typeof parsed !== 'object' || version !== fresh.version) {
    throw new EmulatorDataError(
      file,
      `holds emulator state version ${JSON.stringify(version)}, this emulator reads version ${fresh.version}; delete the file or use another --data file`,
    );
  }
  // Collections added since the file was written start empty.
  return { ...fresh, ...(parsed as EmulatorState) };
}

export interface StateWriter {
  /** Notes that the state changed; the file is rewritten soon. */
  markDirty(): void;
  /** Resolves once the file holds the state as it is now. */
  flush(): Promise<void>;
}

export function createStateWriter(file: string, state: () => EmulatorState, debounceMs = 20): StateWriter {
  let dirty = false;
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> | undefined;
  let failure: unknown;
  let lastWriteMs = 0;

  const writeOnce = async (): Promise<void> => {
    dirty = false;
    const started = performance.now();
    try {
      // Full SSNs and dates of birth: readable by the user alone (issue 11).
      await writeFileAtomically(file, JSON.stringify(state()), { mode: privateFileMode });
    } catch (error) {
      failure = error;
    }
    lastWriteMs = performance.now() - started;
  };

  // Writing (stringify included) takes at most a tenth of the time: a large state rewritten back to back was most of a 1,000-identity seed.
  const schedule = () => {
    if (timer || writing) return;
    timer = setTimeout(start, Math.max(debounceMs, 9 * lastWriteMs));
    timer.unref();
  };

  const start = () => {
    timer = undefined;
    if (writing) return;
    writing = writeOnce().finally(() => {
      writing = undefined;
      if (dirty) schedule();
    });
  };

  return {
    markDirty() {
      dirty = true;
      schedule();
    },
    async flush() {
      for (;;) {
        if (timer) {
          clearTimeout(timer);
          timer = undefined;
        }
        if (writing) {
          await writing;
          continue;
        }
        if (!dirty) break;
        start();
      }
      if (failure) {
        const error = failure;
        failure = undefined;
        throw new EmulatorDataError(file, `cannot write the emulator data file (${(error as Error).message})`, { cause: error });
      }
    },
  };
}
