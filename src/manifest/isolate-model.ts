/**
 * Isolation: the same manifest seeded many times into one Paxos (a shared
 * test emulator, one sandbox) without one seeding adopting or conflicting
 * with another. Every remote key (ref_id, profile nickname) gets a prefix
 * unique to a seed, and every identity a synthetic cip id derived from the
 * seed and its address, since Paxos refuses a second identity with the same
 * (cip_id, cip_id_type, cip_id_country). Derived from the seed alone, so a
 * rerun with the same seed finds (adopts) what the first made.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Address } from './kinds.js';
import type { Model, Resource } from './model.js';

/** A seed string, `true` for a random one, `false` (or absent) for none. */
export type IsolateOption = string | boolean;

export interface Isolation {
  /** The seed used (the random one, for `true`): isolate with it again to reach the same objects. */
  seed: string;
  /** What every remote key is prefixed with: `iso-<8 hex>-`. */
  prefix: string;
}

/** The seed and prefix an option stands for. */
export function resolveIsolation(option: string | true): Isolation {
  const seed = option === true ? randomUUID() : option;
  return { seed, prefix: `iso-${digest(`prefix\u0000${seed}`).toString('hex').slice(0, 8)}-` };
}

/**
 * The model with every remote key prefixed and every identity's cip id
 * replaced, addresses unchanged (outputs stay keyed as the manifest writes them).
 */
export function isolateModel(model: Model, option: string | true): Model {
  const { seed, prefix } = resolveIsolation(option);
  const taken = new Set<string>();
  const resources = new Map<Address, Resource>();
  for (const resource of model.resources.values()) {
    const fields: Record<string, unknown> = { ...resource.fields };
    let remoteKey = resource.remoteKey;
    if (remoteKey) {
      remoteKey = { field: remoteKey.field, value: `${prefix}${remoteKey.value}` };
      fields[remoteKey.field] = remoteKey.value;
    }
    if (resource.kind === 'person' || resource.kind === 'institution') {
      const type = typeof fields.cip_id_type === 'string' ? fields.cip_id_type : 'SSN';
      const country = typeof fields.cip_id_country === 'string' ? fields.cip_id_country : '';
      fields.cip_id = uniqueSyntheticCipId(type, country, seed, resource.address, taken);
    }
    resources.set(resource.address, withFields(resource, fields, remoteKey));
  }
  return { ...model, options: { ...model.options, refIdPrefix: `${prefix}${model.options.refIdPrefix}` }, resources };
}

/** A copy keeping `source` lazy (reading it parses the file's syntax tree). */
function withFields(resource: Resource, fields: Record<string, unknown>, remoteKey: Resource['remoteKey']): Resource {
  const copy = {
    address: resource.address,
    kind: resource.kind,
    key: resource.key,
    get source() {
      return resource.source;
    },
    fields,
    ...(remoteKey ? { remoteKey } : {}),
    references: resource.references,
    dependsOn: resource.dependsOn,
    sensitivePaths: resource.sensitivePaths,
  };
  return copy as Resource;
}

function uniqueSyntheticCipId(type: string, country: string, seed: string, address: Address, taken: Set<string>): string {
  for (let attempt = 0; ; attempt += 1) {
    const value = syntheticCipId(type, `${seed}\u0000${address}\u0000${attempt}`);
    const tuple = `${type}\u0000${country}\u0000${value}`;
    if (taken.has(tuple)) continue;
    taken.add(tuple);
    return value;
  }
}

/** Employer id prefixes the IRS assigns (campus codes): an EIN starting otherwise is not valid. */
const einPrefixes = [
  1, 2, 3, 4, 5, 6, 10, 11, 12, 13, 14, 15, 16, 20, 21, 22, 23, 24, 25, 26, 27, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59,
  60, 61, 62, 63, 64, 65, 66, 67, 68, 71, 72, 73, 74, 75, 76, 77, 80, 81, 82, 83, 84, 85, 86, 87, 88, 90, 91, 92, 93, 94, 95, 98, 99,
];
/** The middle digits an ITIN may carry. */
const itinGroups = [
  ...range(50, 65), ...range(70, 88), 90, 91, 92, 94, 95, 96, 97, 98, 99,
];

/**
 * A cip id of the shape its type has, drawn from `material`:
 * SSN `AAA-GG-SSSS` (area 001–899 but not 666, group and serial never zero),
 * ITIN `9AA-GG-SSSS` (group in the ITIN ranges), EIN `PP-NNNNNNN` (an assigned
 * prefix), anything else (passport, id card, registration number) nine
 * letters and digits.
 */
export function syntheticCipId(type: string, material: string): string {
  let n = BigInt(`0x${digest(material).toString('hex')}`);
  const draw = (size: number): number => {
    const value = Number(n % BigInt(size));
    n /= BigInt(size);
    return value;
  };
  const pad = (value: number, width: number): string => String(value).padStart(width, '0');
  switch (type) {
    case 'SSN': {
      let area = 1 + draw(898);
      if (area === 666) area = 667;
      return `${pad(area, 3)}-${pad(1 + draw(99), 2)}-${pad(1 + draw(9999), 4)}`;
    }
    case 'ITIN':
      return `9${pad(draw(100), 2)}-${pad(itinGroups[draw(itinGroups.length)] ?? 70, 2)}-${pad(draw(10_000), 4)}`;
    case 'EIN':
      return `${pad(einPrefixes[draw(einPrefixes.length)] ?? 12, 2)}-${pad(draw(10_000_000), 7)}`;
    default: {
      const letters = 'ABCDEFGHJKLMNPRSTUVWXYZ';
      let text = letters[draw(letters.length)] ?? 'X';
      for (let index = 0; index < 8; index += 1) text += String(draw(10));
      return text;
    }
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, index) => from + index);
}
