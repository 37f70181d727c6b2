import { relative } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import type { Issue } from '../../errors.js';
import { stringify } from 'yaml';
import { findKindOfCollection } from '../../manifest/kinds.js';
import { joinPointer } from '../../manifest/locate-node.js';
import { isObject } from '../../manifest/schema-lookup.js';
import { validateManifest, type ManifestValidation } from '../../manifest/validate-manifest.js';
import { maskSensitiveParts } from '../../plan/mask.js';
import { handlerFor } from '../../resources/index.js';
import { allowFileRootOption, allowFileRootsOf } from '../file-roots.js';
import { writeLine, type CliIo } from '../io.js';
import { formatIssue } from '../render-error.js';

interface ValidateArgs {
  'allow-file-root'?: string[];
  manifest: string[];
  format: 'text' | 'json';
  expand?: boolean;
  'show-sensitive'?: boolean;
  offline?: boolean;
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
        .positional('manifest', { type: 'string', array: true, demandOption: true, default: undefined, describe: 'manifest files or directories' })
        .option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'output format' })
        .option('expand', { type: 'boolean', describe: 'print the manifest as YAML with its generators expanded (the report goes to stderr)' })
        .option('show-sensitive', { type: 'boolean', describe: 'with --expand: print cip ids, tax ids and dates of birth unmasked' })
        .option('offline', { type: 'boolean', describe: 'take an unset ${env:NAME} as present and well formed: checks all else without the secrets (pull-request CI)' })
        .option('allow-file-root', allowFileRootOption) as unknown as Argv<ValidateArgs>,
    handler: async (args) => {
      const result = await validateManifest(args.manifest, { env: io.env, cwd: io.cwd, ...(args.expand ? { keepExpanded: true } : {}), ...(args.offline ? { offline: true } : {}), ...allowFileRootsOf(args) });
      if (args.expand) {
        // stdout is the manifest alone, so it can be piped or saved; the verdict goes to stderr.
        writeLine(io.stdout, renderExpanded(result.expanded ?? [], args['show-sensitive'] === true).trimEnd());
        writeLine(io.stderr, args.format === 'json' ? JSON.stringify(toJson(result, io.cwd), null, 2) : renderValidation(result, io.cwd));
      } else if (args.format === 'json') writeLine(io.stdout, JSON.stringify(toJson(result, io.cwd), null, 2));
      else writeLine(io.stdout, renderValidation(result, io.cwd));
      io.exitCode = result.ok ? 0 : 1;
    },
  };
}

/**
 * The expanded documents merged into one manifest, as YAML. Values are as
 * written (a `${env:}` stays a placeholder, never its value), and PII the
 * plan masks (cip ids, tax ids, dates of birth) is masked the same way unless
 * asked: generated values are synthetic, but a written one may be real.
 */
export function renderExpanded(documents: readonly unknown[], showSensitive: boolean): string {
  const merged: Record<string, unknown> = {};
  for (const document of documents) {
    if (!isObject(document)) continue;
    for (const [name, value] of Object.entries(document)) {
      const kind = findKindOfCollection(name);
      if (!kind || !isObject(value)) {
        merged[name] ??= value;
        continue;
      }
      const into = (merged[name] ??= {}) as Record<string, unknown>;
      const handler = handlerFor(kind);
      for (const [key, body] of Object.entries(value)) {
        into[key] =
          showSensitive || !isObject(body)
            ? body
            : Object.fromEntries(Object.entries(body).map(([field, fieldValue]) => [field, maskSensitiveParts({ sensitivePaths: [] }, handler, joinPointer([field]), fieldValue)]));
      }
    }
  }
  return stringify(merged, { lineWidth: 0, aliasDuplicateObjects: false });
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
    // A file that could not be read is not counted: "1 error in 0 files" reads as nonsense.
    lines.push(`✗ ${errors} error${errors === 1 ? '' : 's'}${result.files.length > 0 ? ` in ${files}` : ''}`);
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
