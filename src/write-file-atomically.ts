/**
 * Writes a file so that a reader never sees half of it: the text goes to a
 * temporary file beside it, which is then renamed over the target. Saved
 * plans, apply's outputs and the emulator's state file all write this way.
 *
 * The file is 0600 unless asked otherwise: each of them can hold personal
 * data (or a holder's pid and command line), and the temporary file is fresh
 * each time, so the mode is set at creation and never races a chmod.
 */
import { rename, rm, writeFile } from 'node:fs/promises';
import { privateFileMode } from './local-state.js';

let sequence = 0;

export async function writeFileAtomically(path: string, text: string, options: { mode?: number } = {}): Promise<void> {
  const temporary = `${path}.${process.pid}.${sequence++}.tmp`;
  try {
    await writeFile(temporary, text, { mode: options.mode ?? privateFileMode });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
}
