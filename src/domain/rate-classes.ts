/**
 * The Paxos REST rate-limit table (PAXOS-API-NOTES.md "Rate limits"), as data:
 * the emulator enforces it and the client's pacer keeps under it. Limits are
 * per client and class, averaged over a 5-minute window; past them Paxos
 * answers 429 to every request of that client for 5 minutes.
 */

export interface RateClass {
  /** Stable name, e.g. `identity-item`; requests of one class share a budget. */
  name: string;
  /** Sustained requests per second allowed, averaged over the window. */
  perSecond: number;
}

export const rateClasses = {
  token: { name: 'token', perSecond: 1 },
  /** `/v2/identity/identities/{id}...` (get, update, sandbox-status), and the market-data and quote-execution paths of the table. */
  tenPerSecond: { name: 'ten-per-second', perSecond: 10 },
  transfer: { name: 'transfer-send', perSecond: 20 },
  default: { name: 'default', perSecond: 50 },
} as const satisfies Record<string, RateClass>;

const tenPerSecondPaths = [
  /^\/v2\/identity\/identities\/[^/]+(\/.*)?$/,
  /^\/v2\/markets\/[^/]+\/order-book$/,
  /^\/v2\/markets\/[^/]+\/recent-executions$/,
  /^\/v2\/profiles\/[^/]+\/quote-executions(\/.*)?$/,
];

/**
 * The class a request counts against. `path` is the URL path without query
 * (`/v2/identity/identities/…`); the list/create path `/v2/identity/identities`
 * itself is in the default class.
 */
export function rateClassOf(_method: string, path: string): RateClass {
  if (path === '/oauth2/token') return rateClasses.token;
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  if (trimmed === '/v2/transfer/internal' || trimmed === '/v2/transfer/crypto-withdrawals') return rateClasses.transfer;
  if (tenPerSecondPaths.some((pattern) => pattern.test(trimmed))) return rateClasses.tenPerSecond;
  return rateClasses.default;
}
