import { resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { UsageError } from '../../errors.js';
import {
  defaultSeed,
  parseApprovalMode,
  parseDuration,
  parseFaultSpec,
  parseNonNegativeInteger,
  type EmulatorOptions,
  type FaultSpec,
} from '../../emulator/emulator-options.js';
import type { ApprovalMode } from '../../emulator/framework.js';
import { startEmulator, type RunningEmulator } from '../../emulator/start-emulator.js';
import { runScopes } from '../../paxos/types.js';
import { writeLine, type CliIo } from '../io.js';

interface EmulatorArgs {
  host: string;
  port: string;
  latency?: string;
  approve: string;
  'rate-limits': 'paxos' | 'off';
  'rate-window': string;
  lockout: string;
  faults?: string;
  seed?: string;
  data?: string;
  'webhook-url'?: string;
  'client-id'?: string;
  'client-secret'?: string;
}

/** Flags to `startEmulator` options; every bad value is a UsageError saying what to write. */
export function buildEmulatorOptions(args: EmulatorArgs): EmulatorOptions {
  if ((args['client-id'] === undefined) !== (args['client-secret'] === undefined)) {
    throw new UsageError('--client-id and --client-secret go together; give both, or neither to accept any credentials');
  }
  if (args['client-id'] === '' || args['client-secret'] === '') throw new UsageError('--client-id and --client-secret must not be empty');
  if (args['webhook-url'] !== undefined && !/^https?:\/\/\S+$/.test(args['webhook-url'])) {
    throw new UsageError(`--webhook-url: '${args['webhook-url']}' is not an http(s) URL; write e.g. http://127.0.0.1:8080/webhooks`);
  }
  const options: EmulatorOptions = {
    host: args.host,
    port: parseNonNegativeInteger(args.port, '--port'),
    approve: parseApprovalMode(args.approve),
    rateLimits: args['rate-limits'],
    rateWindowMs: positive(parseDuration(args['rate-window'], '--rate-window'), '--rate-window'),
    lockoutMs: parseDuration(args.lockout, '--lockout'),
    seed: args.seed === undefined ? defaultSeed : parseNonNegativeInteger(args.seed, '--seed'),
  };
  if (args.latency !== undefined) options.latencyMs = parseNonNegativeInteger(args.latency, '--latency');
  if (args.faults !== undefined) options.faults = parseFaultSpec(args.faults);
  if (args.data !== undefined) options.dataFile = args.data;
  if (args['webhook-url'] !== undefined) options.webhookUrl = args['webhook-url'];
  if (args['client-id'] !== undefined && args['client-secret'] !== undefined) {
    options.clientId = args['client-id'];
    options.clientSecret = args['client-secret'];
  }
  return options;
}

function positive(ms: number, flag: string): number {
  if (ms <= 0) throw new UsageError(`${flag} must be longer than 0; write e.g. ${flag} 300s`);
  return ms;
}

/** What the user needs to start calling: URLs, credentials (never the secret), settings, a curl line. */
export function describeEmulator(emulator: RunningEmulator, options: EmulatorOptions): string {
  const approval = options.approve as ApprovalMode;
  const faults = options.faults as FaultSpec | undefined;
  const clientId = options.clientId ?? 'my-client';
  const lines = [
    `Paxos emulator listening on ${emulator.url}`,
    `  API:          ${emulator.url}/v2`,
    `  Token URL:    ${emulator.url}/oauth2/token`,
    options.clientId === undefined
      ? '  Credentials:  any non-empty client id and client secret'
      : `  Credentials:  client id '${options.clientId}' with the client secret given by --client-secret`,
    `  Approvals:    ${approval.kind === 'after' ? `automatic after ${approval.delayMs}ms` : approval.kind === 'auto' ? 'automatic' : 'manual: PUT /v2/identity/identities/{id}/sandbox-status'}`,
    `  Rate limits:  ${options.rateLimits === 'off' ? 'off' : `Paxos table, averaged over ${(options.rateWindowMs ?? 0) / 1000}s, lockout ${(options.lockoutMs ?? 0) / 1000}s`}`,
    `  Faults:       ${describeFaults(faults)} (seed ${emulator.seed})`,
    `  Latency:      ${options.latencyMs ?? 0}ms`,
    `  State:        ${options.dataFile ? `persisted to ${options.dataFile}` : 'in memory (use --data <file.json> to keep it)'}`,
  ];
  if (options.webhookUrl) lines.push(`  Webhooks:     ${options.webhookUrl}`);
  lines.push(
    '',
    'Get a token:',
    `  curl -s -X POST ${emulator.url}/oauth2/token -d grant_type=client_credentials -d client_id=${clientId} -d client_secret=${options.clientId === undefined ? 'my-secret' : '"$PAXOS_CLIENT_SECRET"'} -d 'scope=${runScopes.join(' ')}'`,
    '',
    'Press Ctrl-C to stop.',
  );
  return lines.join('\n');
}

function describeFaults(faults: FaultSpec | undefined): string {
  if (!faults) return 'none';
  const parts = [];
  if (faults.serverError > 0) parts.push(`5xx=${faults.serverError}`);
  if (faults.resetAfterCommit > 0) parts.push(`reset-after-commit=${faults.resetAfterCommit}`);
  if (faults.latencyJitterMs > 0) parts.push(`latency-jitter=${faults.latencyJitterMs}`);
  return parts.length > 0 ? parts.join(',') : 'none';
}

/**
 * `paxos-onboard emulator`: serves the Paxos-compatible emulator until
 * interrupted (Ctrl-C), then closes connections and flushes `--data`.
 */
export function emulatorCommand(io: CliIo): CommandModule<object, EmulatorArgs> {
  return {
    command: 'emulator',
    describe: 'Run the stateful Paxos-compatible emulator (OAuth token endpoint + /v2 API) until Ctrl-C',
    builder: (yargs: Argv) =>
      yargs
        .option('host', { type: 'string', default: '127.0.0.1', describe: 'address to listen on' })
        .option('port', { type: 'string', default: '4010', describe: 'port to listen on (0: any free port)' })
        .option('latency', { type: 'string', describe: 'milliseconds added before every answer' })
        .option('approve', { type: 'string', default: 'manual', describe: 'identity decisions: manual | auto | after:<duration>' })
        .option('rate-limits', { choices: ['paxos', 'off'] as const, default: 'paxos' as const, describe: 'enforce the Paxos rate-limit table' })
        .option('rate-window', { type: 'string', default: '300s', describe: 'window the rate limits are averaged over' })
        .option('lockout', { type: 'string', default: '300s', describe: 'how long a client that exceeded a limit gets 429' })
        .option('faults', { type: 'string', describe: 'e.g. 5xx=0.05,reset-after-commit=0.02,latency-jitter=20' })
        .option('seed', { type: 'string', describe: `seed of the fault generator (default ${defaultSeed})` })
        .option('data', { type: 'string', describe: 'persist the state to this JSON file and reload it on start' })
        .option('webhook-url', { type: 'string', describe: 'POST a webhook for every event to this URL' })
        .option('client-id', { type: 'string', describe: 'accept only this client id (with --client-secret)' })
        .option('client-secret', { type: 'string', describe: 'accept only this client secret (with --client-id)' }) as unknown as Argv<EmulatorArgs>,
    handler: async (args) => {
      const options = buildEmulatorOptions(args);
      if (options.dataFile !== undefined) options.dataFile = resolve(io.cwd, options.dataFile);
      const emulator = await startEmulator(options);
      writeLine(io.stdout, describeEmulator(emulator, options));
      await io.interrupted;
      writeLine(io.stdout, 'Stopping the emulator…');
      await emulator.close();
      writeLine(io.stdout, options.dataFile ? `Stopped; state saved to ${options.dataFile}.` : 'Stopped.');
    },
  };
}
