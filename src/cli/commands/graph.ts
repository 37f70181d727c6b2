import type { Argv, CommandModule } from 'yargs';
import { ManifestError } from '../../errors.js';
import { buildGraph } from '../../graph/build-graph.js';
import { renderDot } from '../../graph/render-dot.js';
import { renderMermaid } from '../../graph/render-mermaid.js';
import { validateManifest } from '../../manifest/validate-manifest.js';
import type { CliIo } from '../io.js';
import { relativeIssues } from './validate.js';

interface GraphArgs {
  manifest: string[];
  format: 'mermaid' | 'dot';
}

/** `paxos-onboard graph <manifest...>`: the dependency graph, for a reviewer to look at. */
export function graphCommand(io: CliIo): CommandModule<object, GraphArgs> {
  return {
    command: 'graph <manifest...>',
    describe: 'Print the dependency graph of manifests (Mermaid or Graphviz DOT)',
    builder: (yargs: Argv) =>
      yargs
        .positional('manifest', { type: 'string', array: true, demandOption: true, default: undefined, describe: 'manifest files or directories' })
        .option('format', { choices: ['mermaid', 'dot'] as const, default: 'mermaid' as const, describe: 'output format' }) as unknown as Argv<GraphArgs>,
    handler: async (args) => {
      const result = await validateManifest(args.manifest, { env: io.env, cwd: io.cwd });
      if (!result.model) throw new ManifestError(relativeIssues(result.issues, io.cwd));
      const graph = buildGraph(result.model);
      io.stdout.write(args.format === 'dot' ? renderDot(graph) : renderMermaid(graph));
    },
  };
}
