/**
 * Accounts: found by ref_id. The account's `profile_id` (with `profile:
 * true`) is the profile dependents address as `account.<key>`.
 *
 * Refresh lists accounts per owning identity when that takes fewer calls than
 * listing all accounts in pages of 1,000 (the identity listing's size stands
 * in for the unknown account count); on a tie, all, as only the full listing
 * sees an account whose ref_id sits under another identity. Listing per owner
 * misses such an account; it surfaces at create as a 409, refused below
 * rather than adopted.
 */
import { isPaxosApiError, PaxosAmbiguousError, PaxosOnboardError } from '../errors.js';
import type { ResourceOf } from '../manifest/model.js';
import { echoAccount, ledgerOnly, readLedgerAccount, withoutLedger } from './deposit-ledger.js';
import { diffWrittenFields } from './field-diff.js';
import { immutableReason, toFieldChanges } from './field-changes.js';
import type { Json } from './identity-fields.js';
import { idOf, requireRemoteId } from './identity-apply.js';
import { addressOfId, listedIdentityCount, listPageSize, readEach, remoteIdOf } from './remote-reads.js';
import type { PlanStep } from '../plan/plan-types.js';
import type { Applied, ApplyContext, PlanContext, RefreshContext, RemoteObject, ResourceHandler, StepDraft, StrayObject, TeardownContext, TeardownDraft, TornDown } from './resource-handler.js';
import { claimedKeys, deactivateIfEmpty, isStrayKey, stray } from './teardown-reads.js';

type AccountResource = ResourceOf<'account'>;
const accountsPath = '/v2/identity/accounts';
/** What cannot change after creation: the owner, the type (no update field), and whether it has a profile. */
const immutableFields = ['/identity', '/type', '/profile'];

async function refresh(resources: readonly AccountResource[], context: RefreshContext): Promise<void> {
  if (resources.length === 0) return;
  const owners = [...new Set(resources.map((resource) => remoteIdOf(context.world, resource.fields.identity, 'identity_id')).filter((id) => id !== undefined))];
  const pagesForAll = Math.ceil(Math.max(resources.length, listedIdentityCount(context.world), 1) / listPageSize);
  const list = (query?: Record<string, string>) =>
    context.client.listAll<Json>({ method: 'GET', path: accountsPath, ...(query ? { query } : {}) }, { pageSize: listPageSize });
  const listedAll = owners.length >= pagesForAll;
  const accounts = listedAll ? await list() : (await readEach(owners, (identityId) => list({ identity_id: identityId }))).flat();
  accountListings.set(context.world, { all: listedAll, owners: new Set(owners), accounts });
  const byRefId = new Map(accounts.filter((account) => typeof account.ref_id === 'string').map((account) => [account.ref_id as string, account]));
  for (const resource of resources) {
    const account = byRefId.get(resource.fields.ref_id);
    if (account) context.world.byAddress.set(resource.address, accountRemote(account));
  }
}

/** What refresh listed, so the search for strays reads only what it did not. */
const accountListings = new WeakMap<RefreshContext['world'], { all: boolean; owners: Set<string>; accounts: Json[] }>();

/**
 * Accounts under the prefix that no resource declares: from refresh's
 * listing, plus the accounts of stray identities it did not list (per owner
 * or all, whichever takes fewer calls, as refresh chooses).
 */
async function findStrays(prefix: string, context: RefreshContext): Promise<StrayObject[]> {
  if (prefix === '') return [];
  const listed = accountListings.get(context.world) ?? { all: false, owners: new Set<string>(), accounts: [] };
  const strayOwners = (context.world.strays ?? []).filter((item) => item.remote.ids.identity_id !== undefined && item.kind !== 'account').map((item) => item.remote.id);
  const unlisted = listed.all ? [] : strayOwners.filter((id) => !listed.owners.has(id));
  const pagesForAll = Math.ceil(Math.max(listedIdentityCount(context.world), 1) / listPageSize);
  const list = (query?: Record<string, string>) =>
    context.client.listAll<Json>({ method: 'GET', path: accountsPath, ...(query ? { query } : {}) }, { pageSize: listPageSize });
  const more = unlisted.length === 0 ? [] : unlisted.length < pagesForAll ? (await readEach(unlisted, (identityId) => list({ identity_id: identityId }))).flat() : await list();
  const claimed = claimedKeys(context.model, 'account');
  const seen = new Set<string>();
  return [...listed.accounts, ...more]
    .filter((account) => isStrayKey(account.ref_id, prefix, claimed) && !seen.has(String(account.id)) && seen.add(String(account.id)))
    .map(accountRemote)
    .filter((remote) => planTeardown(remote).action !== 'noop')
    .map((remote) => stray('account', 'ref_id', remote));
}

