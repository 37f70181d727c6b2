/**
 * The emulator's whole state: plain JSON-serialisable data, so `--data file.json`
 * can persist it and reload it as is. Domain collections are keyed by id; the
 * secondary indexes (`...IdByRefId`) are plain objects kept beside them.
 */
import type {
  AccountMemberRecord,
  AccountRecord,
  BalanceRecord,
  IdentityRecord,
  InstitutionMemberRecord,
  OrderRecord,
  ProfileRecord,
  TransferRecord,
} from './domain/records.js';

export interface EventRecord {
  id: string;
  type: string;
  /** RFC 3339. */
  created_at: string;
  /** The event's object, e.g. `{id, identity_id, old_summary_status, new_summary_status}`. */
  object: Record<string, unknown>;
}

export interface EmulatorState {
  /** Bumped when the shape changes, so an old `--data` file is refused rather than misread. */
  version: 1;
  events: EventRecord[];
  /** Creation counter: every domain record gets the next value as its `seq`. */
  sequence: number;
  /** The API user's customer id (transfers show it); made on first use. */
  customer_id: string | null;
  identities: Record<string, IdentityRecord>;
  identityIdByRefId: Record<string, string>;
  /** Key: `cip_id_type|cip_id_country|cip_id`. */
  identityIdByCip: Record<string, string>;
  /** Under `--approve after:<duration>`: identity id → when the emulator decides by itself (RFC 3339). */
  identityDecideAt: Record<string, string>;
  institutionMembers: Record<string, InstitutionMemberRecord>;
  accounts: Record<string, AccountRecord>;
  accountIdByRefId: Record<string, string>;
  accountMembers: Record<string, AccountMemberRecord>;
  profiles: Record<string, ProfileRecord>;
  /** The API user's DEFAULT (omnibus) profile; made on first use. */
  default_profile_id: string | null;
  /** profile id → asset → balance. */
  balances: Record<string, Record<string, BalanceRecord>>;
  transfers: Record<string, TransferRecord>;
  orders: Record<string, OrderRecord>;
  orderIdByRefId: Record<string, string>;
  /** Orders the ticker still works (SUBMITTED, OPEN): id → true. */
  workingOrderIds: Record<string, true>;
  /** Sandbox deposits not yet listed nor credited: transfer id → true. */
  unlistedTransferIds: Record<string, true>;
}

export function createEmptyState(): EmulatorState {
  return {
    version: 1,
    events: [],
    sequence: 0,
    customer_id: null,
    identities: {},
    identityIdByRefId: {},
    identityIdByCip: {},
    identityDecideAt: {},
    institutionMembers: {},
    accounts: {},
    accountIdByRefId: {},
    accountMembers: {},
    profiles: {},
    default_profile_id: null,
    balances: {},
    transfers: {},
    orders: {},
    orderIdByRefId: {},
    workingOrderIds: {},
    unlistedTransferIds: {},
  };
}

/** The next creation sequence number. */
export function nextSeq(state: EmulatorState): number {
  state.sequence += 1;
  return state.sequence;
}
