/**
 * Paxos allows about one token request per second per address and locks the
 * address out for minutes beyond it, so two runs in a row against one target
 * (`plan`, then `apply`, as CI does) must not both ask within that second.
 * The time of the last request is kept per target on this machine — the
 * time only, never the token — and a run waits out the rest of the second.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { rateClasses } from '../domain/rate-classes.js';
import { sleep, type Clock } from './clock.js';

export interface TokenFetchMemory {
  /** Resolves once a token request to this target would keep to its per-second limit. */
  waitTurn(): Promise<void>;
  /** Notes that a token request is being sent now. */
  record(): void;
}

/** The folder of per-target times: `PAXOS_ONBOARD_CACHE_DIR`, else the XDG cache folder. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.PAXOS_ONBOARD_CACHE_DIR?.trim();
  if (configured) return configured;
  const xdg = env.XDG_CACHE_HOME?.trim();
  return join(xdg ? xdg : join(homedir(), '.cache'), 'paxos-onboard');
}

/** A gap a little over the endpoint's one second, for the clocks of the two runs and of Paxos. */
const gapMs = Math.ceil(1000 / rateClasses.token.perSecond) + 100;

export function createTokenFetchMemory(folder: string, tokenUrl: string, clientId: string, clock: Clock): TokenFetchMemory {
  const file = join(folder, `${createHash('sha256').update(`${tokenUrl}\n${clientId}`).digest('hex').slice(0, 24)}.time`);
  // Wall-clock times: the other run has its own monotonic clock.
  const readLast = (): number | undefined => {
    try {
      const value = Number(readFileSync(file, 'utf8').trim());
      return Number.isFinite(value) ? value : undefined;
    } catch {
      return undefined;
    }
  };
  return {
    async waitTurn() {
      const last = readLast();
      if (last === undefined) return;
      const waitMs = last + gapMs - Date.now();
      // A time in the future (a clock set back) is not waited for beyond one gap.
      if (waitMs > 0) await sleep(clock, Math.min(waitMs, gapMs));
    },
    record() {
      try {
        mkdirSync(folder, { recursive: true, mode: 0o700 });
        writeFileSync(file, String(Date.now()), { mode: 0o600 });
      } catch {
        // Only a courtesy to the next run: a read-only home must not fail this one.
      }
    },
  };
}
