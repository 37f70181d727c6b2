/**
 * Standalone NORMAL profiles (an omnibus book), found by nickname. Refresh
 * asks by `nickname=` per profile when the manifest has few, else lists all
 * profiles in pages of 1,000: whichever costs fewer calls. The API's
 * nickname filter matches loosely, so the match is made here, exactly.
 */
import { isPaxosApiError } from '../errors.js';
import type { ResourceOf } from '../manifest/model.js';
import { diffWrittenFields } from './field-diff.js';
import { immutableReason, toFieldChanges } from './field-changes.js';
import type { Json } from './identity-fields.js';
import { listedIdentityCount, listPageSize, readEach } from './remote-reads.js';
import type { Applied, ApplyContext, PlanContext, RefreshContext, RemoteObject, ResourceHandler, StepDraft, StrayObject, TeardownContext, TornDown } from './resource-handler.js';
import { claimedKeys, deactivateIfEmpty, isStrayKey, stray } from './teardown-reads.js';

type ProfileResource = ResourceOf<'profile'>;
const profilesPath = '/v2/profiles';
/** Update Profile takes only a nickname, and the nickname is the key: nothing else can change. */
const immutableFields = ['/description'];

async function refresh(resources: readonly ProfileResource[], context: RefreshContext): Promise<void> {
  if (resources.length === 0) return;
  // Most identities own an account with a profile: their count stands in for the unknown profile count.
  const pagesForAll = Math.ceil(Math.max(resources.length, listedIdentityCount(context.world), 1) / listPageSize);
  const list = (query?: Record<string, string>) =>
    context.client.listAll<Json>({ method: 'GET', path: profilesPath, ...(query ? { query } : {}) }, { pageSize: listPageSize });
  const profiles =
    resources.length <= pagesForAll ? (await readEach(resources, (resource) => list({ nickname: resource.fields.nickname }))).flat() : await list();
  const byNickname = new Map(profiles.map((profile) => [String(profile.nickname), profile]));
  for (const resource of resources) {
    const profile = byNickname.get(resource.fields.nickname);
    if (profile) context.world.byAddress.set(resource.address, profileRemote(profile));
  }
}

function profileRemote(record: Json): RemoteObject {
  const id = String(record.id);
  return { id, record, ids: { profile_id: id }, matchedBy: 'remote-key' };
}

function planStep(resource: ProfileResource, context: PlanContext): StepDraft {
  const remoteKey = `nickname=${resource.fields.nickname}`;
  const remote = context.world.byAddress.get(resource.address);
  if (!remote) return { action: 'create', remoteKey };
  const { nickname: _key, ...desired } = resource.fields;
  const changes = toFieldChanges(diffWrittenFields(desired, remote.record), immutableFields, { resource, handler: profileHandler, showSensitive: context.showSensitive });
  const found = { remoteKey, remoteId: remote.id };
  const reason = immutableReason(changes, `profile ${remote.id}`);
  if (reason !== undefined) return { ...found, action: 'blocked', changes, reason };
  return { ...found, action: 'noop' };
}

async function create(resource: ProfileResource, context: ApplyContext): Promise<Applied> {
  const { nickname, description } = resource.fields;
  const body = { nickname, ...(description !== undefined ? { description } : {}) };
  try {
    const record = await context.client.request<Json>({ method: 'POST', path: profilesPath, body, retry: 'natural-key' });
    return { remote: profileRemote(record), outcome: 'created' };
  } catch (error) {
    const existingId = isPaxosApiError(error) && error.status === 409 ? error.existingId : undefined;
    if (existingId === undefined || !isPaxosApiError(error)) throw error;
    const existing = await context.client.request<Json>({ method: 'GET', path: `${profilesPath}/${encodeURIComponent(existingId)}` });
    return { remote: profileRemote(existing), outcome: error.conflictOutcome };
  }
}

/**
 * Standalone profiles whose nickname starts with the prefix and that no
 * resource declares: one listing filtered by the prefix (the API's filter is
 * loose, so the prefix is checked here). An account's profile goes with its
 * account; the listing leaves deactivated profiles out.
 */
async function findStrays(prefix: string, context: RefreshContext): Promise<StrayObject[]> {
  if (prefix === '') return [];
  const claimed = claimedKeys(context.model, 'profile');
  const profiles = await context.client.listAll<Json>({ method: 'GET', path: profilesPath, query: { nickname: prefix } }, { pageSize: listPageSize });
  return profiles
    .filter((profile) => profile.type !== 'DEFAULT' && profile.account_id === undefined && isStrayKey(profile.nickname, prefix, claimed))
    .map((profile) => stray('profile', 'nickname', profileRemote(profile)));
}

async function teardown(remote: RemoteObject, _draft: unknown, context: TeardownContext): Promise<TornDown> {
  const { kept } = await deactivateIfEmpty(context.client, remote.id);
  if (kept === undefined) return { outcome: 'torn-down', detail: 'deactivated' };
  context.warn(kept);
  return { outcome: 'kept', detail: kept };
}

export const profileHandler: ResourceHandler<'profile'> = {
  kind: 'profile',
  sensitiveFields: [],
  operations: { read: ['ListProfiles', 'GetProfile'], write: ['CreateProfile'], teardown: ['ListProfileBalances', 'DeactivateProfile'] },
  refresh,
  planStep,
  create,
  findStrays,
  // Listings leave deactivated profiles out: one that is found is active.
  planTeardown: () => ({ action: 'deactivate' }),
  teardown,
};
