import type { Address } from '../manifest/model.js';
import type { DependencyGraph } from './build-graph.js';

/**
 * Every cycle of the graph, one per strongly connected component, each as the
 * path that closes it: `[a, b, a]`. Iterative (Tarjan), so a long chain of
 * dependencies cannot overflow the stack; deterministic, starting each cycle at
 * its earliest resource in the model.
 */
export function findCycles(graph: DependencyGraph): Address[][] {
  const components = findStronglyConnected(graph);
  const cycles: Address[][] = [];
  for (const component of components) {
    const members = new Set(component);
    const start = component.reduce((a, b) => (indexOf(graph, b) < indexOf(graph, a) ? b : a));
    const selfLoop = graph.dependencies.get(start)?.includes(start) ?? false;
    if (component.length === 1 && !selfLoop) continue;
    cycles.push(selfLoop ? [start, start] : closeCycle(graph, start, members));
  }
  return cycles.sort((a, b) => indexOf(graph, a[0]) - indexOf(graph, b[0]));
}

function indexOf(graph: DependencyGraph, address: Address | undefined): number {
  return address === undefined ? -1 : (graph.byAddress.get(address)?.index ?? -1);
}

/** Shortest path from `start` back to itself inside one component (breadth-first). */
function closeCycle(graph: DependencyGraph, start: Address, members: Set<Address>): Address[] {
  const previous = new Map<Address, Address>();
  const queue: Address[] = [start];
  for (let head = 0; head < queue.length; head++) {
    const current = queue[head] as Address;
    for (const next of graph.dependencies.get(current) ?? []) {
      if (!members.has(next)) continue;
      if (next === start) {
        const path: Address[] = [start];
        for (let at: Address | undefined = current; at !== undefined && at !== start; at = previous.get(at)) path.push(at);
        return [start, ...path.slice(1).reverse(), start];
      }
      if (previous.has(next)) continue;
      previous.set(next, current);
      queue.push(next);
    }
  }
  return [start, start];
}

function findStronglyConnected(graph: DependencyGraph): Address[][] {
  const index = new Map<Address, number>();
  const low = new Map<Address, number>();
  const onStack = new Set<Address>();
  const stack: Address[] = [];
  const components: Address[][] = [];
  let counter = 0;
  for (const root of graph.nodes) {
    if (index.has(root.address)) continue;
    const work: { node: Address; edge: number }[] = [{ node: root.address, edge: 0 }];
    index.set(root.address, counter);
    low.set(root.address, counter++);
    stack.push(root.address);
    onStack.add(root.address);
    while (work.length > 0) {
      const frame = work[work.length - 1] as { node: Address; edge: number };
      const edges = graph.dependencies.get(frame.node) ?? [];
      if (frame.edge < edges.length) {
        const next = edges[frame.edge++] as Address;
        if (!index.has(next)) {
          index.set(next, counter);
          low.set(next, counter++);
          stack.push(next);
          onStack.add(next);
          work.push({ node: next, edge: 0 });
        } else if (onStack.has(next)) {
          low.set(frame.node, Math.min(low.get(frame.node) as number, index.get(next) as number));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node) as number, low.get(frame.node) as number));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: Address[] = [];
        let member: Address | undefined;
        do {
          member = stack.pop() as Address;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        components.push(component);
      }
    }
  }
  return components;
}
