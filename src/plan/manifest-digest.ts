/**
 * `manifestDigest(model)`: a digest of the normalised manifest, so a saved
 * plan refuses to apply once the manifest changed. Over the resources in
 * address order (environment, options, and each resource's kind, key and
 * fields), not file names or positions: moving a resource between files
 * changes nothing.
 *
 * A plan is meant to be shared (a pull-request comment, a CI artifact), and a
 * plain hash over a cip_id or a date of birth could be reversed by trying
 * every candidate when the rest of the manifest is known (there are only 10^9
 * SSNs). So PII and `${env:}`/`${file:}` values are taken out of the hashed
 * text and go in through scrypt instead: each guess then costs tens of
 * milliseconds rather than nanoseconds. No value leaves in clear.
 */
import { scryptSync } from 'node:crypto';
import { joinPointer } from '../manifest/locate-node.js';
import type { Model, Resource } from '../manifest/model.js';
import { handlerFor } from '../resources/index.js';
import { canonicalJson, sha256Hex } from './canonical-json.js';
import { isSensitiveSegments } from './mask.js';

const sensitivePlaceholder = '<sensitive>';
/** 2^14 × 8 × 128 bytes = 16 MiB and ~30 ms, once per plan. */
const scryptCost = { N: 2 ** 14, r: 8, p: 1 } as const;
const scryptSalt = 'paxos-onboard manifest digest v1';

export function manifestDigest(model: Model): string {
  const { open, secrets } = digestParts(model);
  const hardened = secrets === undefined ? '' : scryptSync(secrets, scryptSalt, 32, scryptCost).toString('hex');
  return `sha256:${sha256Hex(`${open}\n${hardened}`)}`;
}

function digestParts(model: Model): { open: string; secrets: string | undefined } {
  const secrets: Array<[string, unknown]> = [];
  const resources = [...model.resources.values()]
    .sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0))
    .map((resource) => ({ address: resource.address, kind: resource.kind, fields: withoutSensitive(resource, secrets) }));
  const open = canonicalJson({ environment: model.environment, options: model.options, resources });
  return { open, secrets: secrets.length === 0 ? undefined : canonicalJson(secrets) };
}

/** The resource's fields with each sensitive value replaced by a placeholder and pushed (with its location) onto `into`. */
function withoutSensitive(resource: Resource, into: Array<[string, unknown]>): unknown {
  const handler = handlerFor(resource.kind);
  const walk = (value: unknown, at: string[]): unknown => {
    if (at.length > 0 && isSensitiveSegments(resource, handler, at)) {
      into.push([`${resource.address}${joinPointer(at)}`, value]);
      return sensitivePlaceholder;
    }
    if (Array.isArray(value)) return value.map((item, index) => walk(item, [...at, String(index)]));
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, walk(item, [...at, key])]));
    return value;
  };
  return walk(resource.fields, []);
}
