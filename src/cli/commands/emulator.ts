import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { localPollIntervalMs, type ApplyManifestOptions } from '../../apply/apply-options.js';
import type { ApplyOutputs } from '../../apply/apply-types.js';
import { PaxosOnboardError, UsageError } from '../../errors.js';
import type { PaxosCredentials } from '../../paxos/client-options.js';
import { clientIdVariable, clientSecretVariable as paxosClientSecretVariable, placeholderCredentials } from '../../paxos/resolve-target.js';
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
import { leniencies, leniencyNames, parseLeniencies } from '../../emulator/leniency.js';
import { knownScopes } from '../../emulator/spec/spec-data.js';
import { fastTiming, paxosTiming } from '../../emulator/domain/money-settings.js';
import type { RunningEmulator } from '../../emulator/start-emulator.js';
import { runScopes } from '../../paxos/types.js';
import { writeLine, type CliIo } from '../io.js';
import { withRelativeIssues } from './plan.js';
import { wholeNumberOption } from '../number-flag.js';

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
  'client-secret-file'?: string;
  'client-scopes'?: string;
  lenient?: string;
  'listing-delay': string;
  'fill-delay': string;
  'seed-manifest'?: string[];
  outputs?: string;
  'ready-json': boolean;
}

/** The environment variable a client secret may come from, so it stays out of `ps`. */
export const clientSecretVariable = 'PAXOS_EMULATOR_CLIENT_SECRET';

/**
 * The client secret from `--client-secret`, `--client-secret-file` (relative
 * to `cwd`; one trailing newline dropped) or `PAXOS_EMULATOR_CLIENT_SECRET`,
 * in that order; giving both flags is a UsageError.
 */
function readClientSecret(args: EmulatorArgs, context: { env: NodeJS.ProcessEnv; cwd: string }): string | undefined {
  if (args['client-secret'] !== undefined && args['client-secret-file'] !== undefined) {
    throw new UsageError('--client-secret and --client-secret-file both give the secret; give one (the file, or the environment variable, keeps it out of `ps`)');
  }
  if (args['client-secret'] !== undefined) return args['client-secret'];
  const file = args['client-secret-file'];
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(resolve(context.cwd, file), 'utf8');
    } catch (error) {
      throw new UsageError(`--client-secret-file: cannot read '${file}' (${(error as NodeJS.ErrnoException).code ?? 'error'}); write the path of a file holding only the secret`);
    }
    return text.replace(/\r?\n$/, '');
  }
  return context.env[clientSecretVariable];
}

function parseClientScopes(text: string): string[] {
  const scopes = text.split(/[\s,]+/).filter(Boolean);
  const unknown = scopes.filter((scope) => !knownScopes.has(scope));
  if (scopes.length === 0 || unknown.length > 0) {
    throw new UsageError(`--client-scopes: ${unknown.length > 0 ? `'${unknown.join(' ')}' ${unknown.length > 1 ? 'are not scopes' : 'is not a scope'} of the Paxos spec` : 'no scope given'}; write e.g. --client-scopes "identity:read_identity events:read_event"`);
  }
  return scopes;
}

