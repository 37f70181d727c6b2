import type { Issue } from '../../errors.js';
import type { DocumentSet, WrittenResource } from '../document-set.js';
import { kindSpecs, resolveRemoteKey } from '../kinds.js';
import { locateValue, type Position } from '../locate-node.js';
import { resolveOptions } from '../options.js';

/**
 * One legal entity, one identity: (cip_id, cip_id_type, cip_id_country) is
 * unique across every person and institution of every file, as Paxos enforces.
 * The message names both addresses and never the cip_id, which is PII.
 */
export function checkUniqueCipIds(set: DocumentSet, issues: Issue[]): void {
  const firstByCip = new Map<string, WrittenResource>();
  for (const resource of set.resources.values()) {
    const { cip_id: id, cip_id_type: type, cip_id_country: country } = resource.body;
    if (typeof id !== 'string' || typeof type !== 'string' || typeof country !== 'string') continue;
    const key = `${id}\u0000${type}\u0000${country}`;
    const first = firstByCip.get(key);
    if (!first) {
      firstByCip.set(key, resource);
      continue;
    }
    issues.push({
      code: 'unique.cip_id',
      message: `\`${resource.address}\` has the same (cip_id, cip_id_type, cip_id_country) as \`${first.address}\` (${describeWhere(first, first.position)})`,
      hint: 'one legal entity is one identity: reference the existing one instead of defining it twice',
      file: resource.file.path,
      ...locateValue(resource.file, [resource.collection, resource.key, 'cip_id']),
    });
  }
}

/**
 * ref_ids (written or derived) are unique per remote-key space, as Paxos
 * enforces with a 409; so are profile nicknames.
 */
export function checkUniqueRemoteKeys(set: DocumentSet, issues: Issue[]): void {
  const prefix = resolveOptions(set.options).refIdPrefix;
  const firstByKey = new Map<string, { resource: WrittenResource; derived: boolean }>();
  for (const resource of set.resources.values()) {
    const remote = resolveRemoteKey(resource.kind, resource.key, resource.body, prefix);
    const space = kindSpecs[resource.kind].remoteKey?.space;
    if (!remote || !space) continue;
    const key = `${space}\u0000${remote.value}`;
    const first = firstByKey.get(key);
    if (!first) {
      firstByKey.set(key, { resource, derived: remote.derived });
      continue;
    }
    const position = remote.derived
      ? resource.position
      : locateValue(resource.file, [resource.collection, resource.key, remote.field]);
    const whose = (derived: boolean): string => (derived ? ' (derived)' : '');
    issues.push({
      code: `unique.${remote.field}`,
      message: `${remote.field} \`${remote.value}\`${whose(remote.derived)} of \`${resource.address}\` is already used by \`${first.resource.address}\`${whose(first.derived)} (${describeWhere(first.resource, first.resource.position)})`,
      hint: `give one of them a different explicit \`${remote.field}\``,
      file: resource.file.path,
      ...position,
    });
  }
}

function describeWhere(resource: WrittenResource, position: Position): string {
  return `${resource.file.name}:${position.line}:${position.col}`;
}
