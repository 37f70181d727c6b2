/**
 * Requests the Paxos guides send that the spec's request schemas refuse
 * (PAXOS-API-NOTES.md "Known quirks"). The emulator accepts them, as the live
 * API does; each entry patches one schema of the request validator only, so
 * responses are still held to the spec.
 */
import type { SchemaMap } from './openapi-schemas.js';

export const requestQuirks: Array<{ schema: string; why: string; patch(schema: Record<string, unknown>): void }> = [
  {
    schema: 'AccountAccountType',
    why: 'the institution guide creates accounts with `account.type: CRYPTO_BROKERAGE`, which the spec enum lacks',
    patch(schema) {
      const values = (schema.enum as string[] | undefined) ?? [];
      if (!values.includes('CRYPTO_BROKERAGE')) schema.enum = [...values, 'CRYPTO_BROKERAGE'];
    },
  },
  // `account.name` (Create Account) and `?account_id=` (List Profiles) need no entry: the spec's
  // request objects allow extra properties and query parameters are not schema-validated.
];

/** A copy of `schemas` with every request quirk applied. */
export function applyRequestQuirks(schemas: SchemaMap): SchemaMap {
  const patched = structuredClone(schemas);
  for (const quirk of requestQuirks) {
    const schema = patched[quirk.schema];
    if (schema && typeof schema === 'object') quirk.patch(schema as Record<string, unknown>);
  }
  return patched;
}
