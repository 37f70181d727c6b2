/**
 * Which Paxos a run talks to, from `--target` and the environment
 * (DESIGN.md "Commands"): credentials in the environment mean the sandbox,
 * none mean the embedded emulator, production only when named.
 */
import { join } from 'node:path';
import { PaxosOnboardError, UsageError } from '../errors.js';
import type { PaxosCredentials } from './client-options.js';
import type { Target } from './types.js';

export interface ResolveTargetOptions {
  /**
   * `local` | `sandbox` | `production` | an http(s) URL of a Paxos-compatible server (never a paxos.com host; the
   * environment's credentials only over https or to a loopback host); absent: decided by the environment.
   */
  target?: string;
  /** Where `PAXOS_CLIENT_ID` and `PAXOS_CLIENT_SECRET` are read. */
  env: NodeJS.ProcessEnv;
  /** The local emulator keeps its state under `<cwd>/.paxos-onboard/`. */
  cwd: string;
}

/**
 * A server to talk to, or the embedded emulator still to be started (its URL
 * is known only once it listens; `openPaxosClient` starts it).
 */
export type ResolvedTarget =
  | { kind: 'server'; target: Target; credentials: PaxosCredentials }
  | { kind: 'embedded-emulator'; dataFile: string; credentials: PaxosCredentials };

export const clientIdVariable = 'PAXOS_CLIENT_ID';
export const clientSecretVariable = 'PAXOS_CLIENT_SECRET';
/** Any non-empty pair works against an emulator started without `--client-id`. */
export const placeholderCredentials: Readonly<PaxosCredentials> = { clientId: 'paxos-onboard-local', clientSecret: 'paxos-onboard-local-secret' };
/** Relative to the working directory; `.paxos-onboard/` is the tool's own folder. */
export const localEmulatorStateFile = join('.paxos-onboard', 'local-emulator.json');

const cloud = {
  sandbox: { apiUrl: 'https://api.sandbox.paxos.com/v2', tokenUrl: 'https://oauth.sandbox.paxos.com/oauth2/token' },
  production: { apiUrl: 'https://api.paxos.com/v2', tokenUrl: 'https://oauth.paxos.com/oauth2/token' },
} as const;

export function resolveTarget(options: ResolveTargetOptions): ResolvedTarget {
  const credentials = readCredentials(options.env);
  const name = options.target?.trim();
  if (name === undefined || name === '') {
    if (credentials.kind === 'partial') throw missingCredentials(credentials.missing, 'the Paxos sandbox (chosen because the other one is set)');
    return credentials.kind === 'complete' ? cloudTarget('sandbox', credentials.value) : embedded(options.cwd);
  }
  if (name === 'local') return embedded(options.cwd);
  if (name === 'sandbox' || name === 'production') {
    if (credentials.kind !== 'complete') {
      throw missingCredentials(credentials.kind === 'partial' ? credentials.missing : [clientIdVariable, clientSecretVariable], `--target ${name}`);
    }
    return cloudTarget(name, credentials.value);
  }
  if (/^https?:\/\//i.test(name)) return urlTarget(name, credentials);
  throw new UsageError(`--target: '${name}' is not a target; write local, sandbox, production, or the URL of a Paxos-compatible server (e.g. http://127.0.0.1:4010)`);
}

type CredentialsFound = { kind: 'complete'; value: PaxosCredentials } | { kind: 'partial'; missing: string[] } | { kind: 'none' };

function readCredentials(env: NodeJS.ProcessEnv): CredentialsFound {
  const clientId = env[clientIdVariable]?.trim() ?? '';
  const clientSecret = env[clientSecretVariable]?.trim() ?? '';
  if (clientId !== '' && clientSecret !== '') return { kind: 'complete', value: { clientId, clientSecret } };
  if (clientId === '' && clientSecret === '') return { kind: 'none' };
  return { kind: 'partial', missing: [clientId === '' ? clientIdVariable : clientSecretVariable] };
}

function missingCredentials(missing: readonly string[], forWhat: string): PaxosOnboardError {
  const names = missing.join(' and ');
  return new PaxosOnboardError(
    'target.credentials_missing',
    `${names} ${missing.length === 1 ? 'is' : 'are'} not set; ${forWhat} needs both ${clientIdVariable} and ${clientSecretVariable} (unset both to use the local emulator)`,
  );
}

function cloudTarget(name: 'sandbox' | 'production', credentials: PaxosCredentials): ResolvedTarget {
  const urls = cloud[name];
  const description = name === 'sandbox' ? `Paxos sandbox at ${urls.apiUrl} (client ${credentials.clientId})` : `Paxos PRODUCTION at ${urls.apiUrl} (client ${credentials.clientId})`;
  return { kind: 'server', target: { kind: name, environment: name, ...urls, description }, credentials };
}

/**
 * A URL names a Paxos-compatible server (an emulator, a mock): never Paxos
 * itself, which is reached by name so the environment guard knows it. The
 * environment's credentials go only where they cannot be read on the way:
 * over https, or to this machine.
 */
function urlTarget(text: string, found: CredentialsFound): ResolvedTarget {
  let url: URL;
  try {
    url = new URL(text);
  } catch (error) {
    throw new UsageError(`--target: '${text}' is not a valid URL; write e.g. http://127.0.0.1:4010`, { cause: error });
  }
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new UsageError(`--target: '${text}' should be the server's base URL only (no query, fragment or user info); write e.g. http://127.0.0.1:4010`);
  }
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'paxos.com' || host.endsWith('.paxos.com')) {
    // As a URL it would count as `local`, and the manifest's environment guard would let anything through.
    throw new UsageError(`--target: '${text}' is a Paxos host; write --target sandbox or --target production, so the run knows which environment it is in`);
  }
  // The base may be given with or without its /v2: both name the same server.
  const base = `${url.origin}${url.pathname}`.replace(/\/+$/, '').replace(/\/v2$/, '');
  if (found.kind === 'complete' && url.protocol !== 'https:' && !isLoopback(host)) {
    throw new PaxosOnboardError(
      'target.credentials_in_clear',
      `--target ${base} is plain http to another machine, and ${clientIdVariable}/${clientSecretVariable} are set: the client secret would travel in clear; use an https URL, or unset both variables to send placeholder credentials`,
    );
  }
  return {
    kind: 'server',
    target: { kind: 'url', environment: 'local', apiUrl: `${base}/v2`, tokenUrl: `${base}/oauth2/token`, description: `Paxos-compatible server at ${base}` },
    credentials: found.kind === 'complete' ? found.value : { ...placeholderCredentials },
  };
}

/** 127.0.0.0/8, ::1 and localhost: traffic that never leaves this machine. `hostname` as `URL` normalises it (IPv6 in brackets). */
function isLoopback(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host === '[::1]' || host === '::1') return true;
  // URL has already rewritten short and hex forms (127.1, 0x7f.1) as dotted quads, and ::ffff:127.x.y.z as ::ffff:7fxx:yyzz.
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) || /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(host);
}

function embedded(cwd: string): ResolvedTarget {
  return { kind: 'embedded-emulator', dataFile: join(cwd, localEmulatorStateFile), credentials: { ...placeholderCredentials } };
}
