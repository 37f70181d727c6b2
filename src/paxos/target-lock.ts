/**
 * One run at a time per target on this machine (issue 11): two applies of
 * the same deposits at once would each see them missing and make them twice,
 * and two embedded emulators on one state file would each overwrite the
 * other's objects. The lock is keyed by the target, not by the folder a run
 * starts in, and lives under the user's cache folder so runs from two folders
 * meet on it.
 *
 * proper-lockfile makes the lock (an atomic `mkdir`, its mtime refreshed while
 * held, taken over once stale). Beside it a record names the holder (pid,
 * host, command, since) for the message a waiting run prints, and lets a lock
 * left by a process that died on this host be taken over at once rather than
 * after the staleness period. Taking the lock and writing that record happen
 * under a short second lock, so a record always belongs to the lock it sits
 * beside and two runs can never both take over one dead holder's lock.
 */
import { createHash } from 'node:crypto';
import { readFile, rm, rmdir } from 'node:fs/promises';
import { homedir, hostname } from 'node:os';
import { basename, join } from 'node:path';
import lockfile from 'proper-lockfile';
import { PaxosOnboardError, UsageError } from '../errors.js';
import { ensurePrivateDirectory, privateFileMode } from '../local-state.js';
import { writeFileAtomically } from '../write-file-atomically.js';

/** Overrides where locks are kept (tests; a machine whose cache folder is not shared by its users' runs). */
export const lockDirectoryVariable = 'PAXOS_ONBOARD_LOCK_DIR';
/** Seconds a run waits for another run on its target, when no option says. */
export const lockTimeoutVariable = 'PAXOS_ONBOARD_LOCK_TIMEOUT';
export const defaultLockTimeoutMs = 10_000;

/** Who holds a target's lock, as its record says. */
export interface LockHolder {
  pid: number;
  host: string;
  /** The holder's command line, shortened: `paxos-onboard apply fixtures/a.yaml`. */
  command: string;
  /** RFC 3339: when it took the lock. */
  since: string;
  /** The target, as the holder described it. */
  target: string;
}

export interface TargetLockOptions {
  /** How long to wait for another run to finish; default 10 s (or `PAXOS_ONBOARD_LOCK_TIMEOUT` seconds). 0: do not wait. */
  timeoutMs?: number;
  /** Called once, when the lock is held by another run and this one starts waiting. */
  onWait?: (wait: { target: string; holder: LockHolder | undefined; timeoutMs: number }) => void;
  /** Stops the wait (Ctrl-C). */
  signal?: AbortSignal;
}

export interface HeldTargetLock {
  /** Where the lock lives (for messages and tests). */
  readonly path: string;
  release(): Promise<void>;
}

/** Another run held the lock for the whole wait. */
export class TargetLockedError extends PaxosOnboardError {
  readonly holder: LockHolder | undefined;

  constructor(target: string, holder: LockHolder | undefined, timeoutMs: number) {
    super(
      'target.locked',
      `another run is using ${target}${holder ? ` (${describeHolder(holder)})` : ''} and still was after ${formatSeconds(timeoutMs)}; runs against one target take turns so that nothing is made twice. Wait for it to finish, or wait longer with --lock-timeout`,
    );
    this.name = 'TargetLockedError';
    this.holder = holder;
  }
}

/** The wait for the lock was interrupted (Ctrl-C): nothing was read or sent. */
export class LockWaitInterruptedError extends PaxosOnboardError {
  constructor(target: string) {
    super('target.lock_interrupted', `interrupted while waiting for another run on ${target} to finish; nothing was sent`);
    this.name = 'LockWaitInterruptedError';
  }
}

/** `pid 123 on host, 'paxos-onboard apply a.yaml', since 2024-…` — what a user needs to find the other run. */
export function describeHolder(holder: LockHolder): string {
  const where = holder.host === hostname() ? '' : ` on ${printable(holder.host)}`;
  return `pid ${holder.pid}${where}, '${printable(holder.command)}', since ${printable(holder.since)}`;
}

/** `$PAXOS_ONBOARD_LOCK_DIR`, else `$XDG_CACHE_HOME/paxos-onboard/locks`, else `~/.cache/paxos-onboard/locks`. */
export function lockDirectory(env: NodeJS.ProcessEnv): string {
  const explicit = env[lockDirectoryVariable]?.trim();
  if (explicit) return explicit;
  const cache = env.XDG_CACHE_HOME?.trim() || join(homedir(), '.cache');
  return join(cache, 'paxos-onboard', 'locks');
}

/** The wait from `PAXOS_ONBOARD_LOCK_TIMEOUT` (seconds), when set; a value that is not a number of seconds is a usage error. */
export function lockTimeoutFromEnv(env: NodeJS.ProcessEnv): number | undefined {
  const text = env[lockTimeoutVariable]?.trim();
  if (!text) return undefined;
  return parseLockTimeout(text, lockTimeoutVariable);
}

/** `30`, `30s`, `2m`, `500ms` → milliseconds. */
export function parseLockTimeout(text: string, where = '--lock-timeout'): number {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m)?$/.exec(text.trim());
  if (!match) throw new UsageError(`${where}: '${printable(text)}' is not a duration; write seconds (30), or 30s, 2m, 500ms`);
  const value = Number(match[1]);
  const unit = match[2] ?? 's';
  return Math.round(unit === 'ms' ? value : unit === 'm' ? value * 60_000 : value * 1000);
}

/**
 * Takes the lock of the target named by `key` (see `targetLockKey`), waiting
 * up to the timeout for another run to release it.
 */
