/**
 * Folders that hold personal data at rest (the embedded emulator's state, the
 * journal, lock records): made 0700, so files written 0600 inside them are not
 * even listed to other users, and a path that cannot be such a folder is a
 * one-line error with a code, never a stack trace from `mkdir`.
 */
import { chmod, mkdir, stat } from 'node:fs/promises';
import { PaxosOnboardError } from './errors.js';

/** Mode of every file that may hold personal data. */
export const privateFileMode = 0o600;
/** Mode of the folders the tool makes for such files. */
export const privateDirectoryMode = 0o700;

/** A local state path (a folder the tool keeps, or a file in it) cannot be used as one. */
export class LocalStateError extends PaxosOnboardError {
  readonly path: string;

  constructor(code: 'local_state.not_a_directory' | 'local_state.not_a_file' | 'local_state.unusable', path: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'LocalStateError';
    this.path = path;
  }
}

/**
 * Makes `directory` (and any missing parent) with mode 0700. With `tighten`,
 * a folder that already exists and is the tool's own (`.paxos-onboard/`) is
 * set to 0700 too; a folder the user named (the one of `--data`) is left as it is.
 */
export async function ensurePrivateDirectory(directory: string, options: { tighten?: boolean } = {}): Promise<void> {
  try {
    await mkdir(directory, { recursive: true, mode: privateDirectoryMode });
  } catch (error) {
    throw unusablePath(directory, error);
  }
  const found = await stat(directory).catch((error: unknown) => {
    throw unusablePath(directory, error);
  });
  if (!found.isDirectory()) throw new LocalStateError('local_state.not_a_directory', directory, `${directory} is not a folder; the tool keeps its local state there: move or delete it`);
  if (options.tighten === true && (found.mode & 0o077) !== 0 && typeof process.getuid === 'function' && found.uid === process.getuid()) {
    await chmod(directory, privateDirectoryMode).catch(() => undefined);
  }
}

/** `mkdir`'s errors as a user reads them: which path, and what to do. */
function unusablePath(directory: string, error: unknown): LocalStateError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EEXIST' || code === 'ENOTDIR') {
    return new LocalStateError('local_state.not_a_directory', directory, `${directory}: a file stands where a folder is needed (${code}); the tool keeps its local state there: move or delete the file`, { cause: error });
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new LocalStateError('local_state.unusable', directory, `${directory}: permission denied; the tool keeps its local state there: make it writable, or run from another folder`, { cause: error });
  }
  return new LocalStateError('local_state.unusable', directory, `${directory} cannot be used for local state (${code ?? String(error)})`, { cause: error });
}
