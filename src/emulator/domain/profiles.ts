/**
 * Profiles: the API user's DEFAULT (omnibus) profile, made on first use; NORMAL
 * profiles by unique nickname (409 naming the existing one) or linked to an
 * account by `create_profile`; deactivation.
 */
import { problems, type RouteContext } from '../framework.js';
import { nextSeq, type EmulatorState } from '../state.js';
import { hasFunds } from './balances.js';
import { hasUnlistedDeposits } from './transfers.js';
import type { JsonObject, ProfileRecord } from './records.js';

type Maker = Pick<RouteContext, 'state' | 'now' | 'newId'>;

/** The DEFAULT profile's nickname, as Paxos names it. */
export const defaultNickname = 'default';

/** The API user's DEFAULT profile, created the first time anything needs it. */
export function ensureDefaultProfile(context: Maker): ProfileRecord {
  const { state } = context;
  const existing = state.default_profile_id ? state.profiles[state.default_profile_id] : undefined;
  if (existing) return existing;
  const profile: ProfileRecord = {
    seq: nextSeq(state),
    id: context.newId(),
    nickname: defaultNickname,
    type: 'DEFAULT',
    deactivated: false,
    created_at: context.now().toISOString(),
  };
  state.profiles[profile.id] = profile;
  state.default_profile_id = profile.id;
  return profile;
}

export function findProfile(context: Maker, id: string): ProfileRecord {
  ensureDefaultProfile(context);
  const profile = context.state.profiles[id];
  if (!profile) throw problems.notFound(`profile not found: ${id}`);
  return profile;
}

function assertNicknameFree(state: EmulatorState, nickname: string, selfId?: string): void {
  if (nickname.trim() === '') throw problems.invalidField('nickname', 'must not be empty');
  const existing = Object.values(state.profiles).find((profile) => profile.nickname === nickname && profile.id !== selfId);
  if (existing) throw problems.alreadyExists('nickname already exists', existing.id, { nickname: existing.nickname, type: existing.type });
}

/** A NORMAL profile; `accountId` links it to the account that asked for it. */
export function createProfile(context: Maker, input: { nickname: string; description?: string; accountId?: string }): ProfileRecord {
  ensureDefaultProfile(context);
  assertNicknameFree(context.state, input.nickname);
  const profile: ProfileRecord = {
    seq: nextSeq(context.state),
    id: context.newId(),
    nickname: input.nickname,
    type: 'NORMAL',
    ...(input.description !== undefined ? { description: input.description } : {}),
    ...(input.accountId !== undefined ? { account_id: input.accountId } : {}),
    deactivated: false,
    created_at: context.now().toISOString(),
  };
  context.state.profiles[profile.id] = profile;
  return profile;
}

export function renameProfile(context: Maker, profile: ProfileRecord, nickname: string): ProfileRecord {
  if (profile.type === 'DEFAULT') throw problems.badRequest('the default profile cannot be renamed');
  assertNicknameFree(context.state, nickname, profile.id);
  profile.nickname = nickname;
  return profile;
}

/** `PUT /profiles/{id}/deactivate`: not the DEFAULT profile, and only when empty. */
export function deactivateProfile(state: EmulatorState, profile: ProfileRecord): void {
  if (profile.type === 'DEFAULT') throw problems.badRequest('the default profile cannot be deactivated');
  // A deposit not yet credited is money on its way in: refused as a balance would be.
  if (hasFunds(state, profile.id) || hasUnlistedDeposits(state, profile.id)) {
    throw problems.badRequest(`profile ${profile.id} has a non-zero balance and cannot be deactivated`);
  }
  profile.deactivated = true;
}

/** Refuses money movements into or out of a deactivated profile. */
export function assertActive(profile: ProfileRecord): void {
  if (profile.deactivated) throw problems.badRequest(`profile ${profile.id} is deactivated`);
}

/** The API's Profile. */
export function renderProfile(profile: ProfileRecord): JsonObject {
  return {
    id: profile.id,
    nickname: profile.nickname,
    type: profile.type,
    ...(profile.account_id !== undefined ? { account_id: profile.account_id } : {}),
    ...(profile.description !== undefined ? { description: profile.description } : {}),
  };
}
