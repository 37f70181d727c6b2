/**
 * The teardown plan of `destroy` and `apply --prune`, pure data like the
 * plan: what each object of the manifest's making needs to be down (an open
 * order cancelled, a profile deactivated, an account or identity disabled),
 * in reverse dependency order (orders first, identities last). Built from
 * what refresh found; the kinds' handlers say what each object takes, and
 * nothing here names a kind.
 */
import { resourceKinds, type ResourceKind } from '../manifest/kinds.js';
import type { Address } from '../manifest/model.js';
import { handlerFor } from '../resources/index.js';
import type { RemoteObject, RemoteWorld, TeardownDraft } from '../resources/resource-handler.js';
import type { Plan } from './plan-types.js';

export type TeardownAction = TeardownDraft['action'];
export const teardownActions: readonly TeardownAction[] = ['cancel', 'deactivate', 'disable', 'noop'];

export interface TeardownStep {
  /** The manifest address; absent for an orphan (no longer declared). */
  address?: Address;
  kind: ResourceKind;
  /** `ref_id=...`, `nickname=...`; absent for a kind without a key (deposits). */
  remoteKey?: string;
  remoteId: string;
  remoteStatus?: string;
  action: TeardownAction;
  /** Why nothing is done (down already, no undo in the API, not this manifest's making). */
  reason?: string;
}

export interface TeardownPlan {
  formatVersion: 1;
  /** `destroy`: everything of the manifest's making; `prune`: orphans only. */
  mode: 'destroy' | 'prune';
  target: Plan['target'];
  /** Reverse dependency order: what rests on something is torn down before it. */
  steps: TeardownStep[];
  summary: { byAction: Record<TeardownAction, number>; hasChanges: boolean };
}

/** Steps of `destroy` (declared objects and orphans) or `prune` (orphans), in reverse kind order. */
export function buildTeardownPlan(world: RemoteWorld, mode: TeardownPlan['mode'], target: Plan['target']): TeardownPlan {
  const steps: TeardownStep[] = [];
  for (const kind of [...resourceKinds].reverse()) {
    if (mode === 'destroy') {
      for (const [address, remote] of world.byAddress) {
        if (kindOf(address) === kind) steps.push(declaredStep(address, kind, remote));
      }
    }
    for (const stray of world.strays ?? []) {
      if (stray.kind !== kind) continue;
      steps.push({ kind, remoteKey: stray.remoteKey, ...remoteFields(stray.remote), ...draftOf(kind, stray.remote) });
    }
  }
  return { formatVersion: 1, mode, target, steps, summary: summariseTeardown(steps) };
}

function kindOf(address: Address): string {
  return address.slice(0, address.indexOf('.'));
}

function declaredStep(address: Address, kind: ResourceKind, remote: RemoteObject): TeardownStep {
  const base = { address, kind, ...remoteFields(remote) };
  // Found by its cip tuple under another ref_id (`on_cip_id_conflict: adopt`): someone else's record, left as it is.
  if (remote.matchedBy === 'cip') return { ...base, action: 'noop', reason: 'adopted by its cip tuple: not of this manifest’s making, left as it is' };
  return { ...base, ...draftOf(kind, remote) };
}

function remoteFields(remote: RemoteObject): Pick<TeardownStep, 'remoteId' | 'remoteStatus'> {
  return { remoteId: remote.id, ...(remote.status !== undefined ? { remoteStatus: remote.status } : {}) };
}

function draftOf(kind: ResourceKind, remote: RemoteObject): Pick<TeardownStep, 'action' | 'reason'> {
  const draft = handlerFor(kind).planTeardown?.(remote) ?? { action: 'noop' as const, reason: `the API has no way to remove a ${kind}` };
  return { action: draft.action, ...(draft.reason !== undefined ? { reason: draft.reason } : {}) };
}

export function summariseTeardown(steps: readonly TeardownStep[]): TeardownPlan['summary'] {
  const byAction = Object.fromEntries(teardownActions.map((action) => [action, 0])) as Record<TeardownAction, number>;
  for (const step of steps) byAction[step.action] += 1;
  return { byAction, hasChanges: steps.some((step) => step.action !== 'noop') };
}
