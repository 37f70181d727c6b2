import { relative } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import type { Issue } from '../../errors.js';
import { validateManifest, type ManifestValidation } from '../../manifest/validate-manifest.js';
import { writeLine, type CliIo } from '../io.js';
import { formatIssue } from '../render-error.js';

interface ValidateArgs {
  manifest: string[];
  format: 'text' | 'json';
}

/** Issues with file paths relative to the working directory, as a user typed them. */
export function relativeIssues(issues: readonly Issue[], cwd: string): Issue[] {
  return issues.map((issue) => (issue.file === undefined ? issue : { ...issue, file: relative(cwd, issue.file) || issue.file }));
}

/**
 * `paxos-onboard validate <manifest...>`: every problem at once, sorted by
 * position; exit 0 when valid, 1 otherwise.
 */
export function validateCommand(io: CliIo): CommandModule<object, ValidateArgs> {
  return {
    command: 'validate <manifest...>',
    describe: 'Check manifests against the schema and the Paxos rules; report every problem with file:line:col',
    builder: (yargs: Argv) =>
      yargs
        .positional('manifest', { type: 'string', array: true, demandOption: true, describe: 'manifest files or directories' })
        .option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'output format' }) as unknown as Argv<ValidateArgs>,
    handler: async (args) => {
      const result = await validateManifest(args.manifest, { env: io.env, cwd: io.cwd });
      if (args.format === 'json') writeLine(io.stdout, JSON.stringify(toJson(result, io.cwd), null, 2));
      else writeLine(io.stdout, renderValidation(result, io.cwd));
      io.exitCode = result.ok ? 0 : 1;
    },
  };
}

/** The text report: one block per issue, then a summary line. */
export function renderValidation(result: ManifestValidation, cwd: string): string {
  const lines = relativeIssues(result.issues, cwd).map(formatIssue);
  const files = `${result.files.length} file${result.files.length === 1 ? '' : 's'}`;
  if (result.ok && result.model) {
    const count = result.model.resources.size;
    lines.push(`✓ ${files}, ${count} resource${count === 1 ? '' : 's'} valid`);
  } else {
    const errors = result.issues.filter((issue) => issue.severity !== 'warning').length;
    if (lines.length > 0) lines.push('');
    lines.push(`✗ ${errors} error${errors === 1 ? '' : 's'} in ${files}`);
  }
  return lines.join('\n');
}

function toJson(result: ManifestValidation, cwd: string) {
  return {
    ok: result.ok,
    issues: relativeIssues(result.issues, cwd),
    resources: [...(result.model?.resources.values() ?? [])].map((resource) => ({
      address: resource.address,
      kind: resource.kind,
      key: resource.key,
      file: relative(cwd, resource.source.file),
      line: resource.source.line,
      col: resource.source.col,
      depends_on: resource.dependsOn,
    })),
  };
}
