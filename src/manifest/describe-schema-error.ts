import type { ErrorObject } from 'ajv';
import { guideOnlyFields, guideOnlyValues } from '../domain/paxos-rules.js';
import type { Issue } from '../errors.js';
import { describePattern } from './describe-pattern.js';
import { listSome, suggestClosest } from './did-you-mean.js';
import { locateKey, locateValue, splitPointer, type PathSegment, type Position } from './locate-node.js';
import type { SchemaLookup } from './schema-lookup.js';
import type { SourceFile } from './source-file.js';

/** `persons.alice.members[0].roles`: how a user names a place in the manifest. */
export function formatFieldPath(segments: readonly PathSegment[]): string {
  if (segments.length === 0) return 'the manifest';
  let text = '';
  for (const segment of segments) {
    if (typeof segment === 'number' || /^\d+$/.test(segment)) text += `[${segment}]`;
    else text += text ? `.${segment}` : segment;
  }
  return text;
}

const formatDescriptions: Record<string, string> = {
  date: 'a real date written YYYY-MM-DD',
  'date-time': 'an RFC 3339 date-time such as 2024-01-01T00:00:00Z',
  email: 'an email address',
  uri: 'an absolute URI',
  uuid: 'a UUID',
};

/**
 * The issue for one ajv error that no `x-paxos-rule` explains. Values are
 * echoed only for enum mismatches and never when they came from
 * interpolation: other values may be PII (a cip_id, a date of birth).
 */
export function describeSchemaError(error: ErrorObject, file: SourceFile, lookup: SchemaLookup): Issue {
  const segments = splitPointer(error.instancePath);
  const where = formatFieldPath(segments);
  const field = lastName(segments);
  const sensitive = file.sensitive.has(error.instancePath);
  const at = (position: Position): Pick<Issue, 'file' | 'line' | 'col'> => ({ file: file.path, ...position });
  const params = error.params as Record<string, unknown>;

  switch (error.keyword) {
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const name = String(params.additionalProperty ?? params.unevaluatedProperty);
      const allowed = lookup.collectPropertyNames(error.parentSchema);
      const guideOnly = guideOnlyFields[`${String(segments[0])}.${name}`];
      return {
        code: 'schema.unknown_field',
        message: `unknown field \`${name}\` in ${where}${guideOnly === undefined ? suggestClosest(name, allowed) : ''}`,
        ...(guideOnly !== undefined ? { hint: guideOnly } : allowed.size > 0 ? { hint: `allowed here: ${listSome([...allowed].sort(), 8)}` } : {}),
        ...at(locateKey(file, [...segments, name])),
      };
    }
    case 'required':
    case 'dependentRequired':
      return {
        code: 'schema.required',
        message: `${where} is missing required field \`${String(params.missingProperty)}\``,
        ...at(locateKey(file, segments)),
      };
    case 'enum':
    case 'const': {
      const allowed = (error.keyword === 'enum' ? params.allowedValues : [params.allowedValue]) as unknown[];
      const value = typeof error.data === 'string' && !sensitive ? error.data : undefined;
      const message =
        value === undefined
          ? `${where} is not one of the allowed values${sensitive ? ' (its interpolated value is not shown)' : ''}; expected ${listSome(allowed)}`
          : `\`${value}\` is not a valid ${field}${suggestClosest(value, allowed.map(String))}; expected ${listSome(allowed)}`;
      const replacement = value === undefined ? undefined : guideOnlyValues[value];
      return {
        code: 'schema.enum',
        message,
        ...(replacement !== undefined && allowed.includes(replacement.write) ? { hint: `write ${replacement.write}: ${replacement.why}` } : {}),
        ...at(locateValue(file, segments)),
      };
    }
    case 'type':
      return describeTypeError(error, file, segments, at(locateValue(file, segments)));
    case 'pattern': {
      // Said in words with an example: a regular expression is no answer to "what do I write?".
      const form = describePattern(String(params.pattern), error.parentSchema as { description?: unknown; examples?: unknown } | undefined);
      if (error.propertyName !== undefined) {
        return {
          code: 'schema.pattern',
          message: `key \`${error.propertyName}\` in ${where} is not a valid key: keys are ${form.accepts}`,
          ...(form.example === undefined ? {} : { hint: `write e.g. ${form.example}` }),
          ...at(locateKey(file, [...segments, error.propertyName])),
        };
      }
      return {
        code: 'schema.pattern',
        message: `${where} does not have the expected form: it takes ${form.accepts}`,
        ...(form.example === undefined ? {} : { hint: `write e.g. ${field}: ${form.example}` }),
        ...at(locateValue(file, segments)),
      };
    }
    case 'format': {
      const format = String(params.format);
      return {
        code: 'schema.format',
        message: `${where} must be ${formatDescriptions[format] ?? `in ${format} format`}`,
        ...at(locateValue(file, segments)),
      };
    }
    default:
      return {
        code: 'schema.constraint',
        message: `${where} ${error.message ?? 'is not valid'}`,
        ...at(locateValue(file, segments)),
      };
  }
}

