/**
 * Institutions: Paxos identities with `institution_details` and members
 * (persons or other institutions, by address in the manifest).
 */
import type { IdentityKindConfig } from './identity-fields.js';
import { cipFields, makeIdentityHandler } from './identity-handler.js';

/** How institutions' fields map onto the API: the handler's, and the import's (`src/import/import-world.ts`). */
export const institutionConfig: IdentityKindConfig<'institution'> = {
  kind: 'institution',
  identityType: 'INSTITUTION',
  detailsKey: 'institution_details',
  // The manifest takes `2015-03-01`; the API only a date-time.
  dateTimeDetails: ['govt_registration_date'],
  hasMembers: true,
  // The legal form is part of what Paxos verified (documents, required roles): a different type is a new onboarding.
  immutableFields: [...cipFields, '/institution_type'],
  sensitiveFields: ['/cip_id', '/tax_details/*/tax_payer_id'],
  // Sanctions approve an institution; documents too, as the real sandbox holds institutions PENDING until they are verified.
  approvalBody: { sanctions_verification_status: 'APPROVED', document_verification_status: 'APPROVED' },
};

export const institutionHandler = makeIdentityHandler(institutionConfig);