/** Flags to `startEmulator` options; every bad value is a UsageError saying what to write. */
export function buildEmulatorOptions(args: EmulatorArgs, context: { env: NodeJS.ProcessEnv; cwd: string } = { env: {}, cwd: process.cwd() }): EmulatorOptions {
  const clientSecret = readClientSecret(args, context);
  if ((args['client-id'] === undefined) !== (clientSecret === undefined)) {
    throw new UsageError(`--client-id and --client-secret go together (the secret may come from --client-secret-file or ${clientSecretVariable}); give both, or neither to accept any credentials`);
  }
  if (args['client-id'] === '' || clientSecret === '') throw new UsageError('--client-id and --client-secret must not be empty');
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
    // The command predicts Paxos: its timing is the sandbox's unless the flags say otherwise (the library's default is no delay).
    transferListingDelayMs: parseDuration(args['listing-delay'] ?? '3s', '--listing-delay'),
    orderFillDelayMs: parseDuration(args['fill-delay'] ?? '500ms', '--fill-delay'),
  };
  if (args.latency !== undefined) options.latencyMs = parseNonNegativeInteger(args.latency, '--latency');
  if (args.faults !== undefined) options.faults = parseFaultSpec(args.faults);
  if (args.data !== undefined) options.dataFile = args.data;
  if (args['webhook-url'] !== undefined) options.webhookUrl = args['webhook-url'];
  if (args['client-id'] !== undefined && clientSecret !== undefined) {
    options.clientId = args['client-id'];
    options.clientSecret = clientSecret;
  }
  if (args['client-scopes'] !== undefined) options.clientScopes = parseClientScopes(args['client-scopes']);
  if (args.lenient !== undefined) options.lenient = parseLeniencies(args.lenient);
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
      : `  Credentials:  client id '${options.clientId}' with the client secret given`,
    `  Scopes:       ${options.clientScopes ? options.clientScopes.join(' ') : 'every scope of the Paxos spec'}`,
    `  Approvals:    ${approval.kind === 'after' ? `automatic after ${approval.delayMs}ms` : approval.kind === 'auto' ? 'automatic' : 'manual: PUT /v2/identity/identities/{id}/sandbox-status'}`,
    `  Rate limits:  ${options.rateLimits === 'off' ? 'off' : `Paxos table, averaged over ${(options.rateWindowMs ?? 0) / 1000}s, lockout ${(options.lockoutMs ?? 0) / 1000}s`}`,
    `  Faults:       ${describeFaults(faults)} (seed ${emulator.seed})`,
    `  Latency:      ${options.latencyMs ?? 0}ms`,
    `  Timing:       deposits listed after ${options.transferListingDelayMs ?? 0}ms, orders taken by the book after ${options.orderFillDelayMs ?? 0}ms`,
    `  Leniencies:   ${options.lenient && options.lenient.length > 0 ? options.lenient.join(', ') : 'none: as strict as documented Paxos'}`,
    `  State:        ${options.dataFile ? `persisted to ${options.dataFile}` : 'in memory (use --data <file.json> to keep it)'}`,
  ];
  if (options.webhookUrl) lines.push(`  Webhooks:     ${options.webhookUrl}`);
  lines.push(
    '',
    'Get a token:',
    `  curl -s -X POST ${emulator.url}/oauth2/token -d grant_type=client_credentials -d client_id=${clientId} -d client_secret=${options.clientId === undefined ? 'my-secret' : '"$PAXOS_CLIENT_SECRET"'} -d 'scope=${(options.clientScopes ?? runScopes).join(' ')}'`,
    '',
    'Press Ctrl-C to stop.',
  );
  return lines.join('\n');
}

/** What `--ready-json` prints: where to connect, with what, and the seeded ids. */
export interface ReadyLine {
  /** Base URL; the API is under `/v2`. */
  url: string;
  apiUrl: string;
  tokenUrl: string;
  clientId: string;
  /** The secret given with --client-id, or a placeholder the emulator accepts when any credentials are. */
  clientSecret: string;
  /** The seeded world's outputs (as `apply --outputs` writes them), or null without --seed-manifest. */
  outputs: ApplyOutputs | null;
}

function readyLine(emulator: RunningEmulator, options: EmulatorOptions, outputs: ApplyOutputs | null): ReadyLine {
  const url = reachableUrl(emulator.url);
  const credentials = emulatorCredentials(options);
  return { url, apiUrl: `${url}/v2`, tokenUrl: `${url}/oauth2/token`, clientId: credentials.clientId, clientSecret: credentials.clientSecret, outputs };
}

/** The credentials a client should use: the ones the emulator demands, or placeholders when it takes any. */
function emulatorCredentials(options: EmulatorOptions): PaxosCredentials {
  return options.clientId !== undefined && options.clientSecret !== undefined ? { clientId: options.clientId, clientSecret: options.clientSecret } : { ...placeholderCredentials };
}

