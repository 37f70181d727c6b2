/**
 * Hand-made plans for the renderer and plan-file tests: a step from the few
 * fields a test is about, and a plan whose summary is computed from its steps
 * the way the planner computes it.
 */
import { parseAddress } from '../../src/manifest/kinds.js';
import type { Address } from '../../src/manifest/model.js';
import { summarise } from '../../src/plan/build-plan.js';
import type { Plan, PlanAction, PlanStep } from '../../src/plan/plan-types.js';

export function step(address: string, action: PlanAction, extra: Partial<Omit<PlanStep, 'address' | 'kind' | 'action'>> = {}): PlanStep {
  const parsed = parseAddress(address);
  if (!parsed) throw new Error(`bad address ${address}`);
  return { address: address as Address, kind: parsed.kind, action, dependsOn: [], ...extra };
}

export function planOf(steps: PlanStep[], overrides: Partial<Omit<Plan, 'steps' | 'summary'>> = {}): Plan {
  return {
    formatVersion: 1,
    createdAt: '2025-01-02T03:04:05.000Z',
    target: { kind: 'local', environment: 'local', apiUrl: 'http://127.0.0.1:4010/v2' },
    manifest: { environment: 'sandbox', files: ['fixtures/example.yaml'], digest: 'sha256:manifest' },
    remoteFingerprint: 'sha256:remote',
    refresh: { calls: 4, callsByKind: { person: 2, institution: 2 } },
    ...overrides,
    steps,
    summary: summarise(steps),
  };
}

/** A plan with one step of every action, the shape a reviewer meets in practice. */
export function mixedPlan(): Plan {
  return planOf([
    step('person.alice', 'create', { remoteKey: 'ref_id=seed-person-alice', then: ['approve'] }),
    step('person.bob', 'adopt', { remoteId: 'id-bob', remoteStatus: 'APPROVED', remoteKey: 'ref_id=seed-person-bob' }),
    step('person.carol', 'update', {
      remoteId: 'id-carol',
      remoteStatus: 'APPROVED',
      changes: [
        { path: '/address/city', before: 'New York', after: 'Boston', updatable: true, sensitive: false },
        { path: '/email', after: 'carol@example.com', updatable: true, sensitive: false },
      ],
    }),
    step('person.dave', 'approve', { remoteId: 'id-dave', remoteStatus: 'PENDING' }),
    step('institution.acme', 'blocked', {
      remoteId: 'id-acme',
      reason: 'cip_id cannot be changed once the identity exists',
      changes: [{ path: '/cip_id', before: '***-**-1127', after: '***-**-2222', updatable: false, sensitive: true }],
      dependsOn: ['person.alice' as Address],
    }),
    step('account.main', 'blocked', { reason: 'depends on a blocked resource', blockedBy: 'institution.acme' as Address }),
    step('order.buy', 'wait', { remoteId: 'id-order', remoteStatus: 'SUBMITTED' }),
    step('deposit.usd', 'noop', { remoteId: 'id-transfer', warnings: ['matched an existing deposit of 100 USD'] }),
  ]);
}
