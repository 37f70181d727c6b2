/**
 * Profile routes: `/v2/profiles` (create, list by `nickname`/`ids`/`account_id`,
 * get, rename), balances and deactivation.
 */
import { problems, type Route, type RouteContext } from '../framework.js';
import { balanceOf, listBalances } from '../domain/balances.js';
import { paginate, readList, readTimeRange } from '../domain/list-query.js';
import { knownAssets } from '../domain/markets.js';
import { createProfile, deactivateProfile, ensureDefaultProfile, findProfile, renameProfile, renderProfile } from '../domain/profiles.js';

function postProfile(context: RouteContext) {
  const body = context.body as { nickname: string; description?: string };
  const profile = createProfile(context, { nickname: body.nickname, ...(typeof body.description === 'string' ? { description: body.description } : {}) });
  return { body: renderProfile(profile) };
}

function listProfiles(context: RouteContext) {
  ensureDefaultProfile(context);
  const { query, state } = context;
  const nickname = query.get('nickname')?.toLowerCase();
  const ids = readList(query, 'ids');
  if (ids.length > 100) throw problems.invalidField('ids', 'at most 100 ids');
  const accountId = query.get('account_id');
  const created = readTimeRange(query, 'created_at');
  const page = paginate(
    Object.values(state.profiles),
    query,
    (profile) =>
      !profile.deactivated &&
      (!nickname || profile.nickname.toLowerCase().startsWith(nickname)) &&
      (ids.length === 0 || ids.includes(profile.id)) &&
      (!accountId || profile.account_id === accountId) &&
      created(profile.created_at),
    { defaultOrder: 'ASC' },
  );
  return { body: { ...page, items: page.items.map(renderProfile) } };
}

function getProfile(context: RouteContext) {
  return { body: renderProfile(findProfile(context, context.params.profile_id ?? '')) };
}

function putProfile(context: RouteContext) {
  const profile = findProfile(context, context.params.profile_id ?? '');
  return { body: renderProfile(renameProfile(context, profile, (context.body as { nickname: string }).nickname)) };
}

function getBalances(context: RouteContext) {
  const profile = findProfile(context, context.params.profile_id ?? '');
  return { body: { items: listBalances(context.state, profile.id, readList(context.query, 'assets')) } };
}

function getBalance(context: RouteContext) {
  const profile = findProfile(context, context.params.profile_id ?? '');
  const asset = context.params.asset ?? '';
  if (!knownAssets.includes(asset) && !context.state.balances[profile.id]?.[asset]) throw problems.notFound(`asset not found: ${asset}`);
  return { body: balanceOf(context.state, profile.id, asset) };
}

function putDeactivate(context: RouteContext) {
  deactivateProfile(context.state, findProfile(context, context.params.profile_id ?? ''));
  return { body: {} };
}

export const profileRoutes: Route[] = [
  { method: 'GET', path: '/v2/profiles', operationId: 'ListProfiles', handler: listProfiles },
  { method: 'POST', path: '/v2/profiles', operationId: 'CreateProfile', handler: postProfile },
  { method: 'GET', path: '/v2/profiles/:profile_id', operationId: 'GetProfile', handler: getProfile },
  { method: 'PUT', path: '/v2/profiles/:profile_id', operationId: 'UpdateProfile', handler: putProfile },
  { method: 'GET', path: '/v2/profiles/:profile_id/balances', operationId: 'ListProfileBalances', handler: getBalances },
  { method: 'GET', path: '/v2/profiles/:profile_id/balances/:asset', operationId: 'GetProfileBalance', handler: getBalance },
  { method: 'PUT', path: '/v2/profiles/:profile_id/deactivate', operationId: 'DeactivateProfile', handler: putDeactivate },
];