/** An emulator listening on every address (0.0.0.0, ::) is reached on this machine through loopback. */
function reachableUrl(url: string): string {
  return url.replace('//0.0.0.0:', '//127.0.0.1:').replace('//[::]:', '//[::1]:');
}

function pickTiming(options: EmulatorOptions): Pick<EmulatorOptions, 'orderFillDelayMs' | 'transferListingDelayMs'> {
  return { orderFillDelayMs: options.orderFillDelayMs ?? paxosTiming.orderFillDelayMs, transferListingDelayMs: options.transferListingDelayMs ?? paxosTiming.transferListingDelayMs };
}

/**
 * Applies the seed manifests through the library, as `apply` would against
 * this emulator's URL, unpaced and polling often (the emulator answers at
 * once). Any resource that does not converge stops the command: a test suite
 * must not start against half a world.
 */
async function seedEmulator(emulator: RunningEmulator, manifests: readonly string[], options: EmulatorOptions, io: CliIo, outputsFile: string | undefined): Promise<ApplyOutputs> {
  const credentials = emulatorCredentials(options);
  const applyOptions: ApplyManifestOptions = {
    // The manifests' ${env:} come from the environment; the credentials are the emulator's own.
    env: { ...io.env, [clientIdVariable]: credentials.clientId, [paxosClientSecretVariable]: credentials.clientSecret },
    cwd: io.cwd,
    target: reachableUrl(emulator.url),
    pacing: 'off',
    // Seeding runs with no delays: it settles at the next request, as the fast embedded target does.
    pollIntervalMs: localPollIntervalMs,
    onNotice: (message) => writeLine(io.stderr, message),
  };
  if (outputsFile !== undefined) applyOptions.outputs = outputsFile;
  if (io.signal !== undefined) applyOptions.signal = io.signal;
  const { applyManifest } = await import('../../apply/apply-manifest.js');
  const result = await withRelativeIssues(applyManifest(manifests, applyOptions), io.cwd);
  if (result.summary.failed) {
    const failed = Object.entries(result.outputs.resources).filter(([, output]) => output.outcome === 'failed' || output.outcome === 'blocked' || output.outcome === 'skipped');
    const lines = failed.slice(0, 10).map(([address, output]) => `  ${address}: ${output.outcome}${output.error ? ` (${output.error.code}: ${output.error.message})` : ''}`);
    throw new PaxosOnboardError('emulator.seed_failed', `seeding ${manifests.join(', ')} did not converge; the emulator stopped:\n${lines.join('\n')}${failed.length > 10 ? `\n  … and ${failed.length - 10} more` : ''}`);
  }
  return result.outputs;
}

/**
 * The `--help` epilogue: every leniency with its one line, from the table in
 * leniency.ts. Wrapped here to 78 columns with a hanging indent, because yargs
 * would wrap the long lines to the left margin.
 */
