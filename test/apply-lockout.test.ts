/**
 * Issue 10: Paxos counts its rate limits per source address and locks the
 * whole address out, with no Retry-After. Another client on the same machine
 * that trips the limit during an apply locks the apply out too: the apply
 * waits the lockout out, says so, and converges; it does not fail for it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { applyForTest, planAfter } from './support/apply-run.js';
import { startTestEmulator, type TestEmulator } from './support/test-emulator.js';

const fixture = resolve('fixtures', 'person-brokerage.yaml');
const lockoutMs = 1500;

describe('apply while another client trips the rate limit of the address', () => {
  let emulator: TestEmulator | undefined;
  let cwd: string | undefined;
  afterEach(async () => {
    await emulator?.close();
    if (cwd) await rm(cwd, { recursive: true, force: true });
  });

  it('waits the lockout out, says when it resumes, and converges', { timeout: 60_000 }, async () => {
    emulator = await startTestEmulator({ rateLimits: 'paxos', rateWindowMs: 1000, lockoutMs, approve: 'manual', latencyMs: 20 });
    cwd = await mkdtemp(join(tmpdir(), 'paxos-onboard-lockout-'));
    const notices: string[] = [];
    const url = emulator.url;

    const run = applyForTest([fixture], url, cwd, { pacing: 'paxos', rateLimitLockoutMs: lockoutMs + 100, onNotice: (message) => notices.push(message) });
    // Another client of this address asks for tokens far faster than the endpoint's one per second, while the apply runs.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const flood = await Promise.all(
      Array.from({ length: 5 }, () =>
        request(`${url}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials&client_id=other&client_secret=other' }).then(async (answer) => {
          await answer.body.dump();
          return answer.statusCode;
        }),
      ),
    );
    expect(flood).toContain(429);

    const result = await run;
    const failed = Object.entries(result.outputs.resources).filter(([, output]) => output.error !== undefined);
    expect(failed, JSON.stringify(failed)).toEqual([]);
    expect(result.summary.failed).toBe(false);
    expect(result.stats.rateLimited).toBeGreaterThan(0);
    expect(notices.some((notice) => /paused until \d\d:\d\d:\d\d UTC/.test(notice) && notice.includes('no Retry-After')), notices.join('\n')).toBe(true);
    // Converged once the lockout was over: nothing left to do.
    await new Promise((resolve) => setTimeout(resolve, lockoutMs));
    const plan = await planAfter([fixture], url, cwd);
    expect(plan.steps.filter((step) => step.action !== 'noop').map((step) => `${step.address}: ${step.action}`)).toEqual([]);
  });
});
