import { UsageError } from '../errors.js';

/**
 * A flag that takes a whole number. yargs types it as a number, so `--help`
 * says `[number]`, and hands the handler the digits as text, as every other
 * flag's value, for the command's own parser. A value that is not a whole
 * number in range is a usage error quoting what was typed (yargs alone would
 * pass NaN on): `argv` is the command line, where that text still is.
 */
export function wholeNumberOption(
  flag: string,
  options: { describe: string; min: number; max?: number; example: number; default?: number },
  argv: readonly string[] = [],
) {
  const range = options.max === undefined ? `of at least ${options.min}` : `from ${options.min} to ${options.max}`;
  return {
    type: 'number',
    requiresArg: true,
    describe: options.describe,
    ...(options.default === undefined ? {} : { default: options.default }),
    coerce: (value: number | undefined): string | undefined => {
      if (value === undefined) return undefined;
      if (!Number.isInteger(value) || value < options.min || (options.max !== undefined && value > options.max)) {
        const typed = typedValue(argv, flag) ?? String(value);
        throw new UsageError(`--${flag}: '${typed}' is not a whole number ${range}; write e.g. --${flag} ${options.example}`);
      }
      return String(value);
    },
  } as const;
}

/** The last value given to `--flag` on the command line, as typed. */
function typedValue(argv: readonly string[], flag: string): string | undefined {
  let value: string | undefined;
  argv.forEach((word, index) => {
    if (word === `--${flag}`) value = argv[index + 1];
    else if (word.startsWith(`--${flag}=`)) value = word.slice(flag.length + 3);
  });
  return value;
}
