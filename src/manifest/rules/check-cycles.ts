import type { Issue } from '../../errors.js';
import { buildGraph } from '../../graph/build-graph.js';
import { findCycles } from '../../graph/find-cycles.js';
import type { Model } from '../model.js';
import { locateValue, splitPointer } from '../locate-node.js';
import type { DocumentSet } from '../document-set.js';

/**
 * No resource may depend on itself, however indirectly (an institution that
 * is, through others, its own member). Nesting is fine; a loop has no order
 * to create things in. Reported once per cycle, at the reference that starts it.
 */
export function checkCycles(set: DocumentSet, model: Model, issues: Issue[]): void {
  for (const cycle of findCycles(buildGraph(model))) {
    const [start, next] = cycle;
    const written = start ? set.resources.get(start) : undefined;
    if (!written || !next) continue;
    const reference = model.resources.get(written.address)?.references.find((ref) => ref.address === next);
    const position = reference
      ? locateValue(written.file, [written.collection, written.key, ...splitPointer(reference.path)])
      : written.position;
    issues.push({
      code: 'graph.cycle',
      message: `dependency cycle: ${cycle.join(' → ')}`,
      hint: 'nothing in a cycle can be created first; remove one of these references',
      file: written.file.path,
      ...position,
    });
  }
}
