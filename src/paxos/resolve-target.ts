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
  /** `local` | `sandbox` | `production` | an http(s) URL of a Paxos-compatible server; absent: decided by the environment. */
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
  if (/^https?:\/\//i.test(name)) return urlTarget(name, credentials.kind === 'complete' ? credentials.value : placeholderCredentials);
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

function urlTarget(text: string, credentials: PaxosCredentials): ResolvedTarget {
  let url: URL;
  try {
    url = new URL(text);
  } catch (error) {
    throw new UsageError(`--target: '${text}' is not a valid URL; write e.g. http://127.0.0.1:4010`, { cause: error });
  }
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new UsageError(`--target: '${text}' should be the server's base URL only (no query, fragment or user info); write e.g. http://127.0.0.1:4010`);
  }
  // The base may be given with or without its /v2: both name the same server.
  const base = `${url.origin}${url.pathname}`.replace(/\/+$/, '').replace(/\/v2$/, '');
  return {
    kind: 'server',
    target: { kind: 'url', environment: 'local', apiUrl: `${base}/v2`, tokenUrl: `${base}/oauth2/token`, description: `Paxos-compatible server at ${base}` },
    credentials,
  };
}

function embedded(cwd: string): ResolvedTarget {
  return { kind: 'embedded-emulator', dataFile: join(cwd, localEmulatorStateFile), credentials: { ...placeholderCredentials } };
}
