/**
 * Sandbox deposits. A deposit has no key in the API (DESIGN.md "Semantics"):
 * the manifest's deposits of a profile are matched against that profile's
 * deposit transfers as a multiset on (asset, amount), in manifest order, so
 * two identical deposits need two such transfers. Refresh lists the
 * transfers of up to 100 profiles per call, deposit types only.
 */
import { TransferType } from '../domain/paxos-enums.generated.js';
import type { ResourceOf } from '../manifest/model.js';
import { pollUntil } from './poll-until.js';
import { readLedgerAccount, readLedgerEntry, writeLedgerEntry, type LedgerEntry } from './deposit-ledger.js';
import type { Json } from './identity-fields.js';
import { chunk, filterBatchSize, listPageSize, readEach, remoteIdOf } from './remote-reads.js';
import { SettleError, type Applied, type ApplyContext, type PlanContext, type RefreshContext, type RemoteObject, type ResourceHandler, type Settled, type StepDraft } from './resource-handler.js';

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
  credits.sort(byCreation);
  for (const transfer of credits) {
    const key = poolKey(String(transfer.profile_id), String(transfer.asset), String(transfer.amount));
    pools.set(key, [...(pools.get(key) ?? []), transfer]);
  }
  const take = (profileId: string, resource: DepositResource) => pools.get(poolKey(profileId, resource.fields.asset, resource.fields.amount))?.shift();
  for (const [profileId, deposits] of byProfile) {
    // Deposits the ledger says were made come first: the transfers they made are theirs, listed yet or not.
    const pending: DepositResource[] = [];
    for (const resource of deposits) {
      const entry = readLedgerEntry(context.world.byAddress.get(resource.fields.profile)?.record.metadata, resource.address);
      if (entry?.state !== 'done' || !sameDeposit(entry, resource)) {
        pending.push(resource);
        continue;
      }
      const transfer = take(profileId, resource);
      context.world.byAddress.set(resource.address, transfer ? depositRemote(String(transfer.id), profileId, transfer) : ledgerRemote(entry, profileId));
    }
    for (const resource of pending) {
      const transfer = take(profileId, resource);
      if (transfer) context.world.byAddress.set(resource.address, depositRemote(String(transfer.id), profileId, transfer));
    }
  }
}

function byCreation(a: Json, b: Json): number {
  return String(a.created_at).localeCompare(String(b.created_at)) || String(a.id).localeCompare(String(b.id));
}

function sameDeposit(entry: LedgerEntry, resource: DepositResource): boolean {
  return entry.asset === resource.fields.asset && canonicalAmount(entry.amount) === canonicalAmount(resource.fields.amount);
}

