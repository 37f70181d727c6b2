/**
 * Builds the manifest's JSON Schema (draft 2020-12) from the spec-derived enums
 * and the Paxos rule tables. `schemas/manifest.schema.json` is this function's
 * output, written by `npm run generate:schema`; a test fails when the two differ.
 */
import { decimalStringPattern } from '../../domain/paxos-rules.js';
import { generatorWrapperComment, maxGeneratedInstances } from '../expand-generators.js';
import { fakeKinds as fakeKindDescriptions } from '../fake-values.js';
import { buildEnumDefinitions } from './enum-definitions.js';
import { buildIdentityPartDefinitions, buildPersonSchema } from './identity-schemas.js';
import { buildInstitutionSchema } from './institution-schema.js';
import { describeObject, describeText, resourceKeyPattern, type SchemaNode } from './schema-helpers.js';
import { buildAccountSchema, buildAmountDefinitions, buildDepositSchema, buildOrderSchema, buildProfileSchema } from './trading-schemas.js';

export const manifestSchemaId = 'https://paxos-onboard.dev/schemas/manifest.schema.json';

/**
 * Collection key → its resource schema, and what it holds. Resources are
 * inlined rather than `$ref`ed: ajv reports errors under a `$ref` that itself
 * holds `$ref`s relative to the referenced schema, and the validator needs
 * every `x-paxos-rule` on a path from the root.
 */
const collections = {
  persons: { build: buildPersonSchema, description: 'Person identities, by key; address one as person.<key>.' },
  institutions: { build: buildInstitutionSchema, description: 'Institution identities with their members, by key; address one as institution.<key>.' },
  accounts: { build: buildAccountSchema, description: 'Accounts of identities, by key; address one as account.<key>.' },
  profiles: { build: buildProfileSchema, description: 'Standalone NORMAL profiles (e.g. an omnibus book), by key; address one as profile.<key>.' },
  deposits: { build: buildDepositSchema, description: 'Sandbox deposits into profiles, by key.' },
  orders: { build: buildOrderSchema, description: 'Orders on profiles, by key.' },
} as const;

function buildOptionsSchema(): SchemaNode {
  return describeObject('How the manifest is applied.', {
    ref_id_prefix: describeText('Prepended to derived ref_ids and nicknames: <prefix><kind>-<key>. Default "".'),
    on_cip_id_conflict: {
      type: 'string',
      description:
        'When Paxos already holds the legal entity (same cip_id, type and country) under another ref_id: fail (default) or adopt the existing identity, with a warning.',
      enum: ['fail', 'adopt'],
    },
    approval: {
      type: 'string',
      description:
        'How identities get approved: sandbox (default; approve via sandbox-status), wait (wait for Paxos to decide), none (do not wait).',
      enum: ['sandbox', 'wait', 'none'],
    },
    approval_timeout: describeText('How long to wait for approvals: a number and a unit, e.g. 30s, 10m, 2h. Default 10m.', {
      pattern: '^[0-9]+(ms|s|m|h)$',
    }),
  });
}

/**
 * An entry of a collection: the resource, or a generator of them (see
 * docs/generators.md). Editors see both; generators are expanded before
 * validation, so the validator checks each instance against the resource.
 */
function withGenerators(resource: SchemaNode): SchemaNode {
  const fakeKinds = Object.entries(fakeKindDescriptions).map(([kind, text]) => `${kind} (${text})`).join('; ');
  return {
    $comment: generatorWrapperComment,
    if: { type: 'object', anyOf: [{ properties: { count: true }, required: ['count'] }, { properties: { for_each: true }, required: ['for_each'] }] },
    then: {
      type: 'object',
      description: `A generator: stands for count (or one per for_each value) entries like this one. \${index} (1, 2, ...), \${each} and \${each.field} are replaced in its key and values; a value { fake: kind } is synthetic data seeded by the entry's address. Kinds: ${fakeKinds}.`,
      properties: {
        count: { type: 'integer', minimum: 0, maximum: maxGeneratedInstances, description: 'How many entries this generator makes; ${index} runs from 1 to count.' },
        for_each: { type: 'array', maxItems: maxGeneratedInstances, description: 'One entry per value: ${each} is the value, ${each.field} a field of a mapping value, ${index} its position from 1.' },
        key: { type: 'string', pattern: '\\$\\{(index|each)', description: 'The key of each entry, with ${index} or ${each}; default <generator key>-${index}.' },
      },
      // The template's fields are the resource's, checked once expanded (an editor cannot know what ${index} becomes).
      additionalProperties: true,
      not: { properties: { count: true, for_each: true }, required: ['count', 'for_each'] },
    },
    else: resource,
  };
}

/** The whole schema, as the plain JSON object that is committed. */
export function buildManifestSchema(): SchemaNode {
  const collectionProperties: Record<string, SchemaNode> = {};
  for (const [name, { build, description }] of Object.entries(collections)) {
    collectionProperties[name] = {
      type: 'object',
      description,
      propertyNames: { pattern: resourceKeyPattern },
      additionalProperties: withGenerators(build()),
    };
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: manifestSchemaId,
    title: 'paxos-onboard manifest (v1)',
    ...describeObject(
      'A paxos-onboard manifest: persons, institutions, accounts, profiles, sandbox deposits and orders to onboard onto Paxos. Field names are the Paxos v2 API names; where the API wants an id, write an address (kind.key).',
      {
        version: { description: 'Manifest language version; always 1.', const: 1 },
        environment: {
          type: 'string',
          description: 'Where this manifest may be applied: local (the emulator), sandbox or production. Nothing is sent to a target that does not match.',
          enum: ['local', 'sandbox', 'production'],
        },
        options: buildOptionsSchema(),
        ...collectionProperties,
      },
      {
        required: ['version', 'environment'],
        // Blocks for anchors to merge (`<<: *person`); the loader drops them.
        patternProperties: { '^x-': { description: 'Ignored: a place for YAML anchors that entries merge with <<.' } },
      },
    ),
    $defs: {
      ...buildIdentityPartDefinitions(),
      ...buildAmountDefinitions(decimalStringPattern),
      ...buildEnumDefinitions(),
    },
  };
}
