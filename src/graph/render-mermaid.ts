import { kindSpecs } from '../manifest/kinds.js';
import type { ResourceKind } from '../manifest/model.js';
import type { DependencyGraph } from './build-graph.js';
import { groupByKind, kindColours } from './kind-styles.js';

/**
 * The graph as a Mermaid flowchart: one subgraph per kind, arrows in the
 * order things happen (`person.alice --> institution.acme`: alice first).
 * GitHub renders it in a pull request, which is where reviewers look.
 */
export function renderMermaid(graph: DependencyGraph): string {
  const lines = ['flowchart LR'];
  const id = (index: number): string => `n${index}`;
  for (const [kind, nodes] of groupByKind(graph)) {
    lines.push(`  subgraph ${kindSpecs[kind].collection}`);
    for (const node of nodes) lines.push(`    ${id(node.index)}["${escapeLabel(node.address)}"]:::${kind}`);
    lines.push('  end');
  }
  for (const node of graph.nodes) {
    for (const dependency of graph.dependencies.get(node.address) ?? []) {
      const from = graph.byAddress.get(dependency);
      if (from) lines.push(`  ${id(from.index)} --> ${id(node.index)}`);
    }
  }
  for (const [kind, colour] of Object.entries(kindColours) as [ResourceKind, string][]) {
    lines.push(`  classDef ${kind} fill:${colour},stroke:#333,color:#000`);
  }
  return `${lines.join('\n')}\n`;
}

function escapeLabel(text: string): string {
  return text.replace(/"/g, '#quot;');
}
