/**
 * Turns raw differences into the plan's `FieldChange`s (masked unless the
 * user asked to see PII) and into the step they call for: `update` when every
 * change is one the API can make, `blocked` naming the fields when not.
 */
import { splitPointer } from '../manifest/locate-node.js';
import type { Resource } from '../manifest/model.js';
import { maskSensitiveParts, touchesSensitive } from '../plan/mask.js';
import type { FieldChange } from '../plan/plan-types.js';
import type { RawChange } from './field-diff.js';
import type { ResourceHandler } from './resource-handler.js';

type Masking = { resource: Pick<Resource, 'sensitivePaths'>; handler: Pick<ResourceHandler, 'sensitiveFields'>; showSensitive: boolean };

/**
 * `immutable` lists the JSON pointers the API cannot change (`/cip_id`); a
 * change at or under one of them is `updatable: false`.
 */
export function toFieldChanges(raw: readonly RawChange[], immutable: readonly string[], masking: Masking): FieldChange[] {
  return raw.map((change) => {
    const sensitive = touchesSensitive(masking.resource, masking.handler, change.path);
    const show = (value: unknown) => (masking.showSensitive ? value : maskSensitiveParts(masking.resource, masking.handler, change.path, value));
    return {
      path: change.path,
      ...('before' in change ? { before: show(change.before) } : {}),
      ...('after' in change ? { after: show(change.after) } : {}),
      updatable: !immutable.some((field) => isAtOrUnder(change.path, field)),
      sensitive,
    };
  });
}

/** Why a step with changes the API cannot make is blocked, naming each field and what to do. */
export function immutableReason(changes: readonly FieldChange[], what: string): string | undefined {
  const fixed = changes.filter((change) => !change.updatable);
  if (fixed.length === 0) return undefined;
  const fields = fixed.map((change) => `\`${change.path}\` (${describe(change.before)} → ${describe(change.after)})`).join(', ');
  return `${fields} cannot be changed through the Paxos API on ${what}: revert ${fixed.length === 1 ? 'it' : 'them'} in the manifest, or give the resource a new remote key so a new record is created`;
}

function describe(value: unknown): string {
  return value === undefined ? 'absent' : JSON.stringify(value);
}

function isAtOrUnder(path: string, field: string): boolean {
  const at = splitPointer(path);
  const under = splitPointer(field);
  return under.length <= at.length && under.every((segment, index) => segment === at[index]);
}
