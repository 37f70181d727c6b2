import { kindSpecs } from '../manifest/kinds.js';
import type { DependencyGraph } from './build-graph.js';
import { groupByKind, kindColours } from './kind-styles.js';

/**
 * The graph in Graphviz DOT: a cluster per kind, nodes filled by kind, arrows
 * in the order things happen. `dot -Tsvg` draws it.
 */
export function renderDot(graph: DependencyGraph): string {
  const lines = ['digraph manifest {', '  rankdir=LR;', '  node [shape=box, style="rounded,filled", fontname="Helvetica"];'];
  for (const [kind, nodes] of groupByKind(graph)) {
    lines.push(`  subgraph "cluster_${kind}" {`, `    label="${kindSpecs[kind].collection}";`, '    style=dashed;');
    for (const node of nodes) lines.push(`    ${quote(node.address)} [fillcolor="${kindColours[kind]}"];`);
    lines.push('  }');
  }
  for (const node of graph.nodes) {
    for (const dependency of graph.dependencies.get(node.address) ?? []) {
      lines.push(`  ${quote(dependency)} -> ${quote(node.address)};`);
    }
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
