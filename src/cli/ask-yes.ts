/**
 * Terraform's confirmation: a question on the terminal that only `yes`
 * answers. Ctrl-C at the question is a no. Used by every command that writes
 * after showing a plan.
 */
import { createInterface } from 'node:readline/promises';
import type { CliIo } from './io.js';

export async function askYes(io: CliIo, question: string): Promise<boolean> {
  const readline = createInterface({ input: io.stdin as NonNullable<CliIo['stdin']>, output: io.stderr });
  const asked = new AbortController();
  void io.interrupted.then(() => asked.abort());
  try {
    const answer = await readline.question(`${question} Only 'yes' goes on: `, { signal: asked.signal });
    return answer.trim() === 'yes';
  } catch (error) {
    if ((error as Error).name === 'AbortError') return false;
    throw error;
  } finally {
    readline.close();
  }
}

/** Someone is at the keyboard (even with output redirected, as Terraform asks) and CI is not set. */
export function canAsk(io: CliIo): boolean {
  return io.stdin?.isTTY === true && !io.env.CI;
}
