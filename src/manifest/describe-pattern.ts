/**
 * What a `pattern` in the manifest schema accepts, in words, with an example:
 * a user who wrote `first_name: Zoë` needs "letters, digits, spaces and
 * / ? : ( ) . , & ' + -", not the regular expression. Patterns the schema
 * uses are known here; an unknown one falls back to the field's description
 * (what the schema says the field is) and its examples.
 */

export interface PatternDescription {
  /** Completes "must be …" / "accepts …". */
  accepts: string;
  /** A value that matches, as it would be written in YAML. */
  example?: string;
}

const keyChars = '[A-Za-z0-9][A-Za-z0-9_-]*';

const known: ReadonlyArray<{ pattern: string; describe: PatternDescription }> = [
  { pattern: '^[0-9]+(ms|s|m|h)$', describe: { accepts: 'a whole number and a unit (ms, s, m or h)', example: '10m' } },
  { pattern: `^${keyChars}$`, describe: { accepts: 'letters, digits, `_` and `-`, starting with a letter or digit', example: 'alice-smith' } },
  { pattern: '\\$\\{(index|each)', describe: { accepts: 'a key containing ${index} or ${each}, so each generated entry gets its own', example: 'user-${index}' } },
  {
    pattern: "^[0-9A-Za-z /?:().,&'+-]+$",
    describe: { accepts: "letters A-Z, digits, spaces and / ? : ( ) . , & ' + - only, as Paxos does (no accents or other scripts: transliterate)", example: "O'Brien" },
  },
  { pattern: '^[A-Z]{3}$', describe: { accepts: 'an ISO 3166-1 alpha-3 country code, in capitals', example: 'USA' } },
  { pattern: `^(person|institution)\\.${keyChars}$`, describe: { accepts: 'the address of an identity: person.<key> or institution.<key>', example: 'person.alice' } },
  { pattern: `^(account|profile)\\.${keyChars}$`, describe: { accepts: 'the address of a profile: account.<key> (an account with profile: true) or profile.<key>', example: 'account.acme-brokerage' } },
  { pattern: `^(account)\\.${keyChars}$`, describe: { accepts: 'the address of an account: account.<key>', example: 'account.acme-brokerage' } },
  { pattern: '^(0|[1-9][0-9]*)(\\.[0-9]+)?$', describe: { accepts: 'a decimal number as a quoted string, with no sign, exponent or leading zero', example: '"10000"' } },
];

/**
 * Describes `pattern` for a user. `schema` is the schema node holding it
 * (its `description` and `examples` are used when the pattern is not known);
 * the result never contains the regular expression itself unless nothing
 * else is known.
 */
export function describePattern(pattern: string, schema?: { description?: unknown; examples?: unknown }): PatternDescription {
  const match = known.find((entry) => entry.pattern === pattern);
  if (match) return match.describe;
  const examples = Array.isArray(schema?.examples) ? schema.examples.filter((value) => typeof value === 'string') : [];
  const description = typeof schema?.description === 'string' ? firstSentence(schema.description) : undefined;
  const example = examples[0] ?? exampleFromDescription(schema?.description);
  const accepts = description ?? `text of the form \`${pattern}\``;
  return example === undefined ? { accepts } : { accepts, example };
}

function firstSentence(text: string): string {
  const sentence = /^(.+?\.)(\s|$)/s.exec(text)?.[1] ?? text;
  return sentence.replace(/\s+/g, ' ').replace(/\.$/, '');
}

/** `e.g. 30s, 10m` in a description: the first value after it. */
function exampleFromDescription(description: unknown): string | undefined {
  if (typeof description !== 'string') return undefined;
  return /e\.g\.\s+`?([^\s,;`)]+)/.exec(description)?.[1];
}