/** A deposit the ledger says was made, whose transfer is not listed (yet): known by its activity id. */
function ledgerRemote(entry: LedgerEntry, profileId: string): RemoteObject {
  const id = entry.activityId ?? `ledger:${entry.at}`;
  return {
    id,
    record: { profile_id: profileId, asset: entry.asset, amount: entry.amount, ledger: entry.state, at: entry.at },
    ids: { ...(entry.activityId !== undefined ? { activity_id: entry.activityId } : {}), profile_id: profileId },
    matchedBy: 'ledger',
  };
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

/**
 * A deposit is made, then waited for until its transfer is listed COMPLETED:
 * only then are the funds there for the orders that follow (Paxos confirms
 * sandbox funding through balances, and a deposit can take a minute).
 */
function planStep(resource: DepositResource, context: PlanContext): StepDraft {
  const remote = context.world.byAddress.get(resource.address);
  if (!remote) return { action: 'create', then: ['wait'] };
  const found = { remoteId: remote.id, ...(remote.status !== undefined ? { remoteStatus: remote.status } : {}) };
  // Listed but not COMPLETED: its funds are not there yet. Made by the ledger's word but not listed yet: nothing to do, the listing catches up.
  if (remote.matchedBy === 'transfer-match' && remote.status !== 'COMPLETED') return { ...found, action: 'wait' };
  return { ...found, action: 'noop' };
}

/**
 * Waits for the deposit's transfer to be listed COMPLETED, up to the
 * listing's lag bound; a FAILED one fails the deposit. A deposit still not
 * listed by then is let through with a warning: the call was answered, and
 * what depends on it says so itself if the funds are not there.
 */
async function settle(resource: DepositResource, remote: RemoteObject, context: ApplyContext): Promise<Settled> {
  if (remote.matchedBy === 'transfer-match' && remote.status === 'COMPLETED') return { remote };
  const since = new Date(Math.min(context.startedAt.getTime(), Date.parse(String(remote.record.at ?? remote.record.created_at ?? new Date().toISOString()))) - listingSkewMs);
  const deadline = Date.now() + context.listingLagMs;
  context.phase('waiting-for-funds');
  for (;;) {
    const listed = remote.matchedBy === 'transfer-match' ? await readTransfer(remote.id, context) : await claimTransfer(resource, since, context);
    if (listed?.status === 'FAILED') throw new SettleError('deposit.failed', `${resource.address}: transfer ${listed.id} of this deposit FAILED; the funds did not arrive`, listed);
    if (listed?.status === 'COMPLETED') return { remote: listed, detail: `${describe(resource)} arrived` };
    if (Date.now() >= deadline) {
      context.warn(`${resource.address}: deposited, but its transfer is not listed COMPLETED after ${Math.round(context.listingLagMs / 1000)}s; what it funds may find the money missing — run apply again later`);
      return { remote: listed ?? remote };
    }
    await new Promise((resolve) => setTimeout(resolve, context.pollIntervalMs));
  }
}

async function readTransfer(id: string, context: ApplyContext): Promise<RemoteObject | undefined> {
  const record = await context.client.request<Json>({ method: 'GET', path: `/v2/transfer/transfers/${encodeURIComponent(id)}` });
  return depositRemote(id, String(record.profile_id), record);
}

/**
 * One sandbox deposit, exactly once. The ledger in the owning account's
 * metadata is read afresh just before the call (not only at refresh: another
 * run may have deposited since), and decides as `deposit-ledger.ts` says; an
 * entry is written `sent` before the call and `done` after it. The call
 * itself is never retried: it has no key, so a repeat would credit twice (the
 * executor reconciles instead). A profile with no account has no ledger: the
 * listing since the run began is read again instead, which a lagging listing
 * can defeat (README "Deposits").
 */
async function create(resource: DepositResource, context: ApplyContext): Promise<Applied> {
  const { profile, asset, amount, crypto_network: network } = resource.fields;
  const owner = context.remoteOf(profile);
  const profileId = owner.ids.profile_id ?? '';
  const accountId = owner.ids.account_id;
  const sentAt = new Date().toISOString();
  let ledgerAccount: Json | undefined;
  if (accountId !== undefined) {
    const { made, account } = await settleLedger(resource, accountId, context);
    if (made) return { remote: made, outcome: 'adopted' };
    // Read a moment ago: written back with the entry, and the answer is what the done entry is written onto.
    ledgerAccount = await writeLedgerEntry(context.client, accountId, resource.address, { state: 'sent', asset, amount, at: sentAt }, account);
  } else {
    const concurrent = await findTransfer(resource, new Date(context.startedAt.getTime() - listingSkewMs), context);
    if (concurrent) return { remote: concurrent, outcome: 'adopted' };
  }
  const body = { asset, amount, ...(network !== undefined ? { crypto_network: network } : {}) };
  const answer = await context.client.request<{ activity_id: string }>({
    method: 'POST',
    path: `/v2/sandbox/profiles/${encodeURIComponent(profileId)}/deposit`,
    body,
    retry: 'never',
  });
  if (accountId !== undefined) {
    try {
      await writeLedgerEntry(context.client, accountId, resource.address, { state: 'done', asset, amount, at: sentAt, activityId: answer.activity_id }, ledgerAccount);
    } catch (error) {
      // The deposit landed: failing it now would let it be sent again. The `sent` entry stays; the next run reconciles it.
      context.warn(`${resource.address}: deposited, but its ledger entry could not be marked done (${error instanceof Error ? error.message : String(error)}); the next run confirms it from the transfer listing`);
    }
  }
  // Its transfer is taken for it now, while the next deposit of this profile waits its turn: a later deposit of the
  // same amount whose answer is lost must not find this one's transfer unclaimed and take it for its own.
  const own = await claimOwnTransfer(resource, sentAt, context);
  return {
    remote: own ?? {
      id: answer.activity_id,
      record: { ...answer, profile_id: profileId, asset, amount, at: sentAt },
      ids: { activity_id: answer.activity_id, profile_id: profileId },
      matchedBy: 'ledger',
    },
    outcome: 'created',
  };
}

/** How long a create looks for the transfer it just made before leaving it to the settle wait: a listing that lags longer is waited for there. */
const ownTransferLookMs = 1500;

/** The newest unclaimed transfer of this deposit's asset and amount listed since it was sent, claimed for it; undefined if none shows soon. */
async function claimOwnTransfer(resource: DepositResource, sentAt: string, context: ApplyContext): Promise<RemoteObject | undefined> {
  const since = new Date(Date.parse(sentAt) - listingSkewMs);
  const claimNewest = async () => [...(await listCandidates(resource, since, context))].reverse().find((candidate) => context.claim(candidate.id));
  return pollUntil(claimNewest, Date.now() + Math.min(context.listingLagMs, ownTransferLookMs), Math.min(Math.max(context.pollIntervalMs, 50), 250));
}

/** How far before a recorded time a transfer may be stamped: the two clocks need not agree. */
const listingSkewMs = 60_000;

/**
 * What the ledger says of this deposit, waiting where it cannot say yet: the
 * remote object when it was made (`done`, or `sent` and listed), undefined
 * when it was not (no entry, another amount, or `sent` and still not listed
 * once the listing's lag has passed).
 */
async function settleLedger(resource: DepositResource, accountId: string, context: ApplyContext): Promise<{ made?: RemoteObject; account: Json }> {
  const profileId = context.remoteOf(resource.fields.profile).ids.profile_id ?? '';
  for (;;) {
    const account = await readLedgerAccount(context.client, accountId);
    const entry = readLedgerEntry(account.metadata, resource.address);
    if (entry === undefined || !sameDeposit(entry, resource)) return { account };
    const sentAt = Date.parse(entry.at);
    const listed = await findTransfer(resource, new Date(sentAt - listingSkewMs), context);
    if (entry.state === 'done') return { made: listed ?? ledgerRemote(entry, profileId), account };
    if (listed) {
      return { made: listed, account: await writeLedgerEntry(context.client, accountId, resource.address, { ...entry, state: 'done' }, account) };
    }
    const waitMs = sentAt + context.listingLagMs - Date.now();
    if (waitMs <= 0) return { account };
    context.phase('reconciling');
    await new Promise((resolve) => setTimeout(resolve, Math.min(waitMs, Math.max(context.pollIntervalMs, 1000))));
  }
}

/**
 * The transfer a deposit whose answer was lost made, if it landed: the
 * ledger's word when it has one, else the oldest deposit transfer of the
 * profile since `since` with the same asset and amount that no other address
 * of the run stands for.
 */
async function reconcile(resource: DepositResource, since: Date, context: ApplyContext): Promise<RemoteObject | undefined> {
  const owner = context.remoteOf(resource.fields.profile);
  const accountId = owner.ids.account_id;
  if (accountId === undefined) return findTransfer(resource, since, context);
  const entry = readLedgerEntry((await readLedgerAccount(context.client, accountId)).metadata, resource.address);
  const ours = entry !== undefined && sameDeposit(entry, resource) ? entry : undefined;
  const found = await findTransfer(resource, since, context);
  if (ours?.state === 'done') return found ?? ledgerRemote(ours, owner.ids.profile_id ?? '');
  if (found && ours?.state === 'sent') {
    // Confirmed by the listing: the ledger says so too, so the next run need not look.
    try {
      await writeLedgerEntry(context.client, accountId, resource.address, { ...ours, state: 'done' });
    } catch {
      // The listing will say it again next time.
    }
  }
  return found;
}

/** The oldest listed transfer this deposit may have made that no other address of the run has, now taken for it. */
async function claimTransfer(resource: DepositResource, since: Date, context: ApplyContext): Promise<RemoteObject | undefined> {
  for (const candidate of await listCandidates(resource, since, context)) if (context.claim(candidate.id)) return candidate;
  return undefined;
}

/** The newest matching unclaimed transfer since `since`: a write of ours that landed is the latest of its kind. */
async function findTransfer(resource: DepositResource, since: Date, context: ApplyContext): Promise<RemoteObject | undefined> {
  return (await listCandidates(resource, since, context)).at(-1);
}

async function listCandidates(resource: DepositResource, since: Date, context: ApplyContext): Promise<RemoteObject[]> {
  const profileId = context.remoteOf(resource.fields.profile).ids.profile_id ?? '';
  const transfers = await context.client.listAll<Json>(
    { method: 'GET', path: '/v2/transfer/transfers', query: { profile_ids: [profileId], type: depositTypes, 'created_at.gte': since.toISOString() } },
    { pageSize: listPageSize },
  );
  const wanted = poolKey(profileId, resource.fields.asset, resource.fields.amount);
  const candidates = transfers
    .filter((transfer) => transfer.direction === 'CREDIT' && transfer.status !== 'FAILED' && !context.isClaimed(String(transfer.id)))
    .filter((transfer) => poolKey(String(transfer.profile_id), String(transfer.asset), String(transfer.amount)) === wanted)
    .sort(byCreation);
  return candidates.map((found) => depositRemote(String(found.id), profileId, found));
}

/** `10000 USD`, `2 ETH on ETHEREUM`. */
function describe(resource: DepositResource): string {
  const { amount, asset, crypto_network: network } = resource.fields;
  return `${amount} ${asset}${network !== undefined ? ` on ${network}` : ''}`;
}

export const depositHandler: ResourceHandler<'deposit'> = {
  kind: 'deposit',
  sensitiveFields: [],
  // The ledger lives in the owning account's metadata: read and written through the account.
  operations: { read: ['ListTransfers'], write: ['CreateSandboxDeposit', 'GetAccount', 'UpdateAccount'] },
  refresh,
  describe,
  planStep,
  create,
  reconcile,
  settle,
};