function planTeardown(remote: RemoteObject): TeardownDraft {
  return remote.record.user_disabled === true ? { action: 'noop', reason: 'disabled already' } : { action: 'disable' };
}

/**
 * Disables the account (`set_user_disabled`, sent with the account as it
 * stands, as Update Account replaces what it is given), after deactivating
 * its profile when that holds nothing: Paxos refuses a funded one.
 */
async function teardown(remote: RemoteObject, draft: TeardownDraft, context: TeardownContext): Promise<TornDown> {
  if (draft.action !== 'disable') return { outcome: 'kept' };
  const profileId = remote.ids.profile_id;
  const profile = profileId === undefined ? {} : await deactivateIfEmpty(context.client, profileId);
  if (profile.kept !== undefined) context.warn(profile.kept);
  const current = await readLedgerAccount(context.client, remote.id);
  const account = echoAccount(current, (current.metadata as Record<string, string> | undefined) ?? {});
  await context.client.request({ method: 'PUT', path: accountsPath, body: { account, set_user_disabled: true }, retry: 'safe' });
  return { outcome: 'torn-down', detail: profileId === undefined || profile.kept !== undefined ? 'disabled' : 'disabled, its profile deactivated' };
}

function accountRemote(record: Json): RemoteObject {
  const id = String(record.id);
  const ids: Record<string, string> = { account_id: id, identity_id: String(record.identity_id) };
  if (typeof record.profile_id === 'string') ids.profile_id = record.profile_id;
  return { id, record, ids, matchedBy: 'remote-key' };
}

function planStep(resource: AccountResource, context: PlanContext): StepDraft {
  const remoteKey = `ref_id=${resource.fields.ref_id}`;
  const remote = context.world.byAddress.get(resource.address);
  if (!remote) return { action: 'create', remoteKey };
  const record = remote.record;
  const addressOf = (id: unknown) => (typeof id === 'string' ? (addressOfId(context.world, id) ?? id) : id);
  const { ref_id: _key, profile, type, ...desired } = resource.fields;
  const wanted: Json = { ...desired };
  // An account created without a type may be answered without one: compared only when answered.
  if (type !== undefined && record.type !== undefined) wanted.type = type;
  if (profile) wanted.profile = true;
  const have: Json = {
    identity: addressOf(record.identity_id),
    description: record.description,
    // The deposit ledger's entries are the tool's, not the user's: never drift.
    metadata: withoutLedger(record.metadata),
    type: record.type,
    profile: typeof record.profile_id === 'string',
    members: Array.isArray(record.members) ? (record.members as Json[]).map((member) => ({ identity: addressOf(member.identity_id), roles: member.roles })) : [],
  };
  const changes = toFieldChanges(diffWrittenFields(wanted, have), immutableFields, { resource, handler: accountHandler, showSensitive: context.showSensitive });
  const found = { remoteKey, remoteId: remote.id };
  const reason = immutableReason(changes, `account ${remote.id}`);
  if (reason !== undefined) return { ...found, action: 'blocked', changes, reason };
  if (changes.length > 0) return { ...found, action: 'update', changes };
  return { ...found, action: 'noop' };
}

function membersBody(resource: AccountResource, context: ApplyContext): Json[] | undefined {
  return resource.fields.members?.map((member) => ({ identity_id: idOf(context, member.identity), roles: member.roles }));
}

/**
 * Create Account is never repeated blindly: Paxos documents no 409 for a
 * reused account ref_id, so a repeat of a create that landed could make a
 * second account (and a second profile). When the answer is lost, the
 * identity's accounts are listed: ours (by ref_id) is taken if it is there,
 * else the create is sent once more, reconciled the same way. A 409 (the
 * emulator's, or a concurrent run's) is adopted when it names an account of
 * the same identity.
 */
