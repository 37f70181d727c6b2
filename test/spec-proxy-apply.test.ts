/**
 * Issue 10, done-when 1: every fixture (each alone, then all together) is
 * applied, applied again, planned and planned `--deep` through a proxy that
 * checks each request and response against the Paxos spec, and not one
 * exchange departs from it. A departure here is a call the real Paxos may
 * refuse or answer differently than our emulator does.
 */
import { readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { plan } from '../src/index.js';
import type { ApplyResult } from '../src/apply/apply-types.js';
import { applyForTest } from './support/apply-run.js';
import { formatViolations, startSpecProxy, type SpecProxy } from './support/spec-proxy.js';
import { startTestEmulator, type TestEmulator } from './support/test-emulator.js';

// generated.yaml (200 persons) passes too, but takes half a minute through the proxy; its requests are of
// the kinds the others send, and test/manifest-generators.test.ts applies it.
const fixtures = readdirSync('fixtures')
  .filter((name) => /\.ya?ml$/.test(name) && name !== 'generated.yaml')
  .sort()
  .map((name) => resolve('fixtures', name));
const cases: Array<[string, string[]]> = [...fixtures.map((path): [string, string[]] => [path.split('/').pop() ?? path, [path]]), ['all fixtures together', fixtures]];

describe('through the spec-validating proxy', () => {
  let emulator: TestEmulator;
  let proxy: SpecProxy;
  let cwd: string;
  beforeEach(async () => {
    emulator = await startTestEmulator({ rateLimits: 'off', approve: 'manual' });
    proxy = await startSpecProxy(emulator.url);
    cwd = await mkdtemp(join(tmpdir(), 'paxos-onboard-spec-proxy-'));
  });
  afterEach(async () => {
    await proxy.close();
    await emulator.close();
    await rm(cwd, { recursive: true, force: true });
  });

  it.each(cases)('%s: apply, apply again, plan and plan --deep send and get only what the spec declares', async (_name, inputs) => {
    // Every failure message carries the violations so far: they usually say why a run failed.
    const why = (run?: ApplyResult): string => {
      const failed = Object.entries(run?.outputs.resources ?? {})
        .filter(([, output]) => output.error && output.outcome === 'failed')
        .map(([address, output]) => `  - ${address}: ${output.error?.message ?? ''}`);
      const violations = proxy.violations();
      return `${failed.length > 0 ? `failed:\n${failed.join('\n')}\n` : ''}${violations.length} spec violation(s):\n${formatViolations(violations)}`;
    };
    const first = await applyForTest(inputs, proxy.url, cwd);
    expect(first.summary.failed, why(first)).toBe(false);
    const second = await applyForTest(inputs, proxy.url, cwd);
    expect(second.summary.writes, why(second)).toBe(0);
    const shallow = await plan(inputs, { env: {}, cwd, target: proxy.url });
    expect(shallow.summary.hasChanges, why()).toBe(false);
    const deep = await plan(inputs, { env: {}, cwd, target: proxy.url, deep: true });
    expect(deep.summary.hasChanges, why()).toBe(false);

    // "0 violations" must not mean "nothing went through the proxy".
    expect(proxy.checked()).toBeGreaterThan(10);
    expect(proxy.violations(), why()).toEqual([]);
  }, 120_000);
});
