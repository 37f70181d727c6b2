/**
 * Teardown of persons and institutions: an identity is never deleted at
 * Paxos, it is disabled (`set_user_disabled: true`, summary DISABLED), which
 * stops it buying while it may still hold and sell what it has.
 */
import type { IdentityKindConfig } from './identity-fields.js';
import { identityRemote } from './identity-refresh.js';
import { readIdentityListing } from './remote-reads.js';
import type { RefreshContext, RemoteObject, StrayObject, TeardownContext, TeardownDraft, TornDown } from './resource-handler.js';
import { claimedKeys, isStrayKey, stray } from './teardown-reads.js';

/** Identities of this kind under the prefix that no resource declares, from the identity listing refresh reads anyway. */
export async function findIdentityStrays(config: IdentityKindConfig, prefix: string, context: RefreshContext): Promise<StrayObject[]> {
  if (prefix === '') return [];
  const claimed = claimedKeys(context.model, config.kind);
  const listing = await readIdentityListing(context);
  return listing.items
    .filter((item) => item.type === config.identityType && isStrayKey(item.ref_id, prefix, claimed))
    .map((item) => identityRemote(item, 'remote-key'))
    .filter((remote) => planIdentityTeardown(remote).action !== 'noop')
    .map((remote) => stray(config.kind, 'ref_id', remote));
}

export function planIdentityTeardown(remote: RemoteObject): TeardownDraft {
  if (remote.status === 'DISABLED' || remote.record.user_disabled === true) return { action: 'noop', reason: 'disabled already' };
  return { action: 'disable' };
}

export async function disableIdentity(remote: RemoteObject, draft: TeardownDraft, context: TeardownContext): Promise<TornDown> {
  if (draft.action !== 'disable') return { outcome: 'kept' };
  await context.client.request({ method: 'PUT', path: `/v2/identity/identities/${encodeURIComponent(remote.id)}`, body: { set_user_disabled: true }, retry: 'safe' });
  return { outcome: 'torn-down', detail: 'disabled' };
}
