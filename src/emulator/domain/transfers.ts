/**
 * Sandbox deposits and the transfers they leave. A deposit carries no
 * idempotency key (as in Paxos): each call is one more COMPLETED CREDIT
 * transfer — `CRYPTO_DEPOSIT` with a `crypto_network`, else `WIRE_DEPOSIT`.
 *
 * As strict as Paxos documents it:
 * - the answer's `activity_id` is an activity id, not the transfer id (the
 *   docs call it "the UUID of the customer activity created for the
 *   deposit"). The spec's Transfer has no field naming the activity (its
 *   `group_id` links the two sides of an internal transfer, not this), so the
 *   emulator offers no way to relate them either: a client must not rely on one.
 * - the transfer is listed (`GET /transfer/transfers`, and by id) only
 *   `transferListingDelayMs` after the call, and the balance is credited at
 *   that same moment, not at the call. The docs confirm sandbox funding
 *   through balances and say fiat deposits "can take a minute"; crediting late
 *   is the less kind choice, and crediting together with the listing still
 *   lets a client know when money arrived (balance and listing agree).
 * - a profile whose owner (the identity of the profile's account) is not
 *   APPROVED refuses deposits with 403: the statuses grid says such an identity
 *   cannot hold assets. Profiles without an account (DEFAULT, standalone
 *   NORMAL books) accept them.
 * `instant-transfers` lists and credits at once with `activity_id` = transfer
 * id; `unapproved-funding` lets any identity's profile be funded.
 */
import { problems, type RouteContext, type Ticker } from '../framework.js';
import { nextSeq, type EmulatorState } from '../state.js';
import { credit } from './balances.js';
import { compare, formatDecimal, parseDecimal, zero, type Scaled } from './decimal.js';
import { fiatAssets, knownAssets } from './markets.js';
import { moneySettingsOf } from './money-settings.js';
import { assertActive, findProfile } from './profiles.js';
import type { JsonObject, ProfileRecord, TransferRecord } from './records.js';

export interface DepositInput {
  asset: string;
  amount: string;
  crypto_network?: string;
}

/** The API user's customer id, made on first use. */
export function customerIdOf(context: Pick<RouteContext, 'state' | 'newId'>): string {
  return (context.state.customer_id ??= context.newId());
}

/** A positive decimal amount, or a 400 naming the field as Paxos words it. */
export function parsePositiveAmount(text: string, field: string): Scaled {
  let amount: Scaled;
  try {
    amount = parseDecimal(text);
  } catch {
    throw problems.invalidField(field, `invalid amount '${text}': must be positive decimal`);
  }
  if (compare(amount, zero) <= 0) throw problems.invalidField(field, `invalid amount '${text}': must be positive decimal`);
  return amount;
}

/** 403 unless the profile's owning identity is APPROVED (profiles without an account have no owner to check). */
function assertMayHoldAssets(context: RouteContext, profile: ProfileRecord): void {
  if (context.lenient.has('unapproved-funding')) return;
  const account = profile.account_id ? context.state.accounts[profile.account_id] : undefined;
  const identity = account ? context.state.identities[account.identity_id] : undefined;
  if (!identity || identity.summary_status === 'APPROVED') return;
  throw problems.forbidden(
    `identity ${identity.id} cannot hold assets: summary_status is ${identity.summary_status}; only APPROVED identities can be funded`,
    { identity_id: identity.id, summary_status: identity.summary_status, profile_id: profile.id },
  );
}

/** `POST /sandbox/profiles/{id}/deposit`: records the deposit; it is listed and credited later (at once under `instant-transfers`). */
export function depositToProfile(context: RouteContext, profileId: string, input: DepositInput): TransferRecord {
  const profile = findProfile(context, profileId);
  assertActive(profile);
  if (!knownAssets.includes(input.asset)) throw problems.invalidField('asset', `unsupported asset '${input.asset}'; one of ${knownAssets.join(', ')}`);
  const fiat = fiatAssets.includes(input.asset);
  if (fiat && input.crypto_network) throw problems.invalidField('crypto_network', `omit crypto_network for a fiat deposit of ${input.asset}`);
  if (!fiat && !input.crypto_network) throw problems.invalidField('crypto_network', `is required for a crypto deposit of ${input.asset}`);
  const amount = parsePositiveAmount(input.amount, 'amount');
  assertMayHoldAssets(context, profile);
  const account = profile.account_id ? context.state.accounts[profile.account_id] : undefined;
  const now = context.now();
  const at = now.toISOString();
  const text = formatDecimal(amount);
  const instant = context.lenient.has('instant-transfers');
  const id = context.newId();
  const transfer: TransferRecord = {
    seq: nextSeq(context.state),
    id,
    customer_id: customerIdOf(context),
    profile_id: profile.id,
    ...(account ? { identity_id: account.identity_id, account_id: account.id } : {}),
    amount: text,
    total: text,
    fee: '0',
    asset: input.asset,
    balance_asset: input.asset,
    direction: 'CREDIT',
    type: fiat ? 'WIRE_DEPOSIT' : 'CRYPTO_DEPOSIT',
    status: 'COMPLETED',
    ...(input.crypto_network ? { crypto_network: input.crypto_network } : {}),
    created_at: at,
    updated_at: at,
    activity_id: instant ? id : context.newId(),
  };
  context.state.transfers[transfer.id] = transfer;
  if (instant) credit(context.state, profile.id, input.asset, amount);
  else {
    transfer.unlisted_until = new Date(now.getTime() + moneySettingsOf(context).transferListingDelayMs).toISOString();
    context.state.unlistedTransferIds[transfer.id] = true;
  }
  return transfer;
}

/** Whether the transfer shows in the listing and by id (a deposit only once its listing delay has passed). */
export function isListed(transfer: TransferRecord): boolean {
  return transfer.unlisted_until === undefined;
}

/** Whether the profile has deposits still to be credited. */
export function hasUnlistedDeposits(state: EmulatorState, profileId: string): boolean {
  return Object.keys(state.unlistedTransferIds).some((id) => state.transfers[id]?.profile_id === profileId);
}

/** The ticker: deposits whose delay has passed are listed and credited, in one step so listing and balance agree. */
export const transferTicker: Ticker = (context) => {
  const nowMs = context.now().getTime();
  let changed = false;
  for (const id of Object.keys(context.state.unlistedTransferIds)) {
    const transfer = context.state.transfers[id];
    if (transfer?.unlisted_until !== undefined && Date.parse(transfer.unlisted_until) > nowMs) continue;
    delete context.state.unlistedTransferIds[id];
    changed = true;
    if (transfer?.unlisted_until === undefined) continue;
    delete transfer.unlisted_until;
    transfer.updated_at = new Date(nowMs).toISOString();
    credit(context.state, transfer.profile_id, transfer.asset, parseDecimal(transfer.amount));
  }
  return changed;
};

export function findTransfer(state: EmulatorState, id: string): TransferRecord {
  const transfer = state.transfers[id];
  if (!transfer || !isListed(transfer)) throw problems.notFound(`transfer not found: ${id}`);
  return transfer;
}

/** The API's Transfer. */
export function renderTransfer(transfer: TransferRecord): JsonObject {
  const { seq: _seq, activity_id: _activity, unlisted_until: _unlisted, ...rest } = transfer;
  return rest;
}
