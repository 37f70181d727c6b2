import { describe, expect, it } from 'vitest';
import { LineCounter, parseDocument } from 'yaml';
import { parseSourceFile } from './source-file.js';

/** What `yaml` itself makes of the text: the data parseSourceFile must agree with. */
function toJsByYaml(text: string): unknown {
  return parseDocument(text, { lineCounter: new LineCounter(), uniqueKeys: false, logLevel: 'error' }).toJS({ maxAliasCount: 1000 });
}

describe('parseSourceFile data', () => {
  it.each([
    ['mappings, lists and scalars', 'a: 1\nb: [1, 2.5, {c: d}]\nc: true\nd: ~\ne: "1980-01-01"\nf:\n  - x\n  - y: z\n'],
    ['keys that are not strings', ': empty\n1: one\ntrue: t\n1.5: f\n0x10: hex\n? explicit\n'],
    ['tags resolved by the composer', '!!map {a: !!str 1, b: !!int "2", c: !!float 3}\n'],
    ['a null key', '~: null key\n'],
    ['a document that is one scalar', 'just a scalar\n'],
    ['an empty document', ''],
    ['a top-level list', '- a\n- b: c\n'],
    ['aliases, converted by toJS', 'a: &x {b: 1}\nc: *x\n'],
    ['a collection as a key, converted by toJS', '? [a, b]\n: 5\n'],
  ])('equals yaml’s toJS for %s', (_name, text) => {
    const { file, issues } = parseSourceFile('/m/a.yaml', 'a.yaml', text);
    expect(issues).toEqual([]);
    expect(file.data).toEqual(toJsByYaml(text));
  });

  it('makes `__proto__` an own key, never the prototype', () => {
    const { file } = parseSourceFile('/m/a.yaml', 'a.yaml', '__proto__: { polluted: true }\n');
    const data = file.data as Record<string, unknown>;
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(Object.keys(data)).toEqual(['__proto__']);
    expect((data as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('shares one object between an anchor and its aliases, as toJS does', () => {
    const { file } = parseSourceFile('/m/a.yaml', 'a.yaml', 'a: &x {b: 1}\nc: *x\n');
    const data = file.data as Record<string, unknown>;
    expect(data.c).toBe(data.a);
    expect(file.sharesValues).toBe(true);
    expect(parseSourceFile('/m/b.yaml', 'b.yaml', 'a: {b: 1}\n').file.sharesValues).toBe(false);
  });

  it('reports each duplicate key at the repeat, naming the first line, and yields no data', () => {
    const { file, issues } = parseSourceFile('/m/a.yaml', 'a.yaml', 'a: 1\nb:\n  c: 1\n  c: 2\na: 3\n');
    expect(file.data).toBeUndefined();
    expect(issues.map((issue) => [issue.code, issue.line, issue.col, issue.message])).toEqual([
      ['yaml.duplicate_key', 4, 3, 'duplicate key `c`: already set in this mapping at line 3'],
      ['yaml.duplicate_key', 5, 1, 'duplicate key `a`: already set in this mapping at line 1'],
    ]);
  });
});

describe('parseSourceFile aliases the user got wrong', () => {
  it('reports an alias with no anchor before it at the alias, instead of throwing', () => {
    const { file, issues } = parseSourceFile('/m.yaml', 'm.yaml', 'version: 1\npersons:\n  a: *x\n');
    expect(file.data).toBeUndefined();
    expect(issues).toEqual([
      expect.objectContaining({ code: 'yaml.syntax', line: 3, col: 6, message: 'the alias *x has no anchor &x before it' }),
    ]);
  });

  it('refuses aliases that expand past the limit (a "billion laughs" file)', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (const [name, previous] of [['b', 'a'], ['c', 'b'], ['d', 'c'], ['e', 'd']] as const) {
      levels.push(`${name}: &${name} [${Array(10).fill(`*${previous}`).join(', ')}]`);
    }
    const { file, issues } = parseSourceFile('/m.yaml', 'm.yaml', `${levels.join('\n')}\n`);
    expect(file.data).toBeUndefined();
    expect(issues).toEqual([expect.objectContaining({ code: 'yaml.syntax', message: expect.stringMatching(/^the aliases expand too far/) })]);
  });
});
