/**
 * A ledger of sandbox deposits kept in Paxos itself (DESIGN.md "Semantics"):
 * a deposit has no key, and the transfer listing may lag the deposit call by
 * up to a minute, so the listing alone cannot tell "never made" from "made a
 * moment ago". Each deposit to an account's profile is recorded in that
 * account's `metadata` (updatable, returned by every account read) before the
 * call (`sent`) and after it (`done`). Any machine, with or without the local
 * journal, reads the ledger before depositing:
 * - `done`: the deposit was made; nothing is sent;
 * - `sent`: the call may have landed: the listing decides, and only once the
 *   entry is older than the listing's lag bound does absence mean "never landed";
 * - none: never attempted.
 *
 * Entries are keyed by a digest of the deposit's address (metadata keys stay
 * short and free of the manifest's characters); the value says what was
 * deposited, so a deposit whose amount was edited is a new deposit.
 */
import { sha256Hex } from '../plan/canonical-json.js';
import type { PaxosClient } from '../paxos/types.js';
import type { Json } from './identity-fields.js';

export const ledgerKeyPrefix = 'paxos-onboard.deposit.';
const accountsPath = '/v2/identity/accounts';

export interface LedgerEntry {
  state: 'sent' | 'done';
  asset: string;
  amount: string;
  /** When the entry was written as `sent`, before the call (ISO 8601). */
  at: string;
  /** The deposit's answer, once known. */
  activityId?: string;
}

export function ledgerKey(address: string): string {
  return `${ledgerKeyPrefix}${sha256Hex(address).slice(0, 20)}`;
}

export function isLedgerKey(key: string): boolean {
  return key.startsWith(ledgerKeyPrefix);
}

/** The metadata without the ledger's keys: what a user wrote and compares. */
export function withoutLedger(metadata: unknown): Record<string, string> | undefined {
  if (metadata === null || typeof metadata !== 'object') return undefined;
  return Object.fromEntries(Object.entries(metadata as Record<string, string>).filter(([key]) => !isLedgerKey(key)));
}

/** Only the ledger's keys, to carry over when the user's metadata is replaced. */
export function ledgerOnly(metadata: unknown): Record<string, string> {
  if (metadata === null || typeof metadata !== 'object') return {};
  return Object.fromEntries(Object.entries(metadata as Record<string, string>).filter(([key]) => isLedgerKey(key)));
}

export function readLedgerEntry(metadata: unknown, address: string): LedgerEntry | undefined {
  if (metadata === null || typeof metadata !== 'object') return undefined;
  const text = (metadata as Record<string, unknown>)[ledgerKey(address)];
  if (typeof text !== 'string') return undefined;
  try {
    const value = JSON.parse(text) as Record<string, unknown>;
    if ((value.s !== 'sent' && value.s !== 'done') || typeof value.asset !== 'string' || typeof value.amount !== 'string' || typeof value.at !== 'string') return undefined;
    return { state: value.s, asset: value.asset, amount: value.amount, at: value.at, ...(typeof value.activity === 'string' ? { activityId: value.activity } : {}) };
  } catch {
    // Not ours, or damaged by hand: treated as no entry, so the listing decides as before the ledger.
    return undefined;
  }
}

function encodeEntry(entry: LedgerEntry): string {
  return JSON.stringify({ s: entry.state, asset: entry.asset, amount: entry.amount, at: entry.at, ...(entry.activityId !== undefined ? { activity: entry.activityId } : {}) });
}

export async function readLedgerAccount(client: PaxosClient, accountId: string): Promise<Json> {
  return client.request<Json>({ method: 'GET', path: `${accountsPath}/${encodeURIComponent(accountId)}` });
}

/**
 * Writes one entry: the account is sent back whole with the entry set, since
 * Update Account may replace what it is not sent (members go as the full
 * list). `current` is the account as this run last read or wrote it a moment
 * ago; without it the account is read afresh. Deposits of one account are
 * written one at a time by the caller, so no entry is lost to a concurrent
 * write of this run. Answers the account as written.
 */
export async function writeLedgerEntry(client: PaxosClient, accountId: string, address: string, entry: LedgerEntry, current?: Json): Promise<Json> {
  const account = current ?? (await readLedgerAccount(client, accountId));
  const metadata = { ...((account.metadata as Record<string, string> | undefined) ?? {}), [ledgerKey(address)]: encodeEntry(entry) };
  return client.request<Json>({ method: 'PUT', path: accountsPath, body: { account: echoAccount(account, metadata) }, retry: 'safe' });
}

/** The writable fields of an account as read, with new metadata: what Update Account is sent. */
export function echoAccount(account: Json, metadata: Record<string, string>): Json {
  const echoed: Json = { id: account.id, identity_id: account.identity_id, metadata };
  for (const field of ['ref_id', 'description'] as const) if (typeof account[field] === 'string') echoed[field] = account[field];
  if (Array.isArray(account.members) && account.members.length > 0) {
    echoed.members = (account.members as Json[]).map((member) => ({ identity_id: member.identity_id, roles: member.roles }));
  }
  return echoed;
}
