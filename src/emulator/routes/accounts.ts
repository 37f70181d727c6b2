/**
 * Account routes: `/v2/identity/accounts` (create with `create_profile`,
 * update, list by `identity_id`, get) and `/v2/identity/account-members`.
 */
import type { Route, RouteContext } from '../framework.js';
import {
  addAccountMembers,
  createAccount,
  deleteAccountMember,
  findAccount,
  renderAccount,
  renderAccountMember,
  updateAccount,
  type AccountInput,
  type AccountMemberInput,
} from '../domain/accounts.js';
import { paginate, readTimeRange } from '../domain/list-query.js';

function postAccount(context: RouteContext) {
  const body = context.body as { account: AccountInput; create_profile?: boolean };
  const account = createAccount(context, body.account, body.create_profile === true);
  return { body: renderAccount(context.state, account) };
}

function putAccount(context: RouteContext) {
  const body = context.body as { account: AccountInput; set_user_disabled?: boolean };
  return { body: renderAccount(context.state, updateAccount(context, body.account, body.set_user_disabled)) };
}

function listAccounts({ state, query }: RouteContext) {
  const identityId = query.get('identity_id');
  const created = readTimeRange(query, 'created_at');
  const updated = readTimeRange(query, 'updated_at');
  const page = paginate(
    Object.values(state.accounts),
    query,
    (account) => (!identityId || account.identity_id === identityId) && created(account.created_at) && updated(account.updated_at),
    { defaultOrder: 'DESC' },
  );
  return { body: { ...page, items: page.items.map((account) => renderAccount(state, account)) } };
}

function getAccount({ state, params }: RouteContext) {
  return { body: renderAccount(state, findAccount(state, params.id ?? '')) };
}

function postAccountMembers(context: RouteContext) {
  const body = context.body as { account_id: string; members: AccountMemberInput[] };
  const added = addAccountMembers(context, body.account_id, body.members);
  return { body: { account_id: body.account_id, members: added.map(renderAccountMember) } };
}

function deleteMember(context: RouteContext) {
  deleteAccountMember(context, context.params.id ?? '');
  return { body: {} };
}

export const accountRoutes: Route[] = [
  { method: 'POST', path: '/v2/identity/accounts', operationId: 'CreateAccount', handler: postAccount },
  { method: 'PUT', path: '/v2/identity/accounts', operationId: 'UpdateAccount', handler: putAccount },
  { method: 'GET', path: '/v2/identity/accounts', operationId: 'ListAccounts', handler: listAccounts },
  { method: 'GET', path: '/v2/identity/accounts/:id', operationId: 'GetAccount', handler: getAccount },
  { method: 'POST', path: '/v2/identity/account-members', operationId: 'AddAccountMembers', handler: postAccountMembers },
  { method: 'DELETE', path: '/v2/identity/account-members/:id', operationId: 'DeleteAccountMember', handler: deleteMember },
];
