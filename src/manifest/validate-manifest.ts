import { relative, resolve } from 'node:path';
import { ManifestError, type Issue } from '../errors.js';
import { collectManifestFiles } from './collect-files.js';
import { isolateModel, type IsolateOption } from './isolate-model.js';
import { splitManifestInputs, type ManifestInput } from './manifest-input.js';
import { createDocumentMerger } from './document-set.js';
import { interpolateSourceFile } from './interpolate.js';
import { formatBytes, readBoundedFile } from './read-bounded-file.js';
import { scrubIssues } from './scrub-issues.js';
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
import { parseSourceFiles } from './source-file.js';
import { expandGenerators, mentionsFake, type ExpansionContext } from './expand-generators.js';
import { createFakeIdRegistry, loadFakeSource } from './fake-values.js';
import { nameInstances } from './name-instances.js';

export interface ManifestLoadOptions {
  /**
   * Keep each document's data as expanded by its generators, before
   * interpolation (so no `${env:}` value is in it), for `validate --expand`.
   */
  keepExpanded?: boolean;
  /** Variables for `${env:NAME}`; defaults to `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** `validate --offline`: an unset `${env:}` is taken as present and well formed (interpolate.ts `offlinePlaceholder`). */
  offline?: boolean;
  /** Directory relative paths are resolved against; defaults to `process.cwd()`. */
  cwd?: string;
  /** Another schema and rule catalog (tests); defaults to the published ones. */
  schema?: JsonSchema;
  catalog?: RuleCatalog;
  /**
   * Folders a `${file:}` may read besides each manifest file's own folder
   * tree (relative to `cwd`). Nothing outside them is read.
   */
  allowFileRoots?: readonly string[];
  /** Largest file a `${file:}` reads, in bytes; default 1 MiB. */
  maxInterpolatedFileBytes?: number;
  /** Largest manifest file read, in bytes; default 16 MiB. Larger files are refused before they are read. */
  maxManifestFileBytes?: number;
  /**
   * Make the manifest's remote objects this run's own (isolate-model.ts):
   * every ref_id and nickname gets a prefix unique to the seed, every identity
   * a synthetic cip id derived from it. `true` draws a random seed.
   */
  isolate?: IsolateOption;
}

/**
 * 16 MiB of YAML is some 50,000 resources; parsing costs tens of times the
 * file's size in memory, so the cap keeps a run well under a few hundred MB.
 */
export const defaultMaxManifestFileBytes = 16 * 1024 * 1024;

export interface ManifestValidation {
  ok: boolean;
  /** Present when `ok`. */
  model?: Model;
  /** Every problem found, sorted by file then position. */
  issues: Issue[];
  /** The manifest files read, absolute (an in-memory manifest as its virtual path, `<cwd>/<inline-1>.yaml`). */
  files: string[];
  /** With `keepExpanded`: each document after generators ran, before interpolation, in reading order. */
  expanded?: unknown[];
}

/** Checks on the merged set, each pushing what it finds: add a rule by adding a line. */
const setRules = [checkReferences, checkUniqueCipIds, checkUniqueRemoteKeys, checkSandboxOnlyResources];

/**
 * Loads, interpolates, validates and normalises a manifest (files,
 * directories, or manifests in memory: `{ manifest: {...} }`, `{ yaml: '...' }`),
 * collecting every problem rather than stopping at the first.
 * Never throws for bad input: problems come back as issues.
 */
