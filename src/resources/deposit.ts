/**
 * Sandbox deposits. A deposit has no key in the API (DESIGN.md "Semantics"):
 * the manifest's deposits of a profile are matched against that profile's
 * deposit transfers as a multiset on (asset, amount), in manifest order, so
 * two identical deposits need two such transfers. Refresh lists the
 * transfers of up to 100 profiles per call, deposit types only.
 */
import { TransferType } from '../domain/paxos-enums.generated.js';
import type { ResourceOf } from '../manifest/model.js';
import type { Json } from './identity-fields.js';
import { chunk, filterBatchSize, listPageSize, readEach, remoteIdOf } from './remote-reads.js';
import type { Applied, ApplyContext, PlanContext, RefreshContext, RemoteObject, ResourceHandler, StepDraft } from './resource-handler.js';

type DepositResource = ResourceOf<'deposit'>;
const depositTypes = TransferType.filter((type) => type.endsWith('_DEPOSIT'));

async function refresh(resources: readonly DepositResource[], context: RefreshContext): Promise<void> {
  const byProfile = new Map<string, DepositResource[]>();
  for (const resource of resources) {
    const profileId = remoteIdOf(context.world, resource.fields.profile, 'profile_id');
    // A profile that does not exist yet has no deposits: nothing to read.
    if (profileId === undefined) continue;
    const list = byProfile.get(profileId) ?? [];
    list.push(resource);
    byProfile.set(profileId, list);
  }
  if (byProfile.size === 0) return;
  const pages = await readEach(chunk([...byProfile.keys()], filterBatchSize), (profileIds) =>
    context.client.listAll<Json>(
      { method: 'GET', path: '/v2/transfer/transfers', query: { profile_ids: profileIds, type: depositTypes } },
      { pageSize: listPageSize },
    ),
  );
  const pools = new Map<string, Json[]>();
  const credits = pages.flat().filter((transfer) => transfer.direction === 'CREDIT' && transfer.status !== 'FAILED');
  // Oldest first, so the same transfers are claimed on every run.
  credits.sort((a, b) => String(a.created_at).localeCompare(String(b.created_at)) || String(a.id).localeCompare(String(b.id)));
  for (const transfer of credits) {
    const key = poolKey(String(transfer.profile_id), String(transfer.asset), String(transfer.amount));
    pools.set(key, [...(pools.get(key) ?? []), transfer]);
  }
  for (const [profileId, deposits] of byProfile) {
    for (const resource of deposits) {
      const transfer = pools.get(poolKey(profileId, resource.fields.asset, resource.fields.amount))?.shift();
      if (transfer) context.world.byAddress.set(resource.address, depositRemote(String(transfer.id), profileId, transfer));
    }
  }
}

function poolKey(profileId: string, asset: string, amount: string): string {
  return `${profileId}|${asset}|${canonicalAmount(amount)}`;
}

/** `10000.00` and `10000` are one amount. */
function canonicalAmount(text: string): string {
  const trimmed = text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
  return trimmed.replace(/^0+(?=\d)/, '');
}

function depositRemote(id: string, profileId: string, record: Json): RemoteObject {
  return {
    id,
    record,
    ids: { transfer_id: id, profile_id: profileId },
    ...(typeof record.status === 'string' ? { status: record.status } : {}),
    matchedBy: 'transfer-match',
  };
}

function planStep(resource: DepositResource, context: PlanContext): StepDraft {
  const remote = context.world.byAddress.get(resource.address);
  if (!remote) return { action: 'create' };
  return { action: 'noop', remoteId: remote.id, ...(remote.status !== undefined ? { remoteStatus: remote.status } : {}) };
}

/** One sandbox deposit. Never retried: it has no key, so a repeat would credit twice (the executor reconciles instead). */
async function create(resource: DepositResource, context: ApplyContext): Promise<Applied> {
  const { profile, asset, amount, crypto_network: network } = resource.fields;
  const profileId = context.remoteOf(profile).ids.profile_id ?? '';
  const body = { asset, amount, ...(network !== undefined ? { crypto_network: network } : {}) };
  const answer = await context.client.request<{ activity_id: string }>({
    method: 'POST',
    path: `/v2/sandbox/profiles/${encodeURIComponent(profileId)}/deposit`,
    body,
    retry: 'never',
  });
  return { remote: depositRemote(answer.activity_id, profileId, { ...answer, profile_id: profileId, asset, amount }), outcome: 'created' };
}

/**
 * The transfer a deposit whose answer was lost made, if it landed: the
 * oldest deposit transfer of the profile since `since` with the same asset
 * and amount that no other address of the run stands for.
 */
async function reconcile(resource: DepositResource, since: Date, context: ApplyContext): Promise<RemoteObject | undefined> {
  const profileId = context.remoteOf(resource.fields.profile).ids.profile_id ?? '';
  const transfers = await context.client.listAll<Json>(
    { method: 'GET', path: '/v2/transfer/transfers', query: { profile_ids: [profileId], type: depositTypes, 'created_at.gte': since.toISOString() } },
    { pageSize: listPageSize },
  );
  const wanted = poolKey(profileId, resource.fields.asset, resource.fields.amount);
  const candidates = transfers
    .filter((transfer) => transfer.direction === 'CREDIT' && transfer.status !== 'FAILED' && !context.isClaimed(String(transfer.id)))
    .filter((transfer) => poolKey(String(transfer.profile_id), String(transfer.asset), String(transfer.amount)) === wanted)
    .sort((a, b) => String(a.created_at).localeCompare(String(b.created_at)) || String(a.id).localeCompare(String(b.id)));
  const found = candidates[0];
  return found === undefined ? undefined : depositRemote(String(found.id), profileId, found);
}

/** `10000 USD`, `2 ETH on ETHEREUM`. */
function describe(resource: DepositResource): string {
  const { amount, asset, crypto_network: network } = resource.fields;
  return `${amount} ${asset}${network !== undefined ? ` on ${network}` : ''}`;
}

export const depositHandler: ResourceHandler<'deposit'> = {
  kind: 'deposit',
  sensitiveFields: [],
  refresh,
  describe,
  planStep,
  create,
  reconcile,
};
