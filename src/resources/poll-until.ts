/**
 * Looks again and again until `look` finds something or `untilMs` (a
 * `Date.now()` time) has passed, a pause of `intervalMs` apart (never past
 * the deadline). Answers what was found, or undefined. The one loop behind
 * "a listing may lag: look until it cannot be lagging any more".
 */
export async function pollUntil<T>(look: () => Promise<T | undefined>, untilMs: number, intervalMs: number): Promise<T | undefined> {
  for (;;) {
    const found = await look();
    const left = untilMs - Date.now();
    if (found !== undefined || left <= 0) return found;
    await new Promise((resolve) => setTimeout(resolve, Math.min(left, intervalMs)));
  }
}