export async function validateManifest(inputs: readonly ManifestInput[], options: ManifestLoadOptions = {}): Promise<ManifestValidation> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const validate = createSchemaValidator(options.schema ?? loadManifestSchema(), options.catalog ?? ruleCatalog);
  const { paths, virtual } = splitManifestInputs(inputs, cwd);
  // Only in-memory manifests is not "no manifest given": the collector hears of paths alone.
  const collected = paths.length > 0 || virtual.length === 0 ? await collectManifestFiles(paths, cwd) : { files: [], issues: [] };
  const issues = collected.issues;
  const paths_ = [...collected.files, ...virtual.map((file) => file.path)];
  const virtualByPath = new Map(virtual.map((file) => [file.path, file]));

  const maxManifestBytes = options.maxManifestFileBytes ?? defaultMaxManifestFileBytes;
  const substituted = new Set<string>();
  const interpolation = {
    env,
    fileRoots: (options.allowFileRoots ?? []).map((root) => resolve(cwd, root)),
    ...(options.maxInterpolatedFileBytes !== undefined ? { maxFileBytes: options.maxInterpolatedFileBytes } : {}),
    ...(options.offline === true ? { offline: true } : {}),
    substituted,
  };

  const expansion: ExpansionContext = { fake: undefined, ids: createFakeIdRegistry() };
  const expanded: unknown[] | undefined = options.keepExpanded ? [] : undefined;
  const merger = createDocumentMerger();
  for (const path of paths_) {
    const inline = virtualByPath.get(path);
    const name = inline?.name ?? (relative(cwd, path) || path);
    const text = inline ? boundedInlineText(inline.text, path, name, maxManifestBytes, issues) : readManifestText(path, name, maxManifestBytes, issues);
    if (text === undefined) continue;
    const parsed = parseSourceFiles(path, name, text);
    issues.push(...parsed.issues);
    if (parsed.files.length > 0 && mentionsFake(text)) expansion.fake ??= await loadFakeSource();
    for (const file of parsed.files) {
      if (file.data === undefined) continue;
      // Generators first, so every later rule sees (and points into) the resources they make.
      issues.push(...expandGenerators(file, expansion));
      if (expanded) expanded.push(structuredClone(file.data));
      issues.push(...interpolateSourceFile(file, interpolation));
      issues.push(...validate(file));
      merger.add(file, issues);
      file.releaseSyntax();
    }
  }

  const { set } = merger;
  for (const rule of setRules) rule(set, issues);
  const model = normaliseDocuments(set);
  if (substituted.size > 0) model.interpolatedValues = substituted;
  checkCycles(set, model, issues);

  // Rules name values only where they are not interpolated; this makes sure.
  const sorted = sortIssues(scrubIssues(nameInstances(issues), substituted), paths_);
  const ok = sorted.every((issue) => issue.severity === 'warning');
  const isolated = ok && options.isolate !== undefined && options.isolate !== false ? isolateModel(model, options.isolate) : model;
  return { ok, ...(ok ? { model: isolated } : {}), issues: sorted, files: paths_, ...(expanded ? { expanded } : {}) };
}

/** An in-memory manifest is held to the size a file is. */
function boundedInlineText(text: string, path: string, name: string, maxBytes: number, issues: Issue[]): string | undefined {
  const size = Buffer.byteLength(text);
  if (size <= maxBytes) return text;
  issues.push({ code: 'file.too_large', message: `${name} is ${formatBytes(size)}, over the ${formatBytes(maxBytes)} limit for one manifest file`, hint: 'split it into several manifests', file: path });
  return undefined;
}

/** The text of one manifest file, or undefined with an issue: too large (decided by stat, before reading), not a regular file, unreadable. */
function readManifestText(path: string, name: string, maxBytes: number, issues: Issue[]): string | undefined {
  const read = readBoundedFile(path, maxBytes);
  if (read.ok) return read.text;
  if (read.reason === 'too_large') {
    issues.push({
      code: 'file.too_large',
      message: `${name} is ${formatBytes(read.size)}, over the ${formatBytes(maxBytes)} limit for one manifest file`,
      hint: 'split it into several files in one folder and name the folder: its *.yaml files are merged',
      file: path,
    });
  } else if (read.reason === 'not_regular') {
    issues.push({ code: 'file.not_regular', message: `${name} is ${read.type}, not a regular file, so it is not read`, file: path });
  } else {
    issues.push({ code: 'file.unreadable', message: `cannot read ${name}: ${read.errno}`, file: path });
  }
  return undefined;
}

/**
 * Loads a manifest into the normalised model, or throws a ManifestError
 * carrying every issue.
 */
export async function loadManifest(inputs: readonly ManifestInput[], options: ManifestLoadOptions = {}): Promise<Model> {
  const result = await validateManifest(inputs, options);
  if (!result.model) throw new ManifestError(result.issues);
  return result.model;
}
