/**
 * Every route and ticker of the emulator. Each area module exports its
 * `Route[]` (and tickers, if time drives it); add yours to the lists below.
 */
import type { Route, Ticker } from '../framework.js';
import { eventRoutes } from './events.js';
import { accountRoutes } from './accounts.js';
import { identityRoutes, identityTickers } from './identities.js';
import { marketRoutes } from './markets.js';
import { orderRoutes, orderTickers } from './orders.js';
import { profileRoutes } from './profiles.js';
import { transferRoutes, transferTickers } from './transfers.js';

export function allRoutes(): Route[] {
  return [...eventRoutes, ...identityRoutes, ...accountRoutes, ...profileRoutes, ...transferRoutes, ...orderRoutes, ...marketRoutes];
}

export function allTickers(): Ticker[] {
  return [...identityTickers, ...orderTickers, ...transferTickers];
}
