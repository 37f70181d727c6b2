import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ApplyEvent } from '../apply-types.js';
import { createProgress } from './index.js';

const events: ApplyEvent[] = [
  { type: 'run-start', at: '2024-05-01T14:03:00Z', target: 'local emulator at http://127.0.0.1:4010', total: 1, byKind: { person: 1 }, concurrency: 8 },
  { type: 'start', at: '2024-05-01T14:03:01Z', address: 'person.alice', kind: 'person', action: 'create' },
  { type: 'done', at: '2024-05-01T14:03:02Z', address: 'person.alice', kind: 'person', outcome: 'created', ids: { identity_id: 'id-alice' } },
];

async function output(kind: Parameters<typeof createProgress>[0]): Promise<string> {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const progress = createProgress(kind, stream, { color: false, renderer: 'simple' });
  // Passed on unbound, as the CLI hands `progress.onEvent` to the executor.
  const { onEvent } = progress;
  for (const event of events) onEvent(event);
  await progress.close();
  return text;
}

describe('createProgress', () => {
  it('picks the renderer by kind', async () => {
    expect(await output('plain')).toContain('14:03:02 + person.alice  created  identity_id=id-alice\n');
    expect(JSON.parse((await output('json')).split('\n')[0] ?? '')).toEqual(events[0]);
    expect(await output('listr')).toContain('person.alice  created  identity_id=id-alice');
  });

  it.each(['plain', 'json', 'listr'] as const)('%s: does not throw when the stream is gone, and closes', async (kind) => {
    const stream = new PassThrough();
    stream.destroy();
    stream.on('error', () => undefined);
    const progress = createProgress(kind, stream, { color: false, renderer: 'simple' });
    for (const event of events) expect(() => progress.onEvent(event)).not.toThrow();
    await expect(progress.close()).resolves.toBeUndefined();
  });
});
