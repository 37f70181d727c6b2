/**
 * Every route and ticker of the emulator. Each area module exports its
 * `Route[]` (and tickers, if time drives it); add yours to the lists below.
 */
import type { Route, Ticker } from '../framework.js';
import { eventRoutes } from './events.js';
import { identityRoutes, identityTickers } from './identities.js';

export function allRoutes(): Route[] {
  return [...eventRoutes, ...identityRoutes];
}

export function allTickers(): Ticker[] {
  return [...identityTickers];
}
