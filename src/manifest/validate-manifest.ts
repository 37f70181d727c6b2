import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { ManifestError, type Issue } from '../errors.js';
import { collectManifestFiles } from './collect-files.js';
import { createDocumentMerger } from './document-set.js';
import { interpolateSourceFile } from './interpolate.js';
import type { RuleCatalog } from './map-schema-errors.js';
import type { Model } from './model.js';
import { normaliseDocuments } from './normalise.js';
import { ruleCatalog } from './rule-catalog.js';
import { checkCycles } from './rules/check-cycles.js';
import { checkSandboxOnlyResources } from './rules/check-environment.js';
import { checkReferences } from './rules/check-references.js';
import { checkUniqueCipIds, checkUniqueRemoteKeys } from './rules/check-uniqueness.js';
import type { JsonSchema } from './schema-lookup.js';
import { createSchemaValidator, loadManifestSchema } from './schema-validator.js';
import { sortIssues } from './sort-issues.js';
import { parseSourceFile } from './source-file.js';

export interface ManifestLoadOptions {
  /** Variables for `${env:NAME}`; defaults to `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Directory relative paths are resolved against; defaults to `process.cwd()`. */
  cwd?: string;
  /** Another schema and rule catalog (tests); defaults to the published ones. */
  schema?: JsonSchema;
  catalog?: RuleCatalog;
}

export interface ManifestValidation {
  ok: boolean;
  /** Present when `ok`. */
  model?: Model;
  /** Every problem found, sorted by file then position. */
  issues: Issue[];
  /** The manifest files read, absolute. */
  files: string[];
}

/** Checks on the merged set, each pushing what it finds: add a rule by adding a line. */
const setRules = [checkReferences, checkUniqueCipIds, checkUniqueRemoteKeys, checkSandboxOnlyResources];

/**
 * Loads, interpolates, validates and normalises a manifest (files and
 * directories), collecting every problem rather than stopping at the first.
 * Never throws for bad input: problems come back as issues.
 */
export async function validateManifest(paths: readonly string[], options: ManifestLoadOptions = {}): Promise<ManifestValidation> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const validate = createSchemaValidator(options.schema ?? loadManifestSchema(), options.catalog ?? ruleCatalog);
  const { files: paths_, issues } = await collectManifestFiles(paths, cwd);

  const merger = createDocumentMerger();
  for (const path of paths_) {
    const name = relative(cwd, path) || path;
    const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      issues.push({ code: 'file.unreadable', message: `cannot read ${name}: ${error.code ?? error.message}`, file: path });
      return undefined;
    });
    if (text === undefined) continue;
    const parsed = parseSourceFile(path, name, text);
    issues.push(...parsed.issues);
    if (parsed.file.data === undefined) continue;
    issues.push(...interpolateSourceFile(parsed.file, { env }));
    issues.push(...validate(parsed.file));
    merger.add(parsed.file, issues);
    parsed.file.releaseSyntax();
  }

  const { set } = merger;
  for (const rule of setRules) rule(set, issues);
  const model = normaliseDocuments(set);
  checkCycles(set, model, issues);

  const sorted = sortIssues(issues, paths_);
  const ok = sorted.every((issue) => issue.severity === 'warning');
  return { ok, ...(ok ? { model } : {}), issues: sorted, files: paths_ };
}

/**
 * Loads a manifest into the normalised model, or throws a ManifestError
 * carrying every issue.
 */
export async function loadManifest(paths: readonly string[], options: ManifestLoadOptions = {}): Promise<Model> {
  const result = await validateManifest(paths, options);
  if (!result.model) throw new ManifestError(result.issues);
  return result.model;
}
