import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, parseDocument, visit, type Document } from 'yaml';
import type { Issue } from '../errors.js';
import { parseFast } from './fast-parse.js';

export interface SyntaxTree {
  document: Document.Parsed;
  lineCounter: LineCounter;
}

/** One manifest file, parsed, with what is needed to point back into it. */
export interface SourceFile {
  /** Absolute path. */
  path: string;
  /** The path as a user would write it (relative to the working directory): for messages. */
  name: string;
  text: string;
  /**
   * The YAML syntax tree, for pointing into the file: parsed when first asked
   * (a valid file read by the fast parser never builds one). Trees of large
   * files take far more memory than their data, so the pipeline releases each
   * one once its file is checked; asking again re-parses (only issues and
   * resource positions need it).
   */
  syntax(): SyntaxTree;
  /** Drops the syntax tree until next asked for. */
  releaseSyntax(): void;
  /** The file as plain data, after interpolation; undefined when the YAML did not parse. */
  data: unknown;
  /** JSON pointers of scalars whose value came from `${env:}`/`${file:}`: never print them. */
  sensitive: Set<string>;
  /**
   * JSON pointers of scalars whose interpolation failed: already reported, so
   * what the schema says of the placeholder left in them is noise.
   */
  unresolved: Set<string>;
  /** Whether `data` may hold one object at two places (a YAML alias). */
  sharesValues: boolean;
  /**
   * Resources made by a generator (expand-generators.ts), by
   * `collection\u0000key`: positions inside one point at its generator, and
   * name the instance.
   */
  generated?: Map<string, { generator: string; instance: string }>;
}

/**
 * Parses a manifest file. Most files are plain, valid YAML: those are read by
 * the fast parser (fast-parse.ts), and their syntax tree is built only if
 * something must be pointed at. Every other file, and every file with an
 * error, is parsed by the `yaml` package with its own positions. Duplicate
 * keys are errors (`yaml.duplicate_key`); anything else the parser refuses is
 * `yaml.syntax`. A file with errors yields no data, so later stages skip it.
 */
export function parseSourceFile(path: string, name: string, text: string): { file: SourceFile; issues: Issue[] } {
  const fast = parseFast(text);
  if (fast.ok) return { file: createSourceFile(path, name, text, fast.data, undefined, false), issues: [] };
  return parseSourceFileByYaml(path, name, text);
}

/**
 * A manifest file as the documents it holds: one for most files; a file of
 * several `---` documents gives one SourceFile per document (same path, each
 * with its own data and syntax tree), merged like the files of a folder.
 * Empty documents (a trailing `---`) are left out.
 */
export function parseSourceFiles(path: string, name: string, text: string): { files: SourceFile[]; issues: Issue[] } {
  const fast = parseFast(text);
  if (fast.ok) return { files: [createSourceFile(path, name, text, fast.data, undefined, false)], issues: [] };
  const tree = parseSyntax(text);
  if (!tree.document.errors.some((error) => error.code === 'MULTIPLE_DOCS')) {
    const { file, issues } = fromSyntaxTree(path, name, text, tree);
    return { files: [file], issues };
  }
  const files: SourceFile[] = [];
  const issues: Issue[] = [];
  const documents = parseDocuments(text);
  for (const [index, document] of documents.documents.entries()) {
    const parsed = fromSyntaxTree(path, name, text, { document, lineCounter: documents.lineCounter }, () => {
      const again = parseDocuments(text);
      const found = again.documents[index];
      if (!found) throw new Error(`document ${index + 1} of ${name} is gone`);
      return { document: found, lineCounter: again.lineCounter };
    });
    // An empty document (a trailing `---`, or one of comments) holds nothing to merge.
    if (parsed.file.data === null && parsed.issues.length === 0) continue;
    files.push(parsed.file);
    issues.push(...parsed.issues);
  }
  return { files, issues };
}

/** The `yaml` path alone: what parseSourceFile does with a file the fast parser defers, and what it must agree with. */
export function parseSourceFileByYaml(path: string, name: string, text: string): { file: SourceFile; issues: Issue[] } {
  return fromSyntaxTree(path, name, text, parseSyntax(text));
}

function fromSyntaxTree(path: string, name: string, text: string, tree: SyntaxTree, reparse?: () => SyntaxTree): { file: SourceFile; issues: Issue[] } {
  const { document, lineCounter } = tree;
  // The parser often reports one slip several times along a line; the first says it.
  const errorLines = new Set<number>();
  const firstPerLine = document.errors.filter((error) => {
    const { line } = lineCounter.linePos(error.pos[0]);
    if (errorLines.has(line)) return false;
    errorLines.add(line);
    return true;
  });
  const issues: Issue[] = firstPerLine.map((error) => {
    const position = lineCounter.linePos(error.pos[0]);
    const start = lineCounter.lineStarts[position.line - 1] ?? 0;
    const end = text.indexOf('\n', start);
    const line = text.slice(start, end < 0 ? undefined : end);
    return {
      code: 'yaml.syntax',
      message: firstLine(error.message),
      // `{ a: ${env:X} }` breaks YAML: braces end a flow mapping. A common slip, so say so.
      ...(line.includes('${') ? { hint: 'inside { } or [ ], quote an interpolation: "${env:NAME}"' } : {}),
      file: path,
      ...position,
    };
  });
  const converted = convertDocument(document.contents);
  for (const duplicate of converted.duplicates) {
    const first = lineCounter.linePos(duplicate.firstOffset);
    issues.push({
      code: 'yaml.duplicate_key',
      message: `duplicate key \`${duplicate.key}\`: already set in this mapping at line ${first.line}`,
      hint: 'each key may appear once in a mapping; merge the entries or rename one',
      file: path,
      ...lineCounter.linePos(duplicate.offset),
    });
  }
  // The walk's values are what `toJS` gives for plain trees; aliases (shared
  // values, the alias-count limit) and collection keys are left to `toJS`.
  let data = issues.length > 0 ? undefined : converted.plain ? converted.value : undefined;
  if (issues.length === 0 && !converted.plain) {
    const converted = convertWithAliases(document, lineCounter, path);
    if ('issue' in converted) issues.push(converted.issue);
    else data = converted.data;
  }
  return { file: createSourceFile(path, name, text, data, tree, !converted.plain, reparse), issues };
}

