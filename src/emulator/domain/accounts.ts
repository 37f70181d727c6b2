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

/**
 * Paxos lets an account's FINANCIAL_ADVISOR and AUTHORIZED_USER members come
 * and go after creation; any other member (a BENEFICIAL_OWNER) is part of what
 * was verified and stays. `any-account-member-update` lifts the rule.
 */
const changeableRoles: ReadonlySet<string> = new Set(['FINANCIAL_ADVISOR', 'AUTHORIZED_USER']);

function isChangeable(member: { roles?: readonly string[] | undefined }): boolean {
  return (member.roles ?? []).every((role) => changeableRoles.has(role));
}

function memberKey(member: { identity_id?: string | undefined; roles?: readonly string[] | undefined }): string {
  return `${member.identity_id ?? ''}|${[...(member.roles ?? [])].sort().join(',')}`;
}

function describeMember(member: { identity_id?: string | undefined; roles?: readonly string[] | undefined }): string {
  return `identity ${member.identity_id ?? '(none)'} with roles ${(member.roles ?? []).join(', ') || '(none)'}`;
}

/**
 * UpdateAccount sends the full list: compared with the current one (the same
 * identity with the same roles is the same member), every member added or
 * removed must be changeable. A member whose roles change is one removed and
 * one added.
 */
function checkMemberChanges(current: readonly AccountMemberRecord[], next: readonly AccountMemberInput[], into: Violation[]): void {
  const remaining = new Map<string, number>();
  for (const member of current) remaining.set(memberKey(member), (remaining.get(memberKey(member)) ?? 0) + 1);
  next.forEach((member, index) => {
    const key = memberKey(member);
    const count = remaining.get(key) ?? 0;
    if (count > 0) remaining.set(key, count - 1);
    else if (!isChangeable(member)) {
      into.push({ field: `account.members[${index}]`, message: `${describeMember(member)} cannot be added to an existing account; only FINANCIAL_ADVISOR and AUTHORIZED_USER members may be added or removed` });
    }
  });
  for (const member of current) {
    const key = memberKey(member);
    const count = remaining.get(key) ?? 0;
    if (count === 0) continue;
    remaining.set(key, count - 1);
    if (!isChangeable(member)) {
      into.push({ field: 'account.members', message: `${describeMember(member)} (member ${member.id}) cannot be removed; only FINANCIAL_ADVISOR and AUTHORIZED_USER members may be added or removed` });
    }
  }
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
    if (!context.lenient.has('any-account-member-update')) checkMemberChanges(membersOf(state, account.id), input.members, violations);
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
  if (!context.lenient.has('any-account-member-update')) {
    members.forEach((member, index) => {
      if (!isChangeable(member)) violations.push({ field: `members[${index}]`, message: `${describeMember(member)} cannot be added to an existing account; only FINANCIAL_ADVISOR and AUTHORIZED_USER members may be added` });
    });
  }
  throwIfViolated(violations);
  account.updated_at = context.now().toISOString();
  return storeMembers(context, account.id, members);
}

export function deleteAccountMember(context: Pick<RouteContext, 'state' | 'lenient'>, memberId: string): void {
  const member = context.state.accountMembers[memberId];
  if (!member) throw problems.notFound(`account member not found: ${memberId}`);
  if (!isChangeable(member) && !context.lenient.has('any-account-member-update')) {
    throw problems.invalidField('id', `member ${memberId} (${describeMember(member)}) cannot be removed; only FINANCIAL_ADVISOR and AUTHORIZED_USER members may be removed`);
  }
  delete context.state.accountMembers[memberId];
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
