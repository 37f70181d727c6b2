/**
 * Requests the Paxos guides send that the spec's request schemas refuse
 * (PAXOS-API-NOTES.md "Known quirks"). Accepted only under the
 * `undeclared-body-fields` leniency: whether the live API takes them is not
 * documented, and the docs say fields not listed are forbidden, so by default
 * the emulator holds requests to the spec. Each entry patches one schema of
 * the request validator only, so responses are still held to the spec.
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
  // `account.name` (Create Account) needs no entry: with the leniency on, request objects are not
  // closed, so undeclared fields pass. `?account_id=` (List Profiles) is an undeclared query
  // parameter, which the emulator ignores in every mode.
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