export async function acquireTargetLock(key: string, description: string, directory: string, options: TargetLockOptions = {}): Promise<HeldTargetLock> {
  const timeoutMs = options.timeoutMs ?? defaultLockTimeoutMs;
  await ensurePrivateDirectory(directory);
  const name = lockName(key);
  const paths = {
    lock: join(directory, `${name}.lock`),
    record: join(directory, `${name}.holder.json`),
    guard: join(directory, `${name}.guard.lock`),
  };
  const deadline = Date.now() + timeoutMs;
  let announced = false;
  for (;;) {
    if (options.signal?.aborted) throw new LockWaitInterruptedError(description);
    const attempt = await underGuard(paths.guard, () => tryLock(paths, description));
    if (attempt.kind === 'held') return attempt.lock;
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new TargetLockedError(description, attempt.holder, timeoutMs);
    if (!announced) {
      announced = true;
      options.onWait?.({ target: description, holder: attempt.holder, timeoutMs });
    }
    await pause(Math.min(remaining, 150 + Math.random() * 100), options.signal);
  }
}

/**
 * The lock key of a target: the absolute path of the embedded emulator's state
 * file (one state, whichever folder names it), or a server's API URL and the
 * client id (two clients of one server do not share objects).
 */
export function targetLockKey(target: { kind: 'embedded-emulator'; dataFile: string } | { kind: 'server'; apiUrl: string; clientId: string }): string {
  return target.kind === 'embedded-emulator' ? `embedded-emulator ${target.dataFile}` : `server ${target.apiUrl} ${target.clientId}`;
}

type Attempt = { kind: 'held'; lock: HeldTargetLock } | { kind: 'busy'; holder: LockHolder | undefined };

async function tryLock(paths: { lock: string; record: string }, description: string): Promise<Attempt> {
  let release: () => Promise<void>;
  try {
    release = await takeLock(paths.lock);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw lockUnusable(paths.lock, error);
    const holder = await readHolder(paths.record);
    if (!holder || !isDeadHere(holder)) return { kind: 'busy', holder };
    // Its holder died on this host (SIGKILL, a crash): no need to wait out the staleness period.
    await rmdir(paths.lock).catch(() => undefined);
    try {
      release = await takeLock(paths.lock);
    } catch (again) {
      if ((again as NodeJS.ErrnoException).code !== 'ELOCKED') throw lockUnusable(paths.lock, again);
      return { kind: 'busy', holder: await readHolder(paths.record) };
    }
  }
  const holder: LockHolder = { pid: process.pid, host: hostname(), command: commandLine(), since: new Date().toISOString(), target: description };
  try {
    await writeFileAtomically(paths.record, `${JSON.stringify(holder)}\n`, { mode: privateFileMode });
  } catch (error) {
    await release().catch(() => undefined);
    throw lockUnusable(paths.record, error);
  }
  let released = false;
  return {
    kind: 'held',
    lock: {
      path: paths.lock,
      async release() {
        if (released) return;
        released = true;
        // The record first: once the lock is gone, the record may already be the next holder's.
        await rm(paths.record, { force: true }).catch(() => undefined);
        await release().catch(() => undefined);
      },
    },
  };
}

function takeLock(path: string): Promise<() => Promise<void>> {
  return lockfile.lock(path, {
    realpath: false,
    lockfilePath: path,
    // Refreshed every 5 s; a lock not refreshed for 30 s (a holder on another host that died) is taken over.
    stale: 30_000,
    update: 5_000,
    retries: 0,
    // A holder whose lock was taken over as stale (its event loop stalled for 30 s) carries on: failing the run midway would help no one.
    onCompromised: () => undefined,
  });
}

/** Runs `work` while holding the short guard lock of one target. */
async function underGuard<T>(path: string, work: () => Promise<T>): Promise<T> {
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(path, {
      realpath: false,
      lockfilePath: path,
      stale: 5_000,
      retries: { retries: 200, minTimeout: 5, maxTimeout: 50, factor: 1.5, randomize: true },
      onCompromised: () => undefined,
    });
  } catch (error) {
    throw lockUnusable(path, error);
  }
  try {
    return await work();
  } finally {
    await release().catch(() => undefined);
  }
}

async function readHolder(path: string): Promise<LockHolder | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<LockHolder>;
    if (typeof parsed.pid !== 'number' || typeof parsed.host !== 'string') return undefined;
    return { pid: parsed.pid, host: parsed.host, command: String(parsed.command ?? ''), since: String(parsed.since ?? ''), target: String(parsed.target ?? '') };
  } catch {
    return undefined; // no record yet (a holder between taking the lock and writing it), or a torn one
  }
}

/** A holder on this host whose process is gone. Another user's live process answers EPERM: alive. */
function isDeadHere(holder: LockHolder): boolean {
  if (holder.host !== hostname() || holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function lockUnusable(path: string, error: unknown): PaxosOnboardError {
  const code = (error as NodeJS.ErrnoException).code ?? String(error);
  return new PaxosOnboardError('target.lock_unusable', `cannot use the run lock at ${path} (${code}); set ${lockDirectoryVariable} to a writable folder`, { cause: error });
}

/** A file name for the key: readable enough to tell targets apart in a listing, hashed to be unique and safe. */
function lockName(key: string): string {
  const slug = key.replace(/[^A-Za-z0-9.-]+/g, '_').slice(-60);
  return `${slug}-${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
}

/** The holder's command line as a user typed it, shortened; no environment, so nothing secret. */
function commandLine(): string {
  const [, script, ...args] = process.argv;
  const program = script === undefined ? basename(process.argv0) : /cli[\\/]bin\.[jt]s$/.test(script) ? 'paxos-onboard' : basename(script);
  const text = [program, ...args].join(' ');
  return text.length > 160 ? `${text.slice(0, 160)}…` : text;
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

export function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** Another process wrote the record: control characters in it are not echoed to the terminal. */
function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}
