/**
 * The emulator's whole state: plain JSON-serialisable data, so `--data file.json`
 * can persist it and reload it as is. Domain collections are keyed by id.
 */

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
  // Domain collections (identities, accounts, profiles, balances, transfers, orders...)
  // are declared by the domain routes' owner below.
}

export function createEmptyState(): EmulatorState {
  return { version: 1, events: [] };
}
