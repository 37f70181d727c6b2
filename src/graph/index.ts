export { buildGraph, type DependencyGraph, type GraphNode } from './build-graph.js';
export { findCycles } from './find-cycles.js';
export { topologicalOrder } from './topological-order.js';
export { transitiveDependencies } from './transitive-dependencies.js';
export { renderMermaid } from './render-mermaid.js';
export { renderDot } from './render-dot.js';
