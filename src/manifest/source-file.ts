import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { Issue } from '../errors.js';

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
   * The YAML syntax tree, for pointing into the file. Trees of large files
   * take far more memory than their data, so the pipeline releases each one
   * once its file is checked; asking again re-parses (only issues need it).
   */
  syntax(): SyntaxTree;
  /** Drops the syntax tree until next asked for. */
  releaseSyntax(): void;
  /** The file as plain data, after interpolation; undefined when the YAML did not parse. */
  data: unknown;
  /** JSON pointers of scalars whose value came from `${env:}`/`${file:}`: never print them. */
  sensitive: Set<string>;
}

/**
 * Parses YAML with the `yaml` package's own positions. Duplicate keys are
 * errors (`yaml.duplicate_key`); anything else the parser refuses is
 * `yaml.syntax`. A file with errors yields no data, so later stages skip it.
 */
export function parseSourceFile(path: string, name: string, text: string): { file: SourceFile; issues: Issue[] } {
  const tree = parseSyntax(text);
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
    const line = text.slice(lineCounter.lineStarts[position.line - 1] ?? 0).split('\n', 1)[0] ?? '';
    return {
      code: 'yaml.syntax',
      message: firstLine(error.message),
      // `{ a: ${env:X} }` breaks YAML: braces end a flow mapping. A common slip, so say so.
      ...(line.includes('${') ? { hint: 'inside { } or [ ], quote an interpolation: "${env:NAME}"' } : {}),
      file: path,
      ...position,
    };
  });
  for (const duplicate of findDuplicateKeys(document.contents)) {
    const first = lineCounter.linePos(duplicate.firstOffset);
    issues.push({
      code: 'yaml.duplicate_key',
      message: `duplicate key \`${duplicate.key}\`: already set in this mapping at line ${first.line}`,
      hint: 'each key may appear once in a mapping; merge the entries or rename one',
      file: path,
      ...lineCounter.linePos(duplicate.offset),
    });
  }
  const data = issues.length === 0 ? document.toJS({ maxAliasCount: 1000 }) : undefined;
  let cached: SyntaxTree | undefined = tree;
  const file: SourceFile = {
    path,
    name,
    text,
    syntax: () => (cached ??= parseSyntax(text)),
    releaseSyntax: () => {
      cached = undefined;
    },
    data,
    sensitive: new Set(),
  };
  return { file, issues };
}

function parseSyntax(text: string): SyntaxTree {
  const lineCounter = new LineCounter();
  // The parser's own `uniqueKeys` compares each key with every other (quadratic:
  // seconds for 10,000 resources in one mapping); findDuplicateKeys does it in one pass.
  const document = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  return { document, lineCounter };
}

interface DuplicateKey {
  key: string;
  offset: number;
  firstOffset: number;
}

function findDuplicateKeys(root: unknown): DuplicateKey[] {
  const found: DuplicateKey[] = [];
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const node = pending.pop();
    if (isSeq(node)) {
      pending.push(...node.items);
    } else if (isMap(node)) {
      const seen = new Map<string, number>();
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        pending.push(pair.value);
        if (!isScalar(pair.key)) continue;
        const key = String(pair.key.value);
        const offset = (pair.key as Node).range?.[0] ?? 0;
        const firstOffset = seen.get(key);
        if (firstOffset === undefined) seen.set(key, offset);
        else found.push({ key, offset, firstOffset });
      }
    } else if (isAlias(node)) {
      // An alias repeats a node already visited where it was defined.
    }
  }
  return found.sort((a, b) => a.offset - b.offset);
}

function firstLine(message: string): string {
  const line = message.split('\n')[0] ?? message;
  // The parser appends "at line X, column Y"; the issue carries the position already.
  return line.replace(/ at line \d+, column \d+:?$/, '');
}
