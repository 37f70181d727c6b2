/**
 * `paxos-onboard/vitest`: test fixtures for a vitest suite.
 *
 * - `paxosGlobalSetup(options)` is a vitest globalSetup: one emulator for the
 *   whole run (no rate limits, no pacing), the manifests in
 *   `options.manifests` applied to it, and `{ url, clientId, clientSecret,
 *   outputs }` provided to every test file under the key `paxos`.
 * - `injectPaxos()` reads that inside a test file.
 * - `seedPaxos(manifest)` applies a manifest of the test file's own to the
 *   shared emulator, isolated (its own ref_ids and cip ids), and returns the
 *   ids by address: many files can seed the same manifest at once.
 * - `paxosClient()` is a `PaxosClient` on the shared emulator.
 *
 * vitest is a peer dependency: this module is imported by the user's own
 * vitest, in the main process (globalSetup) and in the test workers.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { applyManifest } from '../apply/apply-manifest.js';
import type { ApplyManifestOptions } from '../apply/apply-options.js';
import type { ApplyResult, ResourceOutput } from '../apply/apply-types.js';
import type { EmulatorOptions } from '../emulator/emulator-options.js';
import { startEmulator } from '../emulator/start-emulator.js';
import { PaxosOnboardError } from '../errors.js';
import type { ManifestInput } from '../manifest/manifest-input.js';
import { createPaxosClient } from '../paxos/create-paxos-client.js';
import type { PaxosClient } from '../paxos/types.js';

/** The ids of what a manifest made, by manifest address: `outputs['person.alice'].id`. */
export type PaxosOutputs = Record<string, ResourceOutput>;

/** What `paxosGlobalSetup` provides to every test file (`injectPaxos()`). */
export interface PaxosFixture {
  /** The emulator's base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** The API base (`<url>/v2`) and the token endpoint, for a client of your own. */
  apiUrl: string;
  tokenUrl: string;
  /** The only credentials the emulator accepts. */
  clientId: string;
  clientSecret: string;
  /** The ids of what `options.manifests` made, by address. */
  outputs: PaxosOutputs;
  /** Where runs against this emulator keep their journal; removed at teardown. */
  stateDir: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    paxos: PaxosFixture;
  }
}

/** A manifest to seed: a path, `{ manifest }`, `{ yaml }`, a manifest object itself, or several of these. */
export type SeedManifest = ManifestInput | Readonly<Record<string, unknown>> | readonly (ManifestInput | Readonly<Record<string, unknown>>)[];

/** Options of the runs the helpers make: those of `apply`, less what the helper decides (target, state folder). */
export type SeedOptions = Omit<ApplyManifestOptions, 'target' | 'cwd' | 'outputs' | 'pacing' | 'confirm'>;

export interface PaxosGlobalSetupOptions extends SeedOptions {
  /** Applied once before the run; their ids are `injectPaxos().outputs`. Paths are relative to `cwd`. */
  manifests?: SeedManifest;
  /** Relative manifest paths resolve against this; default `process.cwd()` (the vitest root, as a rule). */
  cwd?: string;
  /** The emulator's options, over the helper's (no rate limits, generated credentials, 127.0.0.1 on a free port). */
  emulator?: EmulatorOptions;
}

/** The context vitest hands a globalSetup function; only `provide` is used. */
export interface GlobalSetupContext {
  provide(key: 'paxos', value: PaxosFixture): void;
}

/**
 * A vitest globalSetup: export its result as the default export of the file
 * named in `test.globalSetup`. Starts the emulator, applies
 * `options.manifests` (not isolated, unless `options.isolate` says so: the
 * run has the emulator to itself), provides the fixture under `paxos`, and
 * returns the teardown, which stops the emulator.
 */
