/**
 * Issue 10, done-when 2: behind a proxy that refuses repeated single-value
 * parameters, drops Retry-After, strips undeclared cursors and hides every
 * transfer younger than 10 s from the transfer list, the quick-start fixture
 * converges; and applied twice more inside those 10 s — once with the same
 * `.paxos-onboard/` folder (the journal is there), once from an empty folder
 * (a fresh CI runner) — each deposit is credited exactly once. The transfer
 * list cannot tell a re-run that the deposits exist, so only what the tool
 * keeps elsewhere (its journal, its ledger in Paxos) can.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { plan } from '../src/index.js';
import type { ApplyResult } from '../src/apply/apply-types.js';
import { applyForTest } from './support/apply-run.js';
import { startHostileProxy, type HostileProxy } from './support/hostile-proxy.js';
import { startTestEmulator, type TestEmulator } from './support/test-emulator.js';

const quickStart = resolve('fixtures', 'institution-brokerage.yaml');
const hideMs = 10_000;

interface FixtureDeposit {
  profile: string;
  asset: string;
  amount: string;
}
const fixtureDeposits = Object.values((parse(readFileSync(quickStart, 'utf8')) as { deposits: Record<string, FixtureDeposit> }).deposits);

function failures(run: ApplyResult): string {
  return Object.entries(run.outputs.resources)
    .filter(([, output]) => output.error)
    .map(([address, output]) => `${address}: ${output.outcome}: ${output.error?.message ?? ''}`)
    .join('\n');
}

describe('deposits behind a hostile proxy that hides young transfers', () => {
  let emulator: TestEmulator;
  let proxy: HostileProxy;
  const folders: string[] = [];
  const folder = async (): Promise<string> => {
    const made = await mkdtemp(join(tmpdir(), 'paxos-onboard-hostile-'));
    folders.push(made);
    return made;
  };
  beforeEach(async () => {
    emulator = await startTestEmulator({ rateLimits: 'off', approve: 'manual' });
    proxy = await startHostileProxy(emulator.url, { hideTransfersYoungerThanMs: hideMs });
  });
  afterEach(async () => {
    await proxy.close();
    await emulator.close();
    for (const made of folders.splice(0)) await rm(made, { recursive: true, force: true });
  });

  it('converges, and two more applies inside the hiding window credit each deposit exactly once', async () => {
    const same = await folder();
    const first = await applyForTest([quickStart], proxy.url, same);
    expect(first.summary.failed, failures(first)).toBe(false);
    const firstDone = Date.now();

    const again = await applyForTest([quickStart], proxy.url, same);
    expect(again.summary.failed, failures(again)).toBe(false);
    const fresh = await applyForTest([quickStart], proxy.url, await folder());
    expect(fresh.summary.failed, failures(fresh)).toBe(false);
    // Both re-runs ended while the proxy still hid the deposits made by the first.
    expect(Date.now() - firstDone).toBeLessThan(hideMs);
    expect(again.summary.writes).toBe(0);
    expect(fresh.summary.writes).toBe(0);

    // Counted on the emulator itself, past the proxy: every deposit transfer to the profile.
    const account = Object.entries(first.outputs.resources).find(([address]) => address === `${fixtureDeposits[0]?.profile ?? ''}`)?.[1];
    const profileId = account?.ids.profile_id;
    expect(profileId).toBeDefined();
    const credited = Object.values(emulator.state.transfers)
      .filter((transfer) => transfer.profile_id === profileId && transfer.direction === 'CREDIT' && transfer.type.endsWith('DEPOSIT'))
      .map((transfer) => `${transfer.asset} ${transfer.amount}`)
      .sort();
    const wanted = fixtureDeposits.map((deposit) => `${deposit.asset} ${deposit.amount}`).sort();
    expect(credited).toEqual(wanted);

    // And the plan agrees, even while the listing still hides them.
    const after = await plan([quickStart], { env: {}, cwd: await folder(), target: proxy.url });
    expect(after.summary.hasChanges).toBe(false);
  }, 60_000);
});
