import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventRoutes } from '../src/emulator/routes/events.js';
import { startEmulator } from '../src/emulator/start-emulator.js';
import { createProfileRoutes } from './support/platform-routes.js';
import { startTestEmulator } from './support/test-emulator.js';

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'emulator-data-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

const routes = () => [...createProfileRoutes(), ...eventRoutes];

describe('--data persistence', () => {
  it('keeps the state across a restart', async () => {
    const dataFile = join(directory, 'state.json');
    const first = await startTestEmulator({ routes: routes(), dataFile });
    const created = await first.request('POST', '/v2/profiles', { nickname: 'kept' });
    await first.close();
    const stored = JSON.parse(await readFile(dataFile, 'utf8')) as { version: number; events: unknown[] };
    expect(stored.version).toBe(1);
    expect(stored.events).toHaveLength(1);

    const second = await startTestEmulator({ routes: routes(), dataFile });
    const fetched = await second.request('GET', `/v2/profiles/${created.body.id as string}`);
    expect(fetched.body).toEqual(created.body);
    expect((await second.request('POST', '/v2/profiles', { nickname: 'kept' })).status).toBe(409);
    await second.close();
  });

  it('writes committed writes without waiting for close', async () => {
    const dataFile = join(directory, 'state.json');
    const emulator = await startTestEmulator({ routes: routes(), dataFile });
    await emulator.request('POST', '/v2/profiles', { nickname: 'early' });
    let stored = '';
    while (!stored.includes('early')) {
      stored = await readFile(dataFile, 'utf8').catch(() => '');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await emulator.close();
  });

  it('refuses a data file of another state version, and one that is not JSON', async () => {
    const other = join(directory, 'old.json');
    await writeFile(other, JSON.stringify({ version: 99, events: [] }));
    await expect(startEmulator({ dataFile: other })).rejects.toMatchObject({ code: 'emulator.data', message: expect.stringMatching(/version 99.*version 1/) });
    const broken = join(directory, 'broken.json');
    await writeFile(broken, '{"version": 1,');
    await expect(startEmulator({ dataFile: broken })).rejects.toMatchObject({ code: 'emulator.data', message: expect.stringContaining('is not JSON') });
  });

  it('starts empty when the data file does not exist yet', async () => {
    const emulator = await startEmulator({ dataFile: join(directory, 'new.json'), routes: routes() });
    expect(emulator.state.events).toEqual([]);
    await emulator.close();
  });
});
