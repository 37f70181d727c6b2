/** Issue 13: help that reads well — numbers typed as numbers, no spurious defaults, --version only at the top. */
import { describe, expect, it } from 'vitest';
import { runCliForTest } from './support/run-cli.js';

const help = async (argv: string[]): Promise<string> => (await runCliForTest([...argv, '--help'])).stdout;

describe('--help', () => {
  it('lists --version at the top only', async () => {
    expect(await help([])).toContain('--version');
    for (const command of ['validate', 'plan', 'apply', 'graph', 'emulator']) expect(await help([command])).not.toContain('--version');
  });

  it('shows required positionals without a [default: []]', async () => {
    for (const command of ['validate', 'plan', 'apply', 'graph']) {
      const text = await help([command]);
      expect(text).toMatch(/\[array\] \[required\]/);
      expect(text).not.toContain('[default: []]');
    }
  });

  it('types number flags as numbers', async () => {
    expect(await help(['apply'])).toMatch(/--concurrency[^[]*\[number\]/);
    const emulator = await help(['emulator']);
    expect(emulator).toMatch(/--port[^[]*\[number\] \[default: 4010\]/);
    expect(emulator).toMatch(/--latency[^[]*\[number\]/);
  });

  it('names the file of ids a run writes --outputs, and plan’s saved plan is not confused with it', async () => {
    expect(await help(['apply'])).toMatch(/--outputs\s+write the Paxos ids/);
    const plan = await help(['plan']);
    expect(plan).toMatch(/--save, --out\s+also save the plan/);
    expect(plan).not.toMatch(/^ +--outputs/m);
  });
});
