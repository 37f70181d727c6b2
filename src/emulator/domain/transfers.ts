/**
 * Sandbox deposits and the transfers they leave. A deposit carries no
 * idempotency key (as in Paxos): each call credits again and records one more
 * COMPLETED CREDIT transfer — `CRYPTO_DEPOSIT` with a `crypto_network`, else
 * `WIRE_DEPOSIT` (fiat).
 */
import { problems, type RouteContext } from '../framework.js';
import { nextSeq, type EmulatorState } from '../state.js';
import { credit } from './balances.js';
import { compare, formatDecimal, parseDecimal, zero, type Scaled } from './decimal.js';
import { fiatAssets, knownAssets } from './markets.js';
import { assertActive, findProfile } from './profiles.js';
import type { JsonObject, TransferRecord } from './records.js';

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

/** `POST /sandbox/profiles/{id}/deposit`: credits the profile; returns the transfer (its id is the `activity_id`). */
export function depositToProfile(context: RouteContext, profileId: string, input: DepositInput): TransferRecord {
  const profile = findProfile(context, profileId);
  assertActive(profile);
  if (!knownAssets.includes(input.asset)) throw problems.invalidField('asset', `unsupported asset '${input.asset}'; one of ${knownAssets.join(', ')}`);
  const fiat = fiatAssets.includes(input.asset);
  if (fiat && input.crypto_network) throw problems.invalidField('crypto_network', `omit crypto_network for a fiat deposit of ${input.asset}`);
  if (!fiat && !input.crypto_network) throw problems.invalidField('crypto_network', `is required for a crypto deposit of ${input.asset}`);
  const amount = parsePositiveAmount(input.amount, 'amount');
  const account = profile.account_id ? context.state.accounts[profile.account_id] : undefined;
  const at = context.now().toISOString();
  const text = formatDecimal(amount);
  const transfer: TransferRecord = {
    seq: nextSeq(context.state),
    id: context.newId(),
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
  };
  context.state.transfers[transfer.id] = transfer;
  credit(context.state, profile.id, input.asset, amount);
  return transfer;
}

export function findTransfer(state: EmulatorState, id: string): TransferRecord {
  const transfer = state.transfers[id];
  if (!transfer) throw problems.notFound(`transfer not found: ${id}`);
  return transfer;
}

/** The API's Transfer. */
export function renderTransfer(transfer: TransferRecord): JsonObject {
  const { seq: _seq, ...rest } = transfer;
  return rest;
}