export function paxosGlobalSetup(options: PaxosGlobalSetupOptions = {}): (context: GlobalSetupContext) => Promise<() => Promise<void>> {
  return async (context) => {
    const { manifests, emulator: emulatorOptions, cwd: givenCwd, ...seedOptions } = options;
    const cwd = givenCwd ?? process.cwd();
    const clientId = emulatorOptions?.clientId ?? 'paxos-onboard-test';
    const clientSecret = emulatorOptions?.clientSecret ?? randomBytes(18).toString('base64url');
    const stateDir = await mkdtemp(join(tmpdir(), 'paxos-onboard-vitest-'));
    const emulator = await startEmulator({ host: '127.0.0.1', port: 0, rateLimits: 'off', ...emulatorOptions, clientId, clientSecret });
    const teardown = async (): Promise<void> => {
      try {
        await emulator.close();
      } finally {
        await rm(stateDir, { recursive: true, force: true });
      }
    };
    try {
      const fixture: PaxosFixture = { url: emulator.url, apiUrl: `${emulator.url}/v2`, tokenUrl: `${emulator.url}/oauth2/token`, clientId, clientSecret, outputs: {}, stateDir };
      if (manifests !== undefined) {
        fixture.outputs = await seedInto(fixture, manifests, { isolate: false, ...seedOptions }, cwd);
      }
      context.provide('paxos', fixture);
      return teardown;
    } catch (error) {
      await teardown();
      throw error;
    }
  };
}

/** What `paxosGlobalSetup` provided; throws a clear error when the setup is not configured. */
export function injectPaxos(): PaxosFixture {
  const fixture = inject('paxos') as PaxosFixture | undefined;
  if (fixture === undefined) {
    throw new PaxosOnboardError(
      'fixtures.no_global_setup',
      "nothing was provided under 'paxos': name a file exporting paxosGlobalSetup(...) as default in test.globalSetup of the vitest config",
    );
  }
  return fixture;
}

/**
 * Applies a manifest to the shared emulator and returns the ids by address.
 * Isolated by default (`isolate: true`: a random seed), so every call makes
 * its own objects; pass `isolate: '<seed>'` to reach the same objects again,
 * or `false` to apply the manifest as written. Throws `fixtures.seed_failed`
 * when any resource failed.
 */
export async function seedPaxos(manifest: SeedManifest, options: SeedOptions = {}): Promise<PaxosOutputs> {
  return seedInto(injectPaxos(), manifest, { isolate: true, ...options }, process.cwd());
}

/** A client on the shared emulator, with the provided credentials and no pacing. Close it when done. */
export function paxosClient(): PaxosClient {
  const fixture = injectPaxos();
  return createPaxosClient({
    target: { kind: 'url', environment: 'local', apiUrl: fixture.apiUrl, tokenUrl: fixture.tokenUrl, description: `test emulator at ${fixture.url}` },
    credentials: { clientId: fixture.clientId, clientSecret: fixture.clientSecret },
    pacing: 'off',
  });
}

async function seedInto(fixture: PaxosFixture, manifest: SeedManifest, options: SeedOptions, cwd: string): Promise<PaxosOutputs> {
  const result = await applyManifest(toInputs(manifest, cwd), {
    pollIntervalMs: 10,
    // Runs from many test files take turns on the emulator (the target's lock); each is short.
    lock: { timeoutMs: 120_000 },
    ...options,
    env: { ...(options.env ?? process.env), PAXOS_CLIENT_ID: fixture.clientId, PAXOS_CLIENT_SECRET: fixture.clientSecret },
    target: fixture.url,
    pacing: 'off',
    // The journal goes to the fixture's folder, not the project's `.paxos-onboard/`; paths were made absolute.
    cwd: fixture.stateDir,
  });
  if (result.summary.failed) throw seedFailed(result);
  return { ...result.outputs.resources };
}

/** Manifest inputs for apply: paths made absolute (apply runs in the state folder), a bare manifest object wrapped. */
function toInputs(manifest: SeedManifest, cwd: string): ManifestInput[] {
  const list = Array.isArray(manifest) ? (manifest as readonly unknown[]) : [manifest];
  return list.map((entry): ManifestInput => {
    if (typeof entry === 'string') return isAbsolute(entry) ? entry : resolve(cwd, entry);
    const object = entry as Record<string, unknown>;
    // `{ yaml }` or `{ manifest }` as apply takes them; anything else is a manifest written as an object.
    if (typeof object.yaml === 'string' || (typeof object.manifest === 'object' && object.manifest !== null)) return object as unknown as ManifestInput;
    return { manifest: object };
  });
}

function seedFailed(result: ApplyResult): PaxosOnboardError {
  const failures = Object.entries(result.outputs.resources)
    .filter(([, output]) => output.outcome === 'failed' || output.outcome === 'blocked' || output.outcome === 'skipped')
    .map(([address, output]) => `${address}: ${output.outcome}${output.error ? ` (${output.error.code}: ${output.error.message})` : ''}`);
  return new PaxosOnboardError('fixtures.seed_failed', `seeding the test emulator failed for ${failures.length} resource(s):\n  ${failures.join('\n  ')}`);
}
