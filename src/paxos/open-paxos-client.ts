/**
 * `openPaxosClient(options)`: the target from `--target` and the environment,
 * the embedded emulator started when that is the target, and a client for it.
 * The client's `target.description` is the one-line notice the CLI prints;
 * `client.close()` also stops an emulator started here.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { startEmulator } from '../emulator/start-emulator.js';
import type { PaxosClientOptions } from './client-options.js';
import { createPaxosClient } from './create-paxos-client.js';
import { localEmulatorStateFile, resolveTarget, type ResolveTargetOptions } from './resolve-target.js';
import type { PaxosClient } from './types.js';

export interface OpenPaxosClientOptions extends ResolveTargetOptions {
  onRequest?: PaxosClientOptions['onRequest'];
  pacing?: PaxosClientOptions['pacing'];
  /** The scopes the token asks for: exactly what the run will do (`readScopes` for a plan); default `runScopes`. */
  scopes?: PaxosClientOptions['scopes'];
}

export async function openPaxosClient(options: OpenPaxosClientOptions): Promise<PaxosClient> {
  const resolved = resolveTarget(options);
  const extra: Pick<PaxosClientOptions, 'onRequest' | 'pacing' | 'scopes'> = {};
  if (options.onRequest !== undefined) extra.onRequest = options.onRequest;
  if (options.pacing !== undefined) extra.pacing = options.pacing;
  if (options.scopes !== undefined) extra.scopes = options.scopes;
  if (resolved.kind === 'server') return createPaxosClient({ target: resolved.target, credentials: resolved.credentials, ...extra });

  await mkdir(dirname(resolved.dataFile), { recursive: true });
  // The same rules and limits as the real sandbox (manual approval, Paxos rate limits), so a local run predicts a sandbox run.
  const emulator = await startEmulator({ host: '127.0.0.1', port: 0, dataFile: resolved.dataFile, rateLimits: 'paxos', approve: 'manual' });
  return createPaxosClient({
    target: {
      kind: 'local',
      environment: 'local',
      apiUrl: `${emulator.url}/v2`,
      tokenUrl: `${emulator.url}/oauth2/token`,
      description: `local emulator at ${emulator.url} (state in ${localEmulatorStateFile}; delete it to start over)`,
    },
    credentials: resolved.credentials,
    ...extra,
    onClose: () => emulator.close(),
  });
}
