import { describe, expect, it } from 'vitest';
import type { Address, Resource } from '../manifest/model.js';
import { parseAddress } from '../manifest/kinds.js';
import { buildGraph } from './build-graph.js';
import { findCycles } from './find-cycles.js';
import { renderDot } from './render-dot.js';
import { renderMermaid } from './render-mermaid.js';
import { topologicalOrder } from './topological-order.js';

/** A model's resources from `address: [dependencies]`, in the order written. */
function resourcesOf(edges: Record<string, string[]>): { resources: Map<Address, Resource> } {
  const resources = new Map<Address, Resource>();
  for (const [address, dependsOn] of Object.entries(edges)) {
    const parsed = parseAddress(address);
    if (!parsed) throw new Error(`bad address ${address}`);
    const resource = {
      address: address as Address,
      ...parsed,
      source: { file: 'm.yaml', line: 1, col: 1 },
      fields: {},
      references: [],
      dependsOn: dependsOn as Address[],
      sensitivePaths: [],
    };
    // Graph functions read only addresses and dependencies; fields stay empty.
    resources.set(address as Address, resource as unknown as Resource);
  }
  return { resources };
}

const brokerage = resourcesOf({
  'order.buy': ['account.main', 'deposit.usd'],
  'deposit.usd': ['account.main'],
  'account.main': ['institution.acme'],
  'institution.acme': ['person.alice', 'person.bob'],
  'person.bob': [],
  'person.alice': [],
});

describe('topologicalOrder', () => {
  it('puts dependencies first, ties in model order', () => {
    expect(topologicalOrder(buildGraph(brokerage))).toEqual([
      'person.bob',
      'person.alice',
      'institution.acme',
      'account.main',
      'deposit.usd',
      'order.buy',
    ]);
  });

  it('refuses a graph with a cycle', () => {
    const graph = buildGraph(resourcesOf({ 'institution.a': ['institution.b'], 'institution.b': ['institution.a'] }));
    expect(() => topologicalOrder(graph)).toThrow('institution.a → institution.b → institution.a');
  });

  it('orders a long chain without running out of stack', () => {
    const chain: Record<string, string[]> = {};
    for (let index = 0; index < 20_000; index++) chain[`institution.i${index}`] = index === 0 ? [] : [`institution.i${index - 1}`];
    const order = topologicalOrder(buildGraph(resourcesOf(chain)));
    expect(order[0]).toBe('institution.i0');
    expect(order.at(-1)).toBe('institution.i19999');
    expect(findCycles(buildGraph(resourcesOf(chain)))).toEqual([]);
  });
});

describe('findCycles', () => {
  it('finds each cycle once, starting at its earliest resource, and self-loops', () => {
    const graph = buildGraph(
      resourcesOf({
        'institution.x': ['institution.x'],
        'institution.a': ['institution.b'],
        'institution.b': ['institution.c', 'person.p'],
        'institution.c': ['institution.a'],
        'person.p': [],
      }),
    );
    expect(findCycles(graph)).toEqual([
      ['institution.x', 'institution.x'],
      ['institution.a', 'institution.b', 'institution.c', 'institution.a'],
    ]);
  });
});

describe('renderers', () => {
  it('draws Mermaid with a subgraph and a style per kind, arrows in creation order', () => {
    expect(renderMermaid(buildGraph(resourcesOf({ 'person.alice': [], 'account.main': ['person.alice'] })))).toMatchInlineSnapshot(`
      "flowchart LR
        subgraph persons
          n0["person.alice"]:::person
        end
        subgraph accounts
          n1["account.main"]:::account
        end
        n0 --> n1
        classDef person fill:#cfe8ff,stroke:#333,color:#000
        classDef institution fill:#ffe3b3,stroke:#333,color:#000
        classDef account fill:#d4f4d4,stroke:#333,color:#000
        classDef profile fill:#e8d9ff,stroke:#333,color:#000
        classDef deposit fill:#fff6b3,stroke:#333,color:#000
        classDef order fill:#ffd1d1,stroke:#333,color:#000
      "
    `);
  });

  it('draws DOT with a cluster per kind', () => {
    expect(renderDot(buildGraph(resourcesOf({ 'person.alice': [], 'account.main': ['person.alice'] })))).toMatchInlineSnapshot(`
      "digraph manifest {
        rankdir=LR;
        node [shape=box, style="rounded,filled", fontname="Helvetica"];
        subgraph "cluster_person" {
          label="persons";
          style=dashed;
          "person.alice" [fillcolor="#cfe8ff"];
        }
        subgraph "cluster_account" {
          label="accounts";
          style=dashed;
          "account.main" [fillcolor="#d4f4d4"];
        }
        "person.alice" -> "account.main";
      }
      "
    `);
  });
});
