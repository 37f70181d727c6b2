/**
 * One handler shape for both identity kinds: `person.ts` and `institution.ts`
 * only say what differs (details key, members, immutable and sensitive
 * fields, the approval body).
 */
import type { ResourceOf } from '../manifest/model.js';
import { adoptIdentity, approveIdentity, createIdentity, identityTradeBlocker, settleIdentity, updateIdentity } from './identity-apply.js';
import type { IdentityKind, IdentityKindConfig, IdentityResource } from './identity-fields.js';
import { planIdentityStep } from './identity-plan.js';
import { refreshIdentities } from './identity-refresh.js';
import { disableIdentity, findIdentityStrays, planIdentityTeardown } from './identity-teardown.js';
import type { ResourceHandler } from './resource-handler.js';

/** The cip tuple identifies the legal entity: Paxos keys uniqueness on it, so it is never changed in place. */
export const cipFields = ['/cip_id', '/cip_id_type', '/cip_id_country'] as const;

export function makeIdentityHandler<K extends IdentityKind>(config: IdentityKindConfig<K>): ResourceHandler<K> {
  // Persons and institutions share every code path; the casts only widen `ResourceOf<K>` to the union those paths take.
  const widen = (resource: ResourceOf<K>) => resource as unknown as IdentityResource;
  return {
    kind: config.kind,
    sensitiveFields: config.sensitiveFields,
    operations: {
      read: ['ListIdentities', 'GetIdentity'],
      // Waiting for a decision reads the events feed.
      write: ['CreateIdentity', 'UpdateIdentity', 'SandboxSetIdentityStatus', 'AddInstitutionMembers', 'DeleteInstitutionMember', 'ListEvents'],
      teardown: ['UpdateIdentity'],
    },
    refresh: (resources, context) => refreshIdentities(config, resources.map(widen), context),
    planStep: (resource, context) => planIdentityStep(config, widen(resource), context),
    create: (resource, context) => createIdentity(config, widen(resource), context),
    adopt: (resource, remote, context) => adoptIdentity(widen(resource), remote, context),
    update: (resource, step, context) => updateIdentity(config, widen(resource), step, context),
    approve: (_resource, remote, context) => approveIdentity(config, remote, context),
    settle: (resource, remote, context) => settleIdentity(widen(resource), remote, context),
    tradeBlocker: identityTradeBlocker,
    createdStatus: 'PENDING',
    findStrays: (prefix, context) => findIdentityStrays(config, prefix, context),
    planTeardown: planIdentityTeardown,
    teardown: disableIdentity,
  };
}
