/**
 * The OAuth scopes a run asks for, derived from the operations its kinds
 * send (`ResourceHandler.operations`) and the scopes the Paxos spec gives
 * each operation. Paxos refuses a token request naming a scope the API key
 * was not granted (`invalid_scope`), so asking for all of them would stop a
 * key made for identities alone from running even an identity-only manifest.
 */
import type { ResourceKind } from '../manifest/kinds.js';
import type { Model } from '../manifest/model.js';
import { findSpecOperation } from '../emulator/spec/spec-data.js';
import { handlerFor } from './index.js';

/** `teardown`: the reads, and the calls that cancel, deactivate and disable (destroy, `apply --prune`). */
export type ScopeMode = 'read' | 'write' | 'teardown';

export interface ScopeNeed {
  scope: string;
  /** The kinds that need it, in manifest order. */
  kinds: ResourceKind[];
}

/** Each scope a run of `mode` over `kinds` needs, with the kinds that need it. */
export function scopeNeeds(kinds: Iterable<ResourceKind>, mode: ScopeMode): ScopeNeed[] {
  const needs = new Map<string, ResourceKind[]>();
  for (const kind of new Set(kinds)) {
    const { read, write, teardown = [] } = handlerFor(kind).operations;
    for (const operationId of mode === 'read' ? read : mode === 'write' ? [...read, ...write] : [...read, ...teardown]) {
      const operation = findSpecOperation(operationId);
      if (operation === undefined) throw new Error(`the ${kind} kind names ${operationId}, which is not an operation of the Paxos spec`);
      // An operation a token may call with any of its scopes: the first, the one the spec lists for it.
      const scope = operation.scopes[0];
      if (scope === undefined) continue;
      const list = needs.get(scope) ?? [];
      if (!list.includes(kind)) list.push(kind);
      needs.set(scope, list);
    }
  }
  return [...needs].map(([scope, needing]) => ({ scope, kinds: needing })).sort((a, b) => a.scope.localeCompare(b.scope));
}

export function scopesFor(kinds: Iterable<ResourceKind>, mode: ScopeMode): string[] {
  return scopeNeeds(kinds, mode).map((need) => need.scope);
}

/** `identity:write_identity (person, institution), …`: for the message when the key lacks one. */
export function describeScopeNeeds(needs: readonly ScopeNeed[]): string {
  return needs.map((need) => `${need.scope} (${need.kinds.join(', ')})`).join(', ');
}

/** The kinds a manifest has resources of. */
export function kindsOf(model: Model): Set<ResourceKind> {
  return new Set([...model.resources.values()].map((resource) => resource.kind));
}

/** The token request of a run: its scopes, and the sentence naming what needs them for an `invalid_scope` refusal. */
export function scopeRequest(needs: readonly ScopeNeed[], what: string): { scopes: string[]; scopePurpose: string } {
  return { scopes: needs.map((need) => need.scope), scopePurpose: `${what} needs ${describeScopeNeeds(needs)}` };
}