export function describeLeniencies(): string {
  const width = Math.max(...leniencyNames.map((name) => name.length));
  const indent = ' '.repeat(width + 4);
  const lines = ['Leniencies (--lenient a,b or all; off by default, as strict as documented Paxos):'];
  for (const name of leniencyNames) {
    let line = `  ${name.padEnd(width)}  `;
    for (const word of leniencies[name].split(' ')) {
      if (line.length + word.length > 78 && line.trim() !== name) {
        lines.push(line.trimEnd());
        line = indent;
      }
      line += `${word} `;
    }
    lines.push(line.trimEnd());
  }
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
        .option('port', wholeNumberOption('port', { min: 0, max: 65535, example: 4010, default: 4010, describe: 'port to listen on (0: any free port)' }, io.argv))
        .option('latency', wholeNumberOption('latency', { min: 0, example: 50, describe: 'milliseconds added before every answer' }, io.argv))
        .option('approve', { type: 'string', default: 'manual', describe: 'identity decisions: manual | auto | after:<duration>' })
        .option('rate-limits', { choices: ['paxos', 'off'] as const, default: 'paxos' as const, describe: 'enforce the Paxos rate-limit table' })
        .option('rate-window', { type: 'string', default: '300s', describe: 'window the rate limits are averaged over' })
        .option('lockout', { type: 'string', default: '300s', describe: 'how long every client from an address that exceeded a limit gets 429' })
        .option('faults', { type: 'string', describe: 'e.g. 5xx=0.05,reset-after-commit=0.02,latency-jitter=20' })
        .option('seed', wholeNumberOption('seed', { min: 0, example: 42, describe: `seed of the fault generator (default ${defaultSeed})` }, io.argv))
        .option('data', { type: 'string', describe: 'persist the state to this JSON file and reload it on start' })
        .option('webhook-url', { type: 'string', describe: 'POST a webhook for every event to this URL' })
        .option('client-id', { type: 'string', describe: 'accept only this client id (with --client-secret)' })
        .option('client-secret', { type: 'string', describe: `accept only this client secret (with --client-id); visible in ps: prefer --client-secret-file or ${clientSecretVariable}` })
        .option('client-secret-file', { type: 'string', describe: 'read the client secret from this file (with --client-id)' })
        .option('client-scopes', { type: 'string', describe: 'scopes the credential may ask for, space separated; others get 400 invalid_scope (default: all)' })
        .option('lenient', { type: 'string', describe: 'kindnesses beyond documented Paxos, comma separated, or all (listed below; default none)' })
        .option('listing-delay', { type: 'string', default: '3s', describe: 'how long a sandbox deposit stays out of the transfer listing and the balance (0: until the next request)' })
        .option('fill-delay', { type: 'string', default: '500ms', describe: 'how long a new order waits for the book (0: until the next request)' })
        .option('seed-manifest', { type: 'string', array: true, describe: 'apply these manifests (files or folders) before serving, unpaced; their ids go to --outputs and the ready line' })
        .option('outputs', { type: 'string', describe: 'write the seeded ids and statuses (no PII) to this JSON file' })
        .option('ready-json', { type: 'boolean', default: false, describe: 'print one JSON line (url, tokenUrl, clientId, clientSecret, outputs) on stdout once ready, and nothing else there' })
        .epilogue(describeLeniencies()) as unknown as Argv<EmulatorArgs>,
    handler: async (args) => {
      const options = buildEmulatorOptions(args, io);
      if (options.dataFile !== undefined) options.dataFile = resolve(io.cwd, options.dataFile);
      const seeds = args['seed-manifest'] ?? [];
      if (args.outputs !== undefined && seeds.length === 0) throw new UsageError('--outputs writes the ids of what --seed-manifest seeds; give the manifests to seed, e.g. --seed-manifest fixtures/world.yaml');
      // With --ready-json stdout is the machine's: one line. People read stderr.
      const human = args['ready-json'] ? io.stderr : io.stdout;
      // Seeding is the user's own setup, not traffic to judge: no limits, no delays; the flags' settings apply once it is done.
      const { startEmulator } = await import('../../emulator/start-emulator.js');
      const emulator = await startEmulator(seeds.length > 0 ? { ...options, rateLimits: 'off', ...fastTiming } : options);
      try {
        let outputs: ApplyOutputs | null = null;
        if (seeds.length > 0) {
          outputs = await seedEmulator(emulator, seeds, options, io, args.outputs);
          emulator.configure({ rateLimits: options.rateLimits ?? 'paxos', ...pickTiming(options) });
        }
        if (outputs) writeLine(human, `Seeded ${Object.keys(outputs.resources).length} resource(s) from ${seeds.join(', ')}${args.outputs !== undefined ? `; ids written to ${args.outputs}` : ''}.\n`);
        writeLine(human, describeEmulator(emulator, options));
        if (args['ready-json']) writeLine(io.stdout, JSON.stringify(readyLine(emulator, options, outputs)));
      } catch (error) {
        await emulator.close();
        throw error;
      }
      await io.interrupted;
      writeLine(human, 'Stopping the emulator…');
      await emulator.close();
      writeLine(human, options.dataFile ? `Stopped; state saved to ${options.dataFile}.` : 'Stopped.');
    },
  };
}
