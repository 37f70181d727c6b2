/**
 * `openPaxosClient(options)`: the target from `--target` and the environment,
 * above both the client and the emulator (src/paxos never starts a server):
 * the embedded emulator started when that is the target, and a client for it.
 * The client's `target.description` is the one-line notice the CLI prints;
 * `client.close()` also stops an emulator started here.
 *
 * The target's run lock (`target-lock.ts`) is taken before anything is read
 * (the embedded emulator's state included) and released by `client.close()`,
 * after the emulator has written its state: the whole run holds it.
 */
import { realpath } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { EmulatorOptions } from '../emulator/emulator-options.js';
import { fastTiming, paxosTiming } from '../emulator/domain/money-settings.js';
import { ensurePrivateDirectory } from '../local-state.js';
import type { PaxosClientOptions } from '../paxos/client-options.js';
import { createPaxosClient } from '../paxos/create-paxos-client.js';
import { localEmulatorStateFile, resolveTarget, type ResolveTargetOptions } from '../paxos/resolve-target.js';
import { acquireTargetLock, lockDirectory, lockTimeoutFromEnv, targetLockKey, type HeldTargetLock, type TargetLockOptions } from '../paxos/target-lock.js';
import type { PaxosClient } from '../paxos/types.js';

export interface OpenPaxosClientOptions extends ResolveTargetOptions {
  onRequest?: PaxosClientOptions['onRequest'];
  pacing?: PaxosClientOptions['pacing'];
  /** The scopes the token asks for: exactly what the run will do (`readScopes` for a plan); default `runScopes`. */
  scopes?: PaxosClientOptions['scopes'];
  scopePurpose?: PaxosClientOptions['scopePurpose'];
  onNotice?: PaxosClientOptions['onNotice'];
  rateLimitLockoutMs?: PaxosClientOptions['rateLimitLockoutMs'];
  /** The wait for another run on the same target; the timeout defaults to `PAXOS_ONBOARD_LOCK_TIMEOUT` seconds, else 10 s. */
  lock?: Omit<TargetLockOptions, 'signal'>;
  /** Stops the wait for the target's lock (Ctrl-C). */
  signal?: AbortSignal;
  /**
   * The embedded emulator as the sandbox behaves (Paxos rate limits and
   * pacing, deposits listed after 3 s, orders taken after 0.5 s), to predict
   * a sandbox run's timing. Default: fast (no limits, no pacing, no delays).
   * Other targets ignore it.
   */
  realistic?: boolean;
}

/** The options a command's run passes through to its client unchanged, each only where set. */
const passedThrough = ['target', 'onNotice', 'onRequest', 'pacing', 'realistic', 'lock', 'signal', 'rateLimitLockoutMs'] as const;
export type RunClientOptions = { [K in (typeof passedThrough)[number]]?: OpenPaxosClientOptions[K] | undefined };

/** The client options of one run: where and with which scopes (`base`), plus whatever of `given` the caller set. */
export function clientOptionsForRun(base: Pick<OpenPaxosClientOptions, 'env' | 'cwd' | 'scopes' | 'scopePurpose'>, given: RunClientOptions): OpenPaxosClientOptions {
  const options: OpenPaxosClientOptions = { ...base };
  for (const key of passedThrough) if (given[key] !== undefined) Object.assign(options, { [key]: given[key] });
  return options;
}

/**
 * The embedded emulator's two faces. Both decide identities as the sandbox
 * does (manual: sandbox-status decides at once), so a manifest that applies
 * here applies there; only the timing differs.
 */
export function embeddedEmulatorSettings(realistic: boolean): { emulator: EmulatorOptions; pacing: 'paxos' | 'off' } {
  return realistic
    ? { emulator: { rateLimits: 'paxos', approve: 'manual', ...paxosTiming }, pacing: 'paxos' }
    : { emulator: { rateLimits: 'off', approve: 'manual', ...fastTiming }, pacing: 'off' };
}

export async function openPaxosClient(options: OpenPaxosClientOptions): Promise<PaxosClient> {
  const resolved = resolveTarget(options);
  const extra: Pick<PaxosClientOptions, 'onRequest' | 'pacing' | 'scopes' | 'scopePurpose' | 'onNotice' | 'rateLimitLockoutMs'> = {};
  if (options.rateLimitLockoutMs !== undefined) extra.rateLimitLockoutMs = options.rateLimitLockoutMs;
  if (options.scopePurpose !== undefined) extra.scopePurpose = options.scopePurpose;
  if (options.onNotice !== undefined) extra.onNotice = options.onNotice;
  if (options.onRequest !== undefined) extra.onRequest = options.onRequest;
  if (options.pacing !== undefined) extra.pacing = options.pacing;
  if (options.scopes !== undefined) extra.scopes = options.scopes;
  const lockOptions: TargetLockOptions = { ...options.lock };
  if (lockOptions.timeoutMs === undefined) {
    const fromEnv = lockTimeoutFromEnv(options.env);
    if (fromEnv !== undefined) lockOptions.timeoutMs = fromEnv;
  }
  if (options.signal !== undefined) lockOptions.signal = options.signal;
  const locks = lockDirectory(options.env);

  if (resolved.kind === 'server') {
    const key = targetLockKey({ kind: 'server', apiUrl: resolved.target.apiUrl, clientId: resolved.credentials.clientId });
    const lock = await acquireTargetLock(key, resolved.target.description, locks, lockOptions);
    return releasingOnFailure(lock, async () => createPaxosClient({ target: resolved.target, credentials: resolved.credentials, ...extra, onClose: () => lock.release() }));
  }

  // `.paxos-onboard/` holds full SSNs: the user's alone. A file in its place is a clear error here, not a stack trace later.
  await ensurePrivateDirectory(dirname(resolved.dataFile), { tighten: true });
  // One state, one lock, by whichever path (a symlinked folder, a relative cwd) a run reaches it.
  const dataFile = join(await realpath(dirname(resolve(resolved.dataFile))), basename(resolved.dataFile));
  const lock = await acquireTargetLock(targetLockKey({ kind: 'embedded-emulator', dataFile }), `the local emulator state ${dataFile}`, locks, lockOptions);
  return releasingOnFailure(lock, async () => {
    // Fast unless asked: a local run seeds fixtures; `realistic` predicts a sandbox run's timing.
    const settings = embeddedEmulatorSettings(options.realistic === true);
    // Loaded only for the embedded target: a run against a server never pays for the emulator's modules.
    const { startEmulator } = await import('../emulator/start-emulator.js');
    const emulator = await startEmulator({ host: '127.0.0.1', port: 0, dataFile, ...settings.emulator });
    return createPaxosClient({
      target: {
        kind: 'local',
        environment: 'local',
        apiUrl: `${emulator.url}/v2`,
        tokenUrl: `${emulator.url}/oauth2/token`,
        description: `local emulator at ${emulator.url}${options.realistic === true ? ' with sandbox timing (rate limits, pacing, listing and fill delays)' : ''} (state in ${localEmulatorStateFile}; delete it to start over)`,
      },
      credentials: resolved.credentials,
      pacing: settings.pacing,
      ...extra,
      // The state is flushed by close; only then may the next run read it.
      onClose: async () => {
        try {
          await emulator.close();
        } finally {
          await lock.release();
        }
      },
    });
  });
}

/** Opens what the lock guards; if that fails, the lock is not left held until the process exits. */
async function releasingOnFailure<T>(lock: HeldTargetLock, open: () => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (error) {
    await lock.release();
    throw error;
  }
}
