/**
 * Accounts of identities and their members. An account's `ref_id` is unique
 * (409 naming the existing account); `create_profile` makes a NORMAL profile
 * linked both ways (`account.profile_id`, `profile.account_id`).
 */
import { AccountAccountType } from '../../domain/paxos-enums.generated.js';
import { problems, type RouteContext } from '../framework.js';
import { nextSeq, type EmulatorState } from '../state.js';
import { createProfile } from './profiles.js';
import type { AccountMemberRecord, AccountRecord, JsonObject } from './records.js';
import { throwIfViolated, type Violation } from './violations.js';

export interface AccountMemberInput {
  identity_id?: string;
  roles?: string[];
}

export interface AccountInput {
  id?: string;
  identity_id?: string;
  ref_id?: string;
  description?: string;
  name?: string;
  type?: string;
  metadata?: Record<string, string>;
  members?: AccountMemberInput[];
}

export function findAccount(state: EmulatorState, id: string): AccountRecord {
  const account = state.accounts[id];
  if (!account) throw problems.notFound(`account not found: ${id}`);
  return account;
}

function assertRefIdFree(state: EmulatorState, refId: string | undefined, selfId?: string): void {
  if (!refId) return;
  const existing = state.accountIdByRefId[refId];
  if (existing !== undefined && existing !== selfId) throw problems.alreadyExists(`account already exists with ref_id '${refId}'`, existing);
}

function checkMembers(state: EmulatorState, members: readonly AccountMemberInput[], field: string, into: Violation[]): void {
  members.forEach((member, index) => {
    const at = `${field}[${index}]`;
    if (!member.identity_id) into.push({ field: `${at}.identity_id`, message: 'is required' });
    else if (!state.identities[member.identity_id]) into.push({ field: `${at}.identity_id`, message: `identity ${member.identity_id} does not exist` });
    if (!member.roles || member.roles.length === 0) into.push({ field: `${at}.roles`, message: 'must name at least one role' });
  });
}

function storeMembers(context: RouteContext, accountId: string, members: readonly AccountMemberInput[]): AccountMemberRecord[] {
  return members.map((member) => {
    const record: AccountMemberRecord = { seq: nextSeq(context.state), id: context.newId(), account_id: accountId, identity_id: member.identity_id ?? '', roles: [...(member.roles ?? [])] };
    context.state.accountMembers[record.id] = record;
    return record;
  });
}

/** `POST /identity/accounts`. */
export function createAccount(context: RouteContext, input: AccountInput, withProfile: boolean): AccountRecord {
  const { state } = context;
  assertRefIdFree(state, input.ref_id);
  const violations: Violation[] = [];
  if (!input.identity_id) violations.push({ field: 'account.identity_id', message: 'is required' });
  else if (!state.identities[input.identity_id]) violations.push({ field: 'account.identity_id', message: `identity ${input.identity_id} does not exist` });
  checkMembers(state, input.members ?? [], 'account.members', violations);
  throwIfViolated(violations);
  const at = context.now().toISOString();
  const account: AccountRecord = {
    seq: nextSeq(state),
    id: context.newId(),
    identity_id: input.identity_id ?? '',
    ...pick(input, ['ref_id', 'description', 'name', 'type', 'metadata']),
    user_disabled: false,
    admin_disabled: false,
    created_at: at,
    updated_at: at,
  };
  state.accounts[account.id] = account;
  if (account.ref_id) state.accountIdByRefId[account.ref_id] = account.id;
  storeMembers(context, account.id, input.members ?? []);
  if (withProfile) account.profile_id = createProfile(context, { nickname: account.id, accountId: account.id }).id;
  return account;
}

function pick<K extends keyof AccountInput>(input: AccountInput, keys: readonly K[]): Partial<Pick<AccountInput, K>> {
  const result: Partial<Pick<AccountInput, K>> = {};
  for (const key of keys) if (input[key] !== undefined) result[key] = input[key];
  return result;
}

/** `PUT /identity/accounts`: description, ref_id, metadata (replaced), the full members list, set_user_disabled. */
export function updateAccount(context: RouteContext, input: AccountInput, setUserDisabled: boolean | undefined): AccountRecord {
  const { state } = context;
  if (!input.id) throw problems.invalidField('account.id', 'is required');
  const account = findAccount(state, input.id);
  assertRefIdFree(state, input.ref_id, account.id);
  const violations: Violation[] = [];
  if (input.members !== undefined) {
    if (input.members.length === 0) violations.push({ field: 'account.members', message: 'must have at least one element; remove the last member with DELETE /identity/account-members/{id}' });
    checkMembers(state, input.members, 'account.members', violations);
  }
  throwIfViolated(violations);
  if (input.ref_id !== undefined && input.ref_id !== account.ref_id) {
    if (account.ref_id) delete state.accountIdByRefId[account.ref_id];
    account.ref_id = input.ref_id;
    if (input.ref_id) state.accountIdByRefId[input.ref_id] = account.id;
  }
  if (input.description !== undefined) account.description = input.description;
  if (input.metadata !== undefined) account.metadata = input.metadata;
  if (input.members !== undefined) {
    for (const member of membersOf(state, account.id)) delete state.accountMembers[member.id];
    storeMembers(context, account.id, input.members);
  }
  if (setUserDisabled !== undefined) account.user_disabled = setUserDisabled;
  account.updated_at = context.now().toISOString();
  return account;
}

/** `POST /identity/account-members`: adds beside the existing members. */
export function addAccountMembers(context: RouteContext, accountId: string, members: readonly AccountMemberInput[]): AccountMemberRecord[] {
  const account = findAccount(context.state, accountId);
  const violations: Violation[] = [];
  checkMembers(context.state, members, 'members', violations);
  throwIfViolated(violations);
  account.updated_at = context.now().toISOString();
  return storeMembers(context, account.id, members);
}

export function deleteAccountMember(state: EmulatorState, memberId: string): void {
  if (!state.accountMembers[memberId]) throw problems.notFound(`account member not found: ${memberId}`);
  delete state.accountMembers[memberId];
}

function membersOf(state: EmulatorState, accountId: string): AccountMemberRecord[] {
  return Object.values(state.accountMembers).filter((member) => member.account_id === accountId).sort((a, b) => a.seq - b.seq);
}

export function renderAccountMember(member: AccountMemberRecord): JsonObject {
  return { id: member.id, identity_id: member.identity_id, roles: member.roles };
}

/**
 * The API's Account. `summary_status` is the owning identity's. A `type` the
 * spec does not list (the guide's CRYPTO_BROKERAGE) is kept but not shown.
 */
export function renderAccount(state: EmulatorState, account: AccountRecord): JsonObject {
  const { seq: _seq, type, ...rest } = account;
  const summary = state.identities[account.identity_id]?.summary_status;
  return {
    ...rest,
    ...(type !== undefined && (AccountAccountType as readonly string[]).includes(type) ? { type } : {}),
    ...(summary ? { summary_status: summary } : {}),
    members: membersOf(state, account.id).map(renderAccountMember),
  };
}
