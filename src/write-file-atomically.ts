/**
 * Writes a file so that a reader never sees half of it: the text goes to a
 * temporary file beside it, which is then renamed over the target. Saved
 * plans, apply's outputs and the emulator's state file all write this way.
 */
import { rename, rm, writeFile } from 'node:fs/promises';

let sequence = 0;

export async function writeFileAtomically(path: string, text: string, options: { mode?: number } = {}): Promise<void> {
  const temporary = `${path}.${process.pid}.${sequence++}.tmp`;
  try {
    await writeFile(temporary, text, options.mode === undefined ? {} : { mode: options.mode });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
}