async function create(resource: AccountResource, context: ApplyContext): Promise<Applied> {
  const { fields } = resource;
  const identityId = idOf(context, fields.identity);
  const members = membersBody(resource, context);
  const account = {
    identity_id: identityId,
    ref_id: fields.ref_id,
    ...(fields.description !== undefined ? { description: fields.description } : {}),
    ...(fields.metadata !== undefined ? { metadata: fields.metadata } : {}),
    ...(fields.type !== undefined ? { type: fields.type } : {}),
    ...(members ? { members } : {}),
  };
  for (let sends = 1; ; sends++) {
    try {
      const record = await context.client.request<Json>({ method: 'POST', path: accountsPath, body: { account, create_profile: fields.profile }, retry: 'never' });
      return { remote: accountRemote(record), outcome: 'created' };
    } catch (error) {
      if (error instanceof PaxosAmbiguousError) {
        const found = await findByRefId(context, identityId, fields.ref_id);
        if (found) return { remote: accountRemote(found), outcome: 'created' };
        if (sends < maxCreateSends) continue;
        throw error;
      }
      return adoptConflict(resource, identityId, error, context);
    }
  }
}

/** A create whose answer was lost is sent at most this often in all, each loss reconciled first. */
const maxCreateSends = 2;

/** The account of `identityId` with `refId`, if the listing has it. */
async function findByRefId(context: ApplyContext, identityId: string, refId: string): Promise<Json | undefined> {
  const accounts = await context.client.listAll<Json>({ method: 'GET', path: accountsPath, query: { identity_id: identityId } }, { pageSize: listPageSize });
  return accounts.find((account) => account.ref_id === refId);
}

/** Adopts the account a 409 names when it belongs to the same identity; any other error is rethrown. */
async function adoptConflict(resource: AccountResource, identityId: string, error: unknown, context: ApplyContext): Promise<Applied> {
  const existingId = isPaxosApiError(error) && error.status === 409 ? error.existingId : undefined;
  if (existingId === undefined) throw error;
  const existing = await context.client.request<Json>({ method: 'GET', path: `${accountsPath}/${encodeURIComponent(existingId)}` });
  if (existing.identity_id !== identityId) {
    throw new PaxosOnboardError(
      'account.ref_id_taken',
      `${resource.address}: ref_id ${resource.fields.ref_id} already names account ${existingId} of identity ${String(existing.identity_id)}, not of ${resource.fields.identity} (${identityId}); give the account another ref_id`,
      { cause: error },
    );
  }
  return { remote: accountRemote(existing), outcome: 'adopted' };
}

/**
 * PUTs the account as it now stands with what the manifest writes of the
 * updatable fields: read first, since Update Account may replace what it is
 * not sent, and the deposit ledger in its metadata must survive a change of
 * the user's metadata. Members go as the full list, as the API replaces them.
 */
async function update(resource: AccountResource, step: PlanStep, context: ApplyContext): Promise<Applied> {
  const id = requireRemoteId(step);
  const { fields } = resource;
  const current = await readLedgerAccount(context.client, id);
  const metadata = fields.metadata !== undefined ? { ...ledgerOnly(current.metadata), ...fields.metadata } : ((current.metadata as Record<string, string> | undefined) ?? {});
  const account: Json = echoAccount(current, metadata);
  if (fields.description !== undefined) account.description = fields.description;
  const members = membersBody(resource, context);
  if (members && members.length > 0) account.members = members;
  const record = await context.client.request<Json>({ method: 'PUT', path: accountsPath, body: { account }, retry: 'safe' });
  return { remote: accountRemote(record), outcome: 'updated' };
}

export const accountHandler: ResourceHandler<'account'> = {
  kind: 'account',
  sensitiveFields: [],
  operations: { read: ['ListAccounts', 'GetAccount'], write: ['CreateAccount', 'UpdateAccount'], teardown: ['GetAccount', 'UpdateAccount', 'ListProfileBalances', 'DeactivateProfile'] },
  refresh,
  planStep,
  create,
  update,
  findStrays,
  planTeardown,
  teardown,
};
