import { PaxosOnboardError } from '../errors.js';
import type { Address } from '../manifest/model.js';
import type { DependencyGraph } from './build-graph.js';
import { findCycles } from './find-cycles.js';

/**
 * Dependencies first, ties broken by model order, so the same manifest always
 * gives the same order. Throws on a cycle (validation reports cycles first).
 */
export function topologicalOrder(graph: DependencyGraph): Address[] {
  const remaining = new Map<Address, number>();
  for (const node of graph.nodes) remaining.set(node.address, graph.dependencies.get(node.address)?.length ?? 0);
  const ready = new MinHeap();
  for (const node of graph.nodes) if (remaining.get(node.address) === 0) ready.push(node.index);
  const order: Address[] = [];
  while (ready.size > 0) {
    const node = graph.nodes[ready.pop()];
    if (!node) break;
    order.push(node.address);
    for (const dependent of graph.dependents.get(node.address) ?? []) {
      const left = (remaining.get(dependent) ?? 0) - 1;
      remaining.set(dependent, left);
      const next = graph.byAddress.get(dependent);
      if (left === 0 && next) ready.push(next.index);
    }
  }
  if (order.length < graph.nodes.length) {
    const cycle = findCycles(graph)[0] ?? [];
    throw new PaxosOnboardError('graph.cycle', `the dependency graph has a cycle: ${cycle.join(' → ')}`);
  }
  return order;
}

/** A binary heap of model indexes: always release the earliest ready resource. */
class MinHeap {
  private readonly items: number[] = [];

  get size(): number {
    return this.items.length;
  }

  push(value: number): void {
    const items = this.items;
    items.push(value);
    let at = items.length - 1;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if ((items[parent] as number) <= value) break;
      items[at] = items[parent] as number;
      at = parent;
    }
    items[at] = value;
  }

  pop(): number {
    const items = this.items;
    const top = items[0] as number;
    const last = items.pop() as number;
    if (items.length === 0) return top;
    let at = 0;
    for (;;) {
      const left = at * 2 + 1;
      if (left >= items.length) break;
      const right = left + 1;
      const child = right < items.length && (items[right] as number) < (items[left] as number) ? right : left;
      if ((items[child] as number) >= last) break;
      items[at] = items[child] as number;
      at = child;
    }
    items[at] = last;
    return top;
  }
}
