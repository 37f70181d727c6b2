import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStateWriter } from './state-file.js';
import { createEmptyState } from './state.js';

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'state-file-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('createStateWriter', () => {
  it('coalesces many changes into the latest state and leaves no temp files', async () => {
    const state = createEmptyState();
    const file = join(directory, 'state.json');
    const writer = createStateWriter(file, () => state);
    for (let index = 0; index < 100; index++) {
      state.events.push({ id: `e${index}`, type: 'x', created_at: '2024-01-01T00:00:00.000Z', object: {} });
      writer.markDirty();
    }
    await writer.flush();
    expect((JSON.parse(await readFile(file, 'utf8')) as { events: unknown[] }).events).toHaveLength(100);
    expect(await readdir(directory)).toEqual(['state.json']);
  });

  it('reports a write failure on flush, naming the file', async () => {
    const file = join(directory, 'missing-dir', 'state.json');
    const writer = createStateWriter(file, () => createEmptyState());
    writer.markDirty();
    await expect(writer.flush()).rejects.toMatchObject({ code: 'emulator.data', message: expect.stringContaining(file) });
  });
});
