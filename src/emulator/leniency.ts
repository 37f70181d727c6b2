/**
 * The emulator is as strict as documented Paxos by default (DESIGN.md "The
 * embedded emulator"): where it could be kinder, the kindness is one of these
 * named flags, off unless asked for (`emulator --lenient a,b`, `startEmulator({ lenient })`).
 * A test that passes only with a flag on would fail against the real sandbox.
 */
import { UsageError } from '../errors.js';

export const leniencies = {
  'repeated-query-params': 'a single-valued query parameter given twice is read as a list instead of refused with 400',
  'undeclared-body-fields': 'request bodies may carry fields the spec does not declare, and the guides\' account.type CRYPTO_BROKERAGE',
  'event-cursors': 'GET /v2/events answers a next_page_cursor, which the spec does not declare',
  'retry-after': '429 answers carry a Retry-After header, which Paxos does not document',
  'per-client-rate-limits': 'rate limits and the lockout count per client id instead of per source address',
  'instant-fills': 'orders fill inside the create call instead of asynchronously after it',
  'fixed-prices': 'market prices stay at the fixed table instead of a seeded random walk',
  'instant-transfers': 'a deposit is listed as a transfer at once, and its activity_id is the transfer id',
  'unapproved-funding': 'profiles of identities that are not APPROVED accept sandbox deposits',
  'keep-approval-on-update': 'updating verified identity details keeps an APPROVED identity APPROVED instead of sending it back to PENDING',
  'any-account-member-update': 'an account update may add or remove members of any role, not only FINANCIAL_ADVISOR and AUTHORIZED_USER',
} as const;

export type Leniency = keyof typeof leniencies;

export const leniencyNames = Object.keys(leniencies) as Leniency[];

export function isLeniency(name: string): name is Leniency {
  return Object.hasOwn(leniencies, name);
}

/** `instant-fills,retry-after` (or `all`); an unknown name is a UsageError listing the known ones. */
export function parseLeniencies(text: string): Leniency[] {
  const names = text.split(',').map((part) => part.trim()).filter(Boolean);
  if (names.length === 1 && names[0] === 'all') return [...leniencyNames];
  for (const name of names) {
    if (!isLeniency(name)) throw new UsageError(`--lenient: '${name}' is not a leniency; write one or more of ${leniencyNames.join(', ')} (comma separated), or all`);
  }
  return names as Leniency[];
}
