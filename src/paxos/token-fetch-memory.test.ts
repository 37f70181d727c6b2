import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from './clock.js';
import { createTokenFetchMemory, defaultCacheDir } from './token-fetch-memory.js';

describe('the time of the last token request per target', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'paxos-onboard-token-times-'));
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('makes a second run against the same target wait out the rest of the second, and keeps the time only', async () => {
    const plan = createTokenFetchMemory(folder, 'https://oauth.example/oauth2/token', 'key-1', systemClock);
    await plan.waitTurn();
    plan.record();

    const apply = createTokenFetchMemory(folder, 'https://oauth.example/oauth2/token', 'key-1', systemClock);
    const started = Date.now();
    await apply.waitTurn();
    // One request per second is the endpoint's limit: the second asks no sooner.
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);

    const [file] = await readdir(folder);
    const text = await readFile(join(folder, file ?? ''), 'utf8');
    expect(text.trim()).toMatch(/^\d+$/);
    expect((await stat(join(folder, file ?? ''))).mode & 0o777).toBe(0o600);
  });

  it('does not hold up a run against another target or another key', async () => {
    createTokenFetchMemory(folder, 'https://oauth.example/oauth2/token', 'key-1', systemClock).record();
    const started = Date.now();
    await createTokenFetchMemory(folder, 'https://oauth.example/oauth2/token', 'key-2', systemClock).waitTurn();
    await createTokenFetchMemory(folder, 'https://other.example/oauth2/token', 'key-1', systemClock).waitTurn();
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('lives under PAXOS_ONBOARD_CACHE_DIR, else the XDG cache folder', () => {
    expect(defaultCacheDir({ PAXOS_ONBOARD_CACHE_DIR: '/x/cache' })).toBe('/x/cache');
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/y' })).toBe(join('/y', 'paxos-onboard'));
  });
});
