/**
 * Persons: Paxos identities with `person_details`. The manifest groups the ID
 * verification fields under `verification`; the API keeps them flat.
 */
import type { IdentityKindConfig } from './identity-fields.js';
import { cipFields, makeIdentityHandler } from './identity-handler.js';

/** How persons' fields map onto the API: the handler's, and the import's (`src/import/import-world.ts`). */
export const personConfig: IdentityKindConfig<'person'> = {
  kind: 'person',
  identityType: 'PERSON',
  detailsKey: 'person_details',
  groupedDetails: {
    field: 'verification',
    keys: [
      'verifier_type',
      'verifier_id',
      'passthrough_verifier_type',
      'passthrough_verified_at',
      'passthrough_verification_id',
      'passthrough_verification_status',
      'passthrough_verification_fields',
    ],
  },
  hasMembers: false,
  immutableFields: cipFields,
  sensitiveFields: [
    '/cip_id',
    '/date_of_birth',
    '/govt_id',
    '/tax_details/*/tax_payer_id',
    '/verification/passthrough_verification_id',
    '/verification/verifier_id',
  ],
  // A person transacts once id verification and sanctions are APPROVED.
  approvalBody: { id_verification_status: 'APPROVED', sanctions_verification_status: 'APPROVED' },
};

export const personHandler = makeIdentityHandler(personConfig);