function describeTypeError(
  error: ErrorObject,
  file: SourceFile,
  segments: readonly string[],
  at: Pick<Issue, 'file' | 'line' | 'col'>,
): Issue {
  const expected = String((error.params as { type: unknown }).type).split(',');
  const where = formatFieldPath(segments);
  const actual = describeJsonType(error.data);
  if (typeof error.data === 'number' && expected.includes('string')) {
    const field = lastName(segments);
    if (looksDecimal(error)) {
      const written = sourceTextAt(file, at) ?? String(error.data);
      return {
        code: 'schema.decimal_string',
        message: `${where} must be a decimal string, not a YAML number (numbers lose precision)`,
        hint: `quote it: ${field}: "${written}"`,
        ...at,
      };
    }
    // The number may be PII (a cip_id written unquoted): do not echo it.
    return {
      code: 'schema.type',
      message: `${where} must be a string, not a number`,
      hint: `quote it: ${field}: "..."`,
      ...at,
    };
  }
  if (segments.length === 0) {
    return { code: 'schema.type', message: `the manifest must be a mapping of top-level keys, not ${actual}`, ...at };
  }
  return { code: 'schema.type', message: `${where} must be ${expected.map(withArticle).join(' or ')}, not ${actual}`, ...at };
}

/** A number where the schema wants a string that the number's digits would satisfy. */
function looksDecimal(error: ErrorObject): boolean {
  if (/decimal|amount|price/i.test(error.schemaPath)) return true;
  const pattern = (error.parentSchema as { pattern?: unknown } | undefined)?.pattern;
  if (typeof pattern !== 'string') return false;
  try {
    // A decimal pattern takes the number's digits and refuses words; a name's pattern (first_name) takes both: that field wants "a string".
    const regex = new RegExp(pattern, 'u');
    return regex.test(String(error.data)) && !regex.test('abc');
  } catch {
    return false;
  }
}

function sourceTextAt(file: SourceFile, position: { line?: number; col?: number }): string | undefined {
  if (position.line === undefined || position.col === undefined) return undefined;
  const start = (file.syntax().lineCounter.lineStarts[position.line - 1] ?? 0) + position.col - 1;
  return /^[-+0-9.eE_xXoO]+/.exec(file.text.slice(start, start + 64))?.[0];
}

function lastName(segments: readonly string[]): string {
  for (let index = segments.length - 1; index >= 0; index--) {
    const segment = segments[index] ?? '';
    if (!/^\d+$/.test(segment)) return segment;
  }
  return 'value';
}

function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'a boolean';
  return `a ${typeof value}`;
}

function withArticle(type: string): string {
  const names: Record<string, string> = { object: 'a mapping', array: 'a list', integer: 'an integer', null: 'null' };
  return names[type] ?? `a ${type}`;
}
