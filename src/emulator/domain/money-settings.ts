/**
 * The timing and seed the money side of the emulator runs on: how long the
 * book takes to take an order, how long a sandbox deposit stays unlisted, and
 * the seed of the price walk. Set from `EmulatorOptions` by the server; a
 * context without them (unit tests of other areas) gets the defaults.
 */
export interface MoneySettings {
  /** Seed of the price walk (the emulator's `seed`). */
  seed: number;
  /** After this long a SUBMITTED order reaches the book: a MARKET order fills, a LIMIT fills, rests or is rejected. */
  orderFillDelayMs: number;
  /** After this long a sandbox deposit is listed as a transfer and credited to the balance. */
  transferListingDelayMs: number;
}

export const defaultMoneySettings: MoneySettings = { seed: 1, orderFillDelayMs: 500, transferListingDelayMs: 3000 };

export function moneySettingsOf(context: { money?: MoneySettings }): MoneySettings {
  return context.money ?? defaultMoneySettings;
}

/** No settlement delays: deposits listed and orders filled at the next request (the embedded default, test fixtures). */
export const fastTiming = { orderFillDelayMs: 0, transferListingDelayMs: 0 } as const;
/** Paxos-like settlement delays: what the `emulator` command and realistic runs use. */
export const paxosTiming = { orderFillDelayMs: defaultMoneySettings.orderFillDelayMs, transferListingDelayMs: defaultMoneySettings.transferListingDelayMs } as const;
