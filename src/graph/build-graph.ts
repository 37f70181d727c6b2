import type { Address, Model, ResourceKind } from '../manifest/model.js';

export interface GraphNode {
  address: Address;
  kind: ResourceKind;
  key: string;
  /** Position in the model: the tie-breaker that makes every traversal deterministic. */
  index: number;
}

/** The dependency graph: an edge `from → to` means `from` depends on `to` (`to` goes first). */
export interface DependencyGraph {
  nodes: readonly GraphNode[];
  byAddress: ReadonlyMap<Address, GraphNode>;
  /** What each node depends on. */
  dependencies: ReadonlyMap<Address, readonly Address[]>;
  /** What depends on each node. */
  dependents: ReadonlyMap<Address, readonly Address[]>;
}

/** Builds the graph from the model's `dependsOn` lists, ignoring addresses the model lacks. */
export function buildGraph(model: Pick<Model, 'resources'>): DependencyGraph {
  const nodes: GraphNode[] = [];
  const byAddress = new Map<Address, GraphNode>();
  for (const resource of model.resources.values()) {
    const node = { address: resource.address, kind: resource.kind, key: resource.key, index: nodes.length };
    nodes.push(node);
    byAddress.set(resource.address, node);
  }
  const dependencies = new Map<Address, Address[]>();
  const dependents = new Map<Address, Address[]>();
  for (const node of nodes) dependents.set(node.address, []);
  for (const resource of model.resources.values()) {
    const known = resource.dependsOn.filter((address) => byAddress.has(address));
    dependencies.set(resource.address, known);
    for (const target of known) dependents.get(target)?.push(resource.address);
  }
  return { nodes, byAddress, dependencies, dependents };
}