/** Past this many alias expansions a file is refused: a "billion laughs" file would otherwise exhaust memory. */
const maxAliasCount = 1000;

/**
 * `toJS` throws on an alias whose anchor is not set before it, and on too many
 * expansions: both are the user's YAML, so they become an issue at the alias.
 */
function convertWithAliases(document: Document.Parsed, lineCounter: LineCounter, path: string): { data: unknown } | { issue: Issue } {
  let found: Issue | undefined;
  visit(document, {
    Alias(_key, alias) {
      if (alias.resolve(document) !== undefined) return undefined;
      found = {
        code: 'yaml.syntax',
        message: `the alias *${alias.source} has no anchor &${alias.source} before it`,
        hint: `define the anchor first (\`key: &${alias.source} value\`), or write the value out`,
        file: path,
        ...lineCounter.linePos(alias.range?.[0] ?? 0),
      };
      return visit.BREAK;
    },
  });
  if (found) return { issue: found };
  try {
    return { data: document.toJS({ maxAliasCount }) };
  } catch (error) {
    return { issue: { code: 'yaml.syntax', message: `the aliases expand too far (${firstLine(String((error as Error).message))})`, hint: 'write the repeated values out, or use fewer nested aliases', file: path, line: 1, col: 1 } };
  }
}

function createSourceFile(path: string, name: string, text: string, data: unknown, tree: SyntaxTree | undefined, sharesValues: boolean, reparse?: () => SyntaxTree): SourceFile {
  let cached = tree;
  return {
    path,
    name,
    text,
    syntax: () => (cached ??= reparse ? reparse() : parseSyntax(text)),
    releaseSyntax: () => {
      cached = undefined;
    },
    data,
    sensitive: new Set(),
    unresolved: new Set(),
    sharesValues,
  };
}

function parseSyntax(text: string): SyntaxTree {
  const lineCounter = new LineCounter();
  // The parser's own `uniqueKeys` compares each key with every other (quadratic:
  // seconds for 10,000 resources in one mapping); findDuplicateKeys does it in one pass.
  // logLevel: library code does not print; yaml would emit a process warning
  // when toJS stringifies a collection key (the schema reports that key anyway).
  // merge: `<<` merge keys, for anchors shared between resources (YAML 1.1's, which users expect).
  const document = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false, logLevel: 'error', merge: true });
  return { document, lineCounter };
}

function parseDocuments(text: string): { documents: Document.Parsed[]; lineCounter: LineCounter } {
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter, uniqueKeys: false, prettyErrors: false, logLevel: 'error', merge: true });
  // An empty text gives an empty stream (no array of documents).
  return { documents: Array.isArray(parsed) ? parsed : [], lineCounter };
}

interface DuplicateKey {
  key: string;
  offset: number;
  firstOffset: number;
}

interface Conversion {
  /** The tree as plain data; only meaningful when `plain`. */
  value: unknown;
  /** False when the tree holds an alias or a collection as a key: then `toJS` must convert it. */
  plain: boolean;
  duplicates: DuplicateKey[];
}

/**
 * One walk over the composed tree that finds duplicate keys and builds the
 * plain data, as `Document#toJS` would (scalars keep their composed value;
 * `__proto__` becomes an own key). `toJS` goes through a generic per-node
 * dispatch and an anchor context; on 10,000 resources this walk costs a
 * fraction of it plus the separate duplicate-key pass it replaces.
 */
function convertDocument(root: unknown): Conversion {
  const duplicates: DuplicateKey[] = [];
  let plain = true;
  const convert = (node: unknown): unknown => {
    if (isScalar(node)) return node.value;
    if (isMap(node)) {
      const result: Record<string, unknown> = {};
      const seen = new Map<string, number>();
      for (const pair of node.items) {
        const { key } = pair;
        const value = convert(pair.value);
        if (!isScalar(key)) {
          // Null for an empty key (`: x`) is an empty string to toJS; anything else is a collection key.
          if (key === null) result[''] = value;
          else plain = false;
          continue;
        }
        // A merge key (`<<`, a symbol) is resolved by toJS.
        if ((typeof key.value === 'object' && key.value !== null) || typeof key.value === 'symbol') plain = false;
        const name = String(key.value);
        const offset = key.range?.[0] ?? 0;
        const firstOffset = seen.get(name);
        if (firstOffset === undefined) seen.set(name, offset);
        else duplicates.push({ key: name, offset, firstOffset });
        const property = key.value === null ? '' : name;
        if (property === '__proto__') Object.defineProperty(result, property, { value, writable: true, enumerable: true, configurable: true });
        else result[property] = value;
      }
      return result;
    }
    if (isSeq(node)) return node.items.map(convert);
    // An alias repeats a node already visited where it was defined; toJS shares and counts them.
    if (isAlias(node)) plain = false;
    return null;
  };
  const value = convert(root);
  duplicates.sort((a, b) => a.offset - b.offset);
  return { value, plain, duplicates };
}

function firstLine(message: string): string {
  const line = message.split('\n')[0] ?? message;
  // The parser appends "at line X, column Y"; the issue carries the position already.
  return line.replace(/ at line \d+, column \d+:?$/, '');
}
