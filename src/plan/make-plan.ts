/**
 * `makePlan(model, { client })`: the environment guard, the refresh and the
 * plan, in that order: a manifest meant for another environment sends
 * nothing at all.
 */
import { relative } from 'node:path';
import type { Model } from '../manifest/model.js';
import type { PaxosClient } from '../paxos/types.js';
import type { RemoteWorld } from '../resources/resource-handler.js';
import { buildPlan } from './build-plan.js';
import { checkTarget } from './check-target.js';
import { manifestDigest } from './manifest-digest.js';
import { scrubPlanText } from './mask.js';
import type { Plan } from './plan-types.js';
import { refreshRemote } from './refresh.js';

export interface MakePlanOptions {
  client: PaxosClient;
  /** Leave PII and `${env:}`/`${file:}` values unmasked in the plan. Never for a plan that is saved or posted. */
  showSensitive?: boolean;
  /**
   * GET every identity with its details rather than trusting the digest the
   * tool keeps in their metadata: sees changes made outside the tool, at one
   * call per identity (10 per second under the Paxos limits).
   */
  deep?: boolean;
  /** The plan's `createdAt` clock (tests). */
  now?: () => Date;
  /** Manifest file names in the plan are relative to this (default: the process's working directory). */
  cwd?: string;
}

/**
 * The manifest digest is computed when first read (saving the plan, printing
 * it as JSON, checking a saved plan), not for every plan: its scrypt costs
 * tens of milliseconds, most of a local apply of a small manifest that never
 * looks at it. An enumerable getter, so spreads, JSON and structuredClone see
 * a plain string; after the first read it is one.
 */
function digestOnFirstRead(manifest: Plan['manifest'], model: Model): void {
  Object.defineProperty(manifest, 'digest', {
    enumerable: true,
    configurable: true,
    get(this: Plan['manifest']) {
      const value = manifestDigest(model);
      Object.defineProperty(this, 'digest', { value, enumerable: true, writable: true, configurable: true });
      return value;
    },
    set(this: Plan['manifest'], value: string) {
      Object.defineProperty(this, 'digest', { value, enumerable: true, writable: true, configurable: true });
    },
  });
}

export async function makePlan(model: Model, options: MakePlanOptions): Promise<{ plan: Plan; world: RemoteWorld }> {
  const { client } = options;
  checkTarget(model, client.target);
  const refreshed = await refreshRemote(model, client, { deep: options.deep ?? false });
  const cwd = options.cwd ?? process.cwd();
  const plan = buildPlan(model, refreshed.world, {
    createdAt: (options.now ?? (() => new Date()))().toISOString(),
    target: { kind: client.target.kind, environment: client.target.environment, apiUrl: client.target.apiUrl },
    files: model.files.map((file) => relative(cwd, file) || file),
    remoteFingerprint: refreshed.fingerprint,
    refresh: {
      calls: refreshed.calls,
      callsByKind: refreshed.callsByKind,
      ...(refreshed.retries > 0 ? { retries: refreshed.retries } : {}),
      ...(refreshed.rateLimited > 0 ? { rateLimited: refreshed.rateLimited } : {}),
      ...(options.deep === true ? { deep: true as const } : {}),
    },
    showSensitive: options.showSensitive ?? false,
    manifestDigest: '',
  });
  digestOnFirstRead(plan.manifest, model);
  return { plan: options.showSensitive === true ? plan : scrubPlanText(plan, model), world: refreshed.world };
}
