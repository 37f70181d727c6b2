/**
 * `paxos-onboard plan --format json`: the Plan itself, for scripts and CI.
 *
 * The shape is `Plan` in `plan-types.ts`, versioned by `formatVersion` (1):
 * a consumer checks it and refuses versions it does not know. Within a
 * version, fields are only ever added. The output is deterministic for a given
 * plan: object keys sorted at every depth, two-space indentation, a final
 * newline; arrays keep the order that carries meaning (`steps` in dependency
 * order, `dependsOn` and `warnings` as planned) except `changes`, sorted by
 * field path. Fields without a value are left out rather than written `null`.
 *
 * ```json
 * {
 *   "createdAt": "2025-01-02T03:04:05.000Z",
 *   "formatVersion": 1,
 *   "manifest": { "digest": "sha256:…", "environment": "sandbox", "files": ["fixtures/x.yaml"] },
 *   "refresh": { "calls": 4, "callsByKind": { "person": 2 } },
 *   "remoteFingerprint": "sha256:…",
 *   "steps": [{ "action": "create", "address": "person.alice", "dependsOn": [], "kind": "person",
 *               "remoteKey": "ref_id=seed-person-alice", "then": ["approve"] }],
 *   "summary": { "byAction": { "adopt": 0, "approve": 0, "blocked": 0, "create": 1, … }, "hasChanges": true },
 *   "target": { "apiUrl": "http://127.0.0.1:4010/v2", "environment": "local", "kind": "local" }
 * }
 * ```
 *
 * Sensitive values are masked (`***-**-1127`) unless the plan was made with
 * `--show-sensitive`; this module prints what the plan holds.
 */
import { escapeJsonText } from '../manifest/escape-control.js';
import type { Plan } from './plan-types.js';
import { sortKeys } from './canonical-json.js';

/** The plan in its canonical form: sorted keys, changes by path, no undefined fields. */
export function canonicalPlan(plan: Plan): Plan {
  const steps = plan.steps.map((step) =>
    step.changes ? { ...step, changes: [...step.changes].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)) } : step,
  );
  return sortKeys({ ...plan, steps }) as Plan;
}

/** Control characters come out as `\u` escapes (JSON.stringify leaves C1 and bidi controls raw): the same JSON, safe on a terminal. */
export function renderPlanJson(plan: Plan): string {
  return `${escapeJsonText(JSON.stringify(canonicalPlan(plan), null, 2))}\n`;
}
