import { distance } from 'fastest-levenshtein';

/**
 * The candidate closest to `input`, if it is close enough to be the likely
 * intent (a typo, not a different word). Only called on the error path.
 */
export function findClosest(input: string, candidates: Iterable<string>): string | undefined {
  const needle = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(needle, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.max(2, Math.floor(Math.max(needle.length, best.length) / 3));
  return bestDistance <= limit ? best : undefined;
}

/** ` (did you mean \`x\`?)` or nothing. */
export function suggestClosest(input: string, candidates: Iterable<string>): string {
  const closest = findClosest(input, candidates);
  return closest === undefined ? '' : ` (did you mean \`${closest}\`?)`;
}

/** `a`, `b`, `c` and 12 more: enough to orient the reader without a wall of text. */
export function listSome(values: readonly unknown[], max = 6): string {
  const shown = values.slice(0, max).map((value) => `\`${String(value)}\``);
  const rest = values.length - shown.length;
  return rest > 0 ? `${shown.join(', ')} and ${rest} more` : shown.join(', ');
}
