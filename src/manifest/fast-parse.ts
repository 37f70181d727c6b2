import { load, Schema as LoaderSchema, Type, type State } from 'js-yaml';
import { isScalar, Schema, type ScalarTag } from 'yaml';

/**
 * What the fast parser made of a file: its data, or why the file must go to
 * the `yaml` package instead (a construct it may read differently, or any
 * error: only `yaml` reports errors, with their positions).
 */
export type FastParse = { ok: true; data: unknown } | { ok: false; reason: string };

/**
 * Parses YAML with js-yaml, about ten times faster than the `yaml` package
 * but without positions, for the common case of a valid manifest. The data
 * must equal what `yaml` gives (source-file.ts), so this takes only YAML
 * whose meaning the two agree on and defers everything else:
 *
 * - Plain scalars resolve by `yaml`'s own YAML 1.2 core schema rules (its
 *   tag tests and resolvers, applied by js-yaml), so `1980-01-01` stays a
 *   string, `0b1` and `1_000` are strings.
 * - The loader knows no explicit tags, so any `!!str`, `!custom` or `%TAG`
 *   throws and defers; anything js-yaml refuses defers too.
 * - A quick look at the text defers constructs where the two parsers differ
 *   or js-yaml is more lenient than `yaml`: see `deferred` below.
 * - A quoted scalar or flow collection that spans lines defers: js-yaml does
 *   not check the indentation of its continuation lines.
 *
 * Each text check may send a file to `yaml` that would have been fine (say a
 * description with ` & ` followed by a word): that costs time, never meaning.
 */
export function parseFast(text: string): FastParse {
  for (const [reason, pattern] of deferred) if (pattern.test(text)) return { ok: false, reason };
  if (hasLongImplicitKey(text)) return { ok: false, reason: 'a key longer than 1024 characters' };
  const opened: number[] = [];
  let spansLines = false;
  try {
    const data = load(text, {
      schema: loaderSchema,
      listener: (event: 'open' | 'close', state: State) => {
        // A node opens on or before the line it starts on (js-yaml reports
        // the open before skipping to its content), so a node that closes
        // on a later line with a quote or bracket may be a multi-line
        // quoted scalar or flow collection.
        if (event === 'open') opened.push(state.line);
        else if (opened.pop() !== state.line && closers.has(state.input.charCodeAt(state.position - 1))) spansLines = true;
      },
    });
    if (spansLines) return { ok: false, reason: 'a quoted scalar or flow collection over several lines' };
    // js-yaml gives undefined for a file with no document; `yaml` gives null.
    return { ok: true, data: data === undefined ? null : data };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error) };
  }
}

/**
 * Text that may hold a construct the fast path does not take. Each pattern
 * errs towards matching: it must match wherever the construct is, and may
 * match elsewhere.
 */
const deferred: ReadonlyArray<readonly [string, RegExp]> = [
  // Aliases share values and `yaml` caps their expansion; only `yaml` counts them (sharesValues).
  ['an anchor or alias', /(?:^|[\s[{,])[&*][^\s[\]{},]/m],
  // `! x` is a string to `yaml` even when empty; js-yaml makes an empty one null. Other tags throw anyway.
  ['a tag', /(?:^|[\s[{,])!/m],
  // `<<` merge keys: `yaml` merges them (merge: true); js-yaml here would keep an ordinary key.
  ['a merge key', /(?:^|[\s[{,])<<[ \t]*:/m],
  // `%YAML 1.1` switches `yaml` to another schema.
  ['a directive', /^%/m],
  // A key that is a collection: `yaml` names it `[ a ]`, js-yaml `a`.
  ['an explicit key', /(?:^|[\s[{,])\?/m],
  ['a collection as a key', /[\]}][ \t]*:|[{,][ \t]*[[{]/],
  // A null key is `''` to `yaml` and `'null'` to js-yaml.
  ['a null key', /(?:^[ \t]*|[[{,][ \t]*|-[ \t]+)(?:(?:~|null|Null|NULL)[ \t]*)?:/m],
  // js-yaml lets a later, less indented `- x` continue the sequence of an empty `-` entry.
  ['an empty sequence entry', /(?:^|[ \t])-[ \t]*(?:#[^\r\n]*)?\r?$/m],
  // `|2`: the two disagree on trailing blank lines.
  ['a block scalar indentation indicator', /[|>][-+]?[0-9]/],
  // js-yaml lets a blank line of a block scalar start with spaces then a tab; `yaml` does not.
  ['a tab in indentation', /^ *\t/m],
  // js-yaml takes `}#c` and `---#c` as comments; `yaml` wants a space first.
  ['a comment without a space before it', /["'\]}]#|^(?:---|\.\.\.)(?![ \t\r\n]|$)/m],
  // A lone CR ends a line for js-yaml, not for `yaml`; a BOM inside the text is a marker to `yaml`.
  ['a CR without LF', /\r(?!\n)/],
  ['a byte order mark after the start', /[^]\uFEFF/],
];

/**
 * `yaml` refuses an implicit key whose `:` is more than 1024 characters after
 * its start; js-yaml does not. One pass: each long line is searched only
 * within itself (a search back from its end ran on through every earlier
 * line when the line had no `:`, which made long lines quadratic).
 */
export function hasLongImplicitKey(text: string): boolean {
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    if (end - start > 1024 && text.slice(start + 1024, end).includes(':')) return true;
    start = end + 1;
  }
  return false;
}

const closers = new Set(['"', "'", ']', '}'].map((char) => char.charCodeAt(0)));

/**
 * The implicit types of `yaml`'s core schema, as parseSyntax uses it (YAML
 * 1.2, numbers not BigInt; merge keys are deferred), in its order. The tags are private
 * so that no explicit tag in a file finds them.
 */
const loaderSchema = new LoaderSchema({
  implicit: new Schema({ schema: 'core' }).tags
    .filter((tag): tag is ScalarTag & { test: RegExp } => tag.default === true && tag.test !== undefined)
    .map(
      (tag, index) =>
        new Type(`tag:paxos-onboard,implicit:${index}`, {
          kind: 'scalar',
          resolve: (data: unknown) => typeof data === 'string' && tag.test.test(data),
          construct: (data: string) => {
            const value = tag.resolve(data, () => undefined, { intAsBigInt: false });
            // Some resolvers return a Scalar node (to keep formatting); the data is its value.
            return isScalar(value) ? value.value : value;
          },
        }),
    ),
  explicit: [],
});
