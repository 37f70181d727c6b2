/**
 * Profile balances. `available` is free to spend or withdraw; `trading` is
 * what open orders hold. Every change goes through these functions, with
 * exact decimals, so balances never drift.
 */
import { problems } from '../framework.js';
import type { EmulatorState } from '../state.js';
import { add, compare, formatDecimal, parseDecimal, subtract, zero, type Scaled } from './decimal.js';
import { knownAssets } from './markets.js';
import type { BalanceRecord } from './records.js';

function slot(state: EmulatorState, profileId: string, asset: string): BalanceRecord {
  const assets = (state.balances[profileId] ??= {});
  return (assets[asset] ??= { available: '0', trading: '0' });
}

export function availableOf(state: EmulatorState, profileId: string, asset: string): Scaled {
  return parseDecimal(state.balances[profileId]?.[asset]?.available ?? '0');
}

export function credit(state: EmulatorState, profileId: string, asset: string, amount: Scaled): void {
  const balance = slot(state, profileId, asset);
  balance.available = formatDecimal(add(parseDecimal(balance.available), amount));
}

/** Takes `amount` from `available`, or throws the 403 Insufficient Funds problem with Paxos's meta. */
export function debit(state: EmulatorState, profileId: string, asset: string, amount: Scaled): void {
  assertAvailable(state, profileId, asset, amount);
  const balance = slot(state, profileId, asset);
  balance.available = formatDecimal(subtract(parseDecimal(balance.available), amount));
}

export function assertAvailable(state: EmulatorState, profileId: string, asset: string, needed: Scaled): void {
  const available = availableOf(state, profileId, asset);
  if (compare(available, needed) >= 0) return;
  throw problems.insufficientFunds({ profile_id: profileId, asset, available: formatDecimal(available), needed: formatDecimal(needed) });
}

/** Moves `amount` from `available` to `trading` (an order rests). */
export function hold(state: EmulatorState, profileId: string, asset: string, amount: Scaled): void {
  debit(state, profileId, asset, amount);
  const balance = slot(state, profileId, asset);
  balance.trading = formatDecimal(add(parseDecimal(balance.trading), amount));
}

/** Moves a hold back from `trading` to `available` (an order is cancelled). */
export function release(state: EmulatorState, profileId: string, asset: string, amount: Scaled): void {
  const balance = slot(state, profileId, asset);
  balance.trading = formatDecimal(subtract(parseDecimal(balance.trading), amount));
  balance.available = formatDecimal(add(parseDecimal(balance.available), amount));
}

/** Whether anything is left in the profile, available or held. */
export function hasFunds(state: EmulatorState, profileId: string): boolean {
  return Object.values(state.balances[profileId] ?? {}).some(
    (balance) => compare(parseDecimal(balance.available), zero) !== 0 || compare(parseDecimal(balance.trading), zero) !== 0,
  );
}

/** The API's ProfileBalance list: every known asset (zeros included, as Paxos lists them) plus any other held. */
export function listBalances(state: EmulatorState, profileId: string, only: readonly string[]): Array<{ asset: string } & BalanceRecord> {
  const held = Object.keys(state.balances[profileId] ?? {});
  const assets = only.length > 0 ? only : [...new Set([...knownAssets, ...held])];
  return assets.map((asset) => balanceOf(state, profileId, asset));
}

export function balanceOf(state: EmulatorState, profileId: string, asset: string): { asset: string } & BalanceRecord {
  const balance = state.balances[profileId]?.[asset];
  return { asset, available: balance?.available ?? '0', trading: balance?.trading ?? '0' };
}
