import type { Issue } from '../errors.js';
import { findKindOfCollection, formatAddress, type Address, type ResourceKind } from './kinds.js';
import { locateKey, locateValue, type Position } from './locate-node.js';
import { isObject } from './schema-lookup.js';
import type { SourceFile } from './source-file.js';

/** A resource as written, with where it was written. */
export interface WrittenResource {
  address: Address;
  kind: ResourceKind;
  key: string;
  collection: string;
  file: SourceFile;
  /**
   * Position of the resource's key (`alice:`). Found when first read, from
   * the file's syntax tree: a valid file read by the fast parser has none,
   * and only issues and `validate --format json` ask.
   */
  readonly position: Position;
  /** The written fields after interpolation; not yet known to be valid. */
  body: Record<string, unknown>;
}

/** Every file merged into one set of resources, plus the top-level settings they agree on. */
export interface DocumentSet {
  files: SourceFile[];
  resources: Map<Address, WrittenResource>;
  environment: string | undefined;
  /** The written `options`, merged across files. */
  options: Record<string, unknown>;
}

/**
 * Merges parsed files. The same address in two files is `address.duplicate`
 * at the second, naming the first; files must agree on `environment` and on
 * any option both set.
 */
export function mergeDocuments(files: readonly SourceFile[]): { set: DocumentSet; issues: Issue[] } {
  const issues: Issue[] = [];
  const merger = createDocumentMerger();
  for (const file of files) merger.add(file, issues);
  return { set: merger.set, issues };
}

/**
 * The same, one file at a time: each file's syntax tree can be released as
 * soon as its resources are in, so a large manifest never holds all its trees.
 */
export function createDocumentMerger(): { set: DocumentSet; add(file: SourceFile, issues: Issue[]): void } {
  const set: DocumentSet = { files: [], resources: new Map(), environment: undefined, options: {} };
  let environmentFrom: SourceFile | undefined;
  const optionFrom = new Map<string, SourceFile>();

  const add = (file: SourceFile, issues: Issue[]): void => {
    set.files.push(file);
    if (!isObject(file.data)) return;
    const { environment, options } = file.data;
    if (typeof environment === 'string') {
      if (set.environment === undefined) {
        set.environment = environment;
        environmentFrom = file;
      } else if (environment !== set.environment && environmentFrom) {
        issues.push({
          code: 'environment.mismatch',
          message: `environment \`${environment}\` differs from \`${set.environment}\` in ${environmentFrom.name}`,
          hint: 'every file of one manifest targets the same environment',
          file: file.path,
          ...locateValue(file, ['environment']),
        });
      }
    }
    if (isObject(options)) {
      for (const [name, value] of Object.entries(options)) {
        const first = optionFrom.get(name);
        if (!first) {
          set.options[name] = value;
          optionFrom.set(name, file);
        } else if (set.options[name] !== value) {
          issues.push({
            code: 'options.conflict',
            message: `option \`${name}\` is set differently in ${first.name}`,
            hint: 'set each option once, or to the same value in every file',
            file: file.path,
            ...locateValue(file, ['options', name]),
          });
        }
      }
    }
    collectResources(file, set, issues);
  };
  return { set, add };
}

function collectResources(file: SourceFile, set: DocumentSet, issues: Issue[]): void {
  const locate = createKeyLocator(file);
  for (const [collection, entries] of Object.entries(file.data as Record<string, unknown>)) {
    const kind = findKindOfCollection(collection);
    if (!kind || !isObject(entries)) continue;
    for (const [key, body] of Object.entries(entries)) {
      const address = formatAddress(kind, key);
      const earlier = set.resources.get(address);
      if (earlier) {
        issues.push({
          code: 'address.duplicate',
          message: `\`${address}\` is already defined at ${earlier.file.name}:${earlier.position.line}:${earlier.position.col}`,
          hint: 'each address may be defined once across all files; rename one of them',
          file: file.path,
          ...locate(collection, key),
        });
        continue;
      }
      set.resources.set(address, {
        address,
        kind,
        key,
        collection,
        file,
        get position() {
          return locate(collection, key);
        },
        // A body that is not a mapping is a schema error already; keep the address so references resolve.
        body: isObject(body) ? body : {},
      });
    }
  }
}

/**
 * Positions of a file's resource keys, found together on the first request:
 * one parse of the file for all of them, after which its syntax tree is
 * released again, so asking for every resource of a large manifest holds one
 * tree at a time.
 */
function createKeyLocator(file: SourceFile): (collection: string, key: string) => Position {
  let positions: Map<string, Position> | undefined;
  return (collection, key) => {
    if (!positions) {
      positions = new Map();
      for (const [name, entries] of Object.entries(file.data as Record<string, unknown>)) {
        if (!findKindOfCollection(name) || !isObject(entries)) continue;
        for (const entry of Object.keys(entries)) positions.set(`${name}\u0000${entry}`, locateKey(file, [name, entry]));
      }
      file.releaseSyntax();
    }
    return positions.get(`${collection}\u0000${key}`) ?? locateKey(file, [collection, key]);
  };
}
