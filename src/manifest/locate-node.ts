import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import type { SourceFile } from './source-file.js';

export type PathSegment = string | number;

export interface Position {
  line: number;
  col: number;
  /** Set when the path is inside a generated resource: the position is its generator's. */
  instance?: string;
}

/** Splits a JSON pointer (`/persons/alice/address`) into segments. */
export function splitPointer(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function joinPointer(segments: readonly PathSegment[]): string {
  return segments.map((segment) => `/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/**
 * Position of the value at `segments`. When the path leaves the document (a
 * missing field), the deepest node that exists is used instead.
 */
export function locateValue(file: SourceFile, segments: readonly PathSegment[]): Position {
  const written = toWrittenPath(file, segments);
  const { node } = walk(file, written.segments);
  return withInstance(positionOf(file, node), written.instance);
}

/**
 * A generated resource is not in the file as such: its fields are where its
 * generator writes them (`/persons/trader-17/x` is at `/persons/trader/x`).
 */
function toWrittenPath(file: SourceFile, segments: readonly PathSegment[]): { segments: readonly PathSegment[]; instance: string | undefined } {
  const [collection, key, ...rest] = segments;
  const made = file.generated && key !== undefined ? file.generated.get(`${String(collection)}\u0000${String(key)}`) : undefined;
  if (!made || collection === undefined) return { segments, instance: undefined };
  return { segments: [collection, made.generator, ...rest], instance: made.instance };
}

function withInstance(position: Position, instance: string | undefined): Position {
  return instance === undefined ? position : { ...position, instance };
}

/**
 * Position of the key that names the value at `segments` (`alice:` for
 * `/persons/alice`): where to point when a mapping as a whole is wrong, such as
 * a required field missing from it. Falls back to the value for list entries.
 */
export function locateKey(file: SourceFile, segments: readonly PathSegment[]): Position {
  const written = toWrittenPath(file, segments);
  const { node, pair, complete } = walk(file, written.segments);
  if (complete && pair && isNodeLike(pair.key)) return withInstance(positionOf(file, pair.key), written.instance);
  return withInstance(positionOf(file, node), written.instance);
}

interface WalkResult {
  node: Node | null;
  /** The pair holding the last segment, when the parent is a mapping. */
  pair: Pair | undefined;
  complete: boolean;
}

function walk(file: SourceFile, segments: readonly PathSegment[]): WalkResult {
  const { document } = file.syntax();
  let node = resolve(document, document.contents);
  let pair: Pair | undefined;
  for (const segment of segments) {
    let next: unknown;
    pair = undefined;
    if (isMap(node)) {
      pair = findPair(node, String(segment));
      next = pair?.value;
    } else if (isSeq(node)) {
      next = node.items[Number(segment)];
    }
    const resolved = resolve(document, next);
    if (!resolved) return { node, pair: undefined, complete: false };
    node = resolved;
  }
  return { node, pair, complete: true };
}

function resolve(document: Document, value: unknown): Node | null {
  if (isAlias(value)) return (value.resolve(document) as Node | undefined) ?? null;
  return isNodeLike(value) ? value : null;
}

function isNodeLike(value: unknown): value is Node {
  return isMap(value) || isSeq(value) || isScalar(value) || isAlias(value);
}

// Mappings of thousands of resources are searched many times; index each once.
const pairIndexes = new WeakMap<YAMLMap, Map<string, Pair>>();

function findPair(map: YAMLMap, key: string): Pair | undefined {
  let index = pairIndexes.get(map);
  if (!index) {
    index = new Map();
    for (const item of map.items) {
      if (!isPair(item)) continue;
      const name = isScalar(item.key) ? String(item.key.value) : String(item.key);
      if (!index.has(name)) index.set(name, item);
    }
    pairIndexes.set(map, index);
  }
  return index.get(key);
}

function positionOf(file: SourceFile, node: Node | null): Position {
  const offset = node?.range?.[0] ?? 0;
  return file.syntax().lineCounter.linePos(offset);
}
