import { resourceKinds, type ResourceKind } from '../manifest/kinds.js';
import type { DependencyGraph, GraphNode } from './build-graph.js';

/** One fill colour per kind, shared by every renderer so the pictures agree. */
export const kindColours: Readonly<Record<ResourceKind, string>> = {
  person: '#cfe8ff',
  institution: '#ffe3b3',
  account: '#d4f4d4',
  profile: '#e8d9ff',
  deposit: '#fff6b3',
  order: '#ffd1d1',
};

/** Nodes grouped by kind, kinds in the manifest's order, nodes in model order. */
export function groupByKind(graph: DependencyGraph): [ResourceKind, GraphNode[]][] {
  const groups = new Map<ResourceKind, GraphNode[]>(resourceKinds.map((kind) => [kind, []]));
  for (const node of graph.nodes) groups.get(node.kind)?.push(node);
  return [...groups].filter(([, nodes]) => nodes.length > 0);
}
