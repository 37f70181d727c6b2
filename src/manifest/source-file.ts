import { LineCounter, parseDocument, type Document } from 'yaml';
import type { Issue } from '../errors.js';

/** One manifest file, parsed, with what is needed to point back into it. */
export interface SourceFile {
  /** Absolute path. */
  path: string;
  /** The path as a user would write it (relative to the working directory): for messages. */
  name: string;
  text: string;
  document: Document.Parsed;
  lineCounter: LineCounter;
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
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const issues: Issue[] = document.errors.map((error) => {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    const duplicate = error.code === 'DUPLICATE_KEY';
    return {
      code: duplicate ? 'yaml.duplicate_key' : 'yaml.syntax',
      message: duplicate ? describeDuplicateKey(document, text, error.pos[0]) : firstLine(error.message),
      file: path,
      line,
      col,
      ...(duplicate ? { hint: 'each key may appear once in a mapping; merge or rename the entries' } : {}),
    };
  });
  const data = issues.length === 0 ? document.toJS({ maxAliasCount: 1000 }) : undefined;
  return { file: { path, name, text, document, lineCounter, data, sensitive: new Set() }, issues };
}

function describeDuplicateKey(_document: Document.Parsed, text: string, offset: number): string {
  const key = /^[^\s:]+/.exec(text.slice(offset, offset + 200))?.[0];
  return key ? `duplicate key \`${key}\` in this mapping` : 'duplicate key in this mapping';
}

function firstLine(message: string): string {
  const line = message.split('\n')[0] ?? message;
  // The parser appends "at line X, column Y"; the issue carries the position already.
  return line.replace(/ at line \d+, column \d+:?$/, '');
}
