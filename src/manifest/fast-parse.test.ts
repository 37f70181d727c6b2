import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFast } from './fast-parse.js';
import { parseSourceFileByYaml } from './source-file.js';

const fixturesDir = join(import.meta.dirname, '../../fixtures');
// generated.yaml shares its templates through anchors and merge keys, which only `yaml` reads.
const fixtures = readdirSync(fixturesDir)
  .filter((name) => name.endsWith('.yaml') && name !== 'generated.yaml')
  .map((name) => [name, readFileSync(join(fixturesDir, name), 'utf8')] as const);

/**
 * The contract: a file the fast parser takes is one `yaml` accepts without
 * issues, with deep-equal data (`toEqual` tells -0 from 0 and NaN from null).
 */
function expectAgreement(text: string): void {
  const fast = parseFast(text);
  if (!fast.ok) return;
  const { file, issues } = parseSourceFileByYaml('/m/a.yaml', 'a.yaml', text);
  expect(issues).toEqual([]);
  expect(fast.data).toEqual(file.data);
}

describe('parseFast', () => {
  it.each(fixtures)('reads %s as yaml does', (_name, text) => {
    expect(parseFast(text).ok).toBe(true);
    expectAgreement(text);
  });

  it.each([
    ['core schema ints', 'a: 1\nb: -0\nc: +5\nd: 0o17\ne: 0x1F\nf: 0123\ng: 99999999999999999999999\n'],
    ['what YAML 1.1 or js-yaml would read as numbers stays a string', 'a: 0b101\nb: 1_000\nc: -0x10\nd: +0o7\ne: 1:20\n'],
    ['floats', 'a: 1.5\nb: .5\nc: -.5\nd: 1e3\ne: 1.\nf: 1.0e+3\ng: 0.0\n'],
    ['infinities and NaN', 'a: .inf\nb: -.Inf\nc: +.INF\nd: .nan\ne: .NaN\nf: -.nan\n'],
    ['an int beyond a double', `a: ${'9'.repeat(400)}\n`],
    ['booleans, with YAML 1.1 words as strings', 'a: true\nb: True\nc: FALSE\nd: yes\ne: no\nf: on\ng: y\nh: tRue\n'],
    ['nulls', 'a: null\nb: Null\nc: NULL\nd: ~\ne:\nf: nUll\n'],
    ['dates stay strings', 'a: 1980-01-01\nb: 2024-01-01T00:00:00Z\n'],
    ['`__proto__` is an own key', '__proto__: { polluted: true }\na:\n  __proto__: 1\n'],
    ['an empty file', ''],
    ['a file of comments', '# hello\n'],
    ['an empty document', '---\n'],
    ['document markers', '---\na: 1\n...\n'],
    ['a byte order mark', '\uFEFFa: 1\r\n'],
    ['CRLF line ends', 'a: 1\r\nb:\r\n  - x\r\n  - y\r\n'],
    ['a very long string', `a: ${'x'.repeat(200_000)}\nb: "${'y'.repeat(200_000)}"\n`],
    ['a top-level scalar', 'just a scalar\n'],
    ['a top-level list', '- a\n- b: c\n'],
    ['block scalars', 'a: |\n  line1\n  line2\nb: >\n  folded\n  text\n\n  para\nc: |-\n  strip\nd: |+\n  keep\n\ne: x\n'],
    ['a multi-line plain scalar', 'a: this is\n  a multi line\n  plain scalar\n'],
    ['quoted scalars and escapes', `a: 'it''s'\nb: "tab\\tnl\\nuni\\u00e9\\x41\\U0001F600 \\0\\a\\b\\e\\f\\v\\ \\/\\N\\_\\L\\P"\n`],
    ['flow collections', 'a: {b: [{c: d}, 1, 2], e: "f", g: h i}\nb: [a, b, ]\nc: {x: 1, }\nd: [b: 1, c: 2]\n'],
    ['JSON', '{"a": 1, "b": [true, null, "x"], "c":2}\n'],
    ['comments', 'a: 1 # c\n# full\nb: "x # not"\nc: x#y\n'],
    ['characters that only look like indicators', 'a: what? yes\nb: Smith & Sons\nc: AT&T\nd: 5 * 3\ne: Hello!\nf: 50%\ng: a:b\nh: http://x.y/z\n'],
    ['keys that are not strings', '1: one\ntrue: t\n1.5: f\n0x10: hex\n"null": n\n"": e\n'],
    ['a space before a colon', 'a : 1\n'],
    ['interpolations', 'a: ${env:X}\nb: "${file:y}"\n'],
    ['unicode', 'naïve: café ✓\n"ключ": значение\nnbsp: a\u00a0b\nnel: x\u0085y\n'],
  ])('reads %s as yaml does', (_name, text) => {
    expect(parseFast(text)).toMatchObject({ ok: true });
    expectAgreement(text);
  });

  it.each([
    // Differ in meaning.
    ['an anchor and alias', 'a: &x {b: 1}\nc: *x\n', 'an anchor or alias'],
    ['a merge of an alias', 'base: &b {a: 1}\nx:\n  <<: *b\n', 'an anchor or alias'],
    ['a merge key', 'x:\n  <<: {b: 2}\n  c: 3\n', 'a merge key'],
    ['a non-specific tag on nothing', 'a: !\n', 'a tag'],
    ['a null key', '~: x\n', 'a null key'],
    ['an empty key', ': x\n', 'a null key'],
    ['a null key in a flow mapping', 'a: {null: 1}\n', 'a null key'],
    ['an explicit key', '? [a, b]\n: 5\n', 'an explicit key'],
    ['a flow sequence as a key', '[a]: 1\n', 'a collection as a key'],
    ['a flow mapping as a key', '{a: 1}: 2\n', 'a collection as a key'],
    ['a collection as a key without a value', 'a: {b: 1, [c]}\n', 'a collection as a key'],
    // The check cannot tell a flow sequence from a flow mapping: this one is fine, but costs the yaml path.
    ['a flow sequence of mappings', 'a: [{b: 1}, {c: 2}]\n', 'a collection as a key'],
    ['a YAML 1.1 directive', '%YAML 1.1\n---\na: yes\n', 'a directive'],
    ['a block scalar indentation indicator', 'a: |2\n    x\n    \n', 'a block scalar indentation indicator'],
    ['an empty entry in nested sequences', 'a:\n  - -\n  - x\n', 'an empty sequence entry'],
    // yaml refuses, js-yaml does not.
    ['an empty entry then a dedented one', 'a:\n  -\n- x\n', 'an empty sequence entry'],
    ['a quoted scalar continued too far left', 'a:\n  b: "y\n  z"\n', 'a quoted scalar or flow collection over several lines'],
    ['a flow mapping continued too far left', 'a:\n  b: { c: 1,\n  d: 2 }\n', 'a quoted scalar or flow collection over several lines'],
    ['a comment against a bracket', 'a: {b: 1}#c\n', 'a comment without a space before it'],
    ['a comment against a document marker', '---# c\na: 1\n', 'a comment without a space before it'],
    ['a lone CR', 'a: x\rb: y\n', 'a CR without LF'],
    ['a byte order mark inside', '# c\n\uFEFF# d\na: 1\n', 'a byte order mark after the start'],
    ['a tab in a block scalar blank line', 'a: >\n   lead\n  \t\n', 'a tab in indentation'],
    ['a key longer than yaml allows', `${'k'.repeat(1100)}: 1\n`, 'a key longer than 1024 characters'],
  ])('defers %s', (_name, text, reason) => {
    expect(parseFast(text)).toEqual({ ok: false, reason });
  });

  it.each([
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['an explicit tag', 'a: !!str 1\nb: !custom x\n'],
    ['two documents', 'a: 1\n---\nb: 2\n'],
    ['a syntax error', 'a: [1, 2\n'],
    ['an unquoted interpolation in braces', 'a: { b: ${env:X} }\n'],
    ['tabs as indentation', 'a:\n\tb: 1\n'],
    ['nesting beyond 100 levels', `a: ${'['.repeat(150)}${']'.repeat(150)}\n`],
  ])('defers what js-yaml refuses: %s', (_name, text) => {
    expect(parseFast(text).ok).toBe(false);
  });

  it('agrees with yaml on every variation of the fixtures it takes', () => {
    // Random small edits of real manifests, the same ones on every run:
    // whatever the fast path still takes must mean what yaml reads.
    let state = 42;
    const random = (below: number): number => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return (state >>> 8) % below;
    };
    const edits = [' ', '\n', '"', "'", ':', '-', '#', '[', ']', '{', '}', ',', '|', '>', '\t', '?', '&', '*', '!', '~', '\r', '\n  ', '- '];
    let taken = 0;
    for (let round = 0; round < 400; round++) {
      let text = fixtures[random(fixtures.length)]?.[1] ?? '';
      for (let edit = 0; edit < 1 + random(3); edit++) {
        const at = random(text.length);
        const insert = random(3) === 0 ? '' : (edits[random(edits.length)] ?? '');
        text = text.slice(0, at) + insert + text.slice(at + random(3));
      }
      if (parseFast(text).ok) taken++;
      expectAgreement(text);
    }
    // The check means something only if many variations took the fast path.
    expect(taken).toBeGreaterThan(100);
  });
});
