/**
 * What a user counts after an apply to check that nothing was made twice:
 * the emulator's identities and accounts per ref_id, profiles per manifest
 * address, deposit transfers per profile (as a multiset of amounts) and
 * orders per ref_id — next to what the manifest declares. Anything the
 * emulator holds that no manifest address accounts for shows up under an
 * `(other …)` key, so `expect(countWorld(...)).toEqual(expectedWorld(...))`
 * also fails on strays.
 */
import type { EmulatorState } from '../../src/emulator/state.js';
import type { Address, Model } from '../../src/manifest/model.js';

export interface WorldCounts {
  /** ref_id → identities holding it. */
  identities: Record<string, number>;
  /** ref_id → accounts holding it. */
  accounts: Record<string, number>;
  /** Profile address (`account.x` with `profile: true`, `profile.y`) → NORMAL profiles standing for it. */
  profiles: Record<string, number>;
  /** Profile address → its deposit transfers, `amount asset`, sorted. */
  deposits: Record<string, string[]>;
  /** ref_id → orders holding it. */
  orders: Record<string, number>;
}

export function expectedWorld(model: Model): WorldCounts {
  const expected: WorldCounts = { identities: {}, accounts: {}, profiles: {}, deposits: {}, orders: {} };
  for (const resource of model.resources.values()) {
    switch (resource.kind) {
      case 'person':
      case 'institution':
        expected.identities[resource.fields.ref_id] = 1;
        break;
      case 'account':
        expected.accounts[resource.fields.ref_id] = 1;
        if (resource.fields.profile) expected.profiles[resource.address] = 1;
        break;
      case 'profile':
        expected.profiles[resource.address] = 1;
        break;
      case 'deposit':
        (expected.deposits[resource.fields.profile] ??= []).push(`${canonicalAmount(resource.fields.amount)} ${resource.fields.asset}`);
        break;
      case 'order':
        expected.orders[resource.fields.ref_id] = 1;
        break;
    }
  }
  for (const list of Object.values(expected.deposits)) list.sort();
  return expected;
}

export function countWorld(state: EmulatorState, model: Model): WorldCounts {
  const counts: WorldCounts = { identities: {}, accounts: {}, profiles: {}, deposits: {}, orders: {} };
  const bump = (record: Record<string, number>, key: string) => (record[key] = (record[key] ?? 0) + 1);
  for (const identity of Object.values(state.identities)) bump(counts.identities, identity.ref_id ?? '(other: no ref_id)');
  for (const account of Object.values(state.accounts)) bump(counts.accounts, account.ref_id ?? '(other: no ref_id)');
  for (const order of Object.values(state.orders)) bump(counts.orders, order.ref_id ?? '(other: no ref_id)');

  const addressOfProfile = profileAddresses(state, model);
  for (const profile of Object.values(state.profiles)) {
    if (profile.type !== 'NORMAL') continue;
    bump(counts.profiles, addressOfProfile.get(profile.id) ?? `(other profile ${profile.nickname})`);
  }
  for (const transfer of Object.values(state.transfers)) {
    if (transfer.direction !== 'CREDIT' || !transfer.type.endsWith('_DEPOSIT')) continue;
    const address = addressOfProfile.get(transfer.profile_id) ?? `(other profile ${transfer.profile_id})`;
    (counts.deposits[address] ??= []).push(`${canonicalAmount(transfer.amount)} ${transfer.asset}`);
  }
  for (const list of Object.values(counts.deposits)) list.sort();
  return counts;
}

/** Profile id → the manifest address it stands for: an account's own profile, or a standalone profile by nickname. */
function profileAddresses(state: EmulatorState, model: Model): Map<string, Address> {
  const byId = new Map<string, Address>();
  for (const resource of model.resources.values()) {
    if (resource.kind === 'account' && resource.fields.profile) {
      for (const account of Object.values(state.accounts)) {
        if (account.ref_id === resource.fields.ref_id && account.profile_id !== undefined) byId.set(account.profile_id, resource.address);
      }
    } else if (resource.kind === 'profile') {
      for (const profile of Object.values(state.profiles)) {
        if (profile.nickname === resource.fields.nickname) byId.set(profile.id, resource.address);
      }
    }
  }
  return byId;
}

/** `10000.00` and `10000` are one amount. */
function canonicalAmount(text: string): string {
  const trimmed = text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
  return trimmed.replace(/^0+(?=\d)/, '');
}
