import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openPaxosClient } from '../src/targets/open-target.js';
import type { PaxosClient } from '../src/paxos/types.js';

let cwd: string | undefined;
let open: PaxosClient[] = [];
afterEach(async () => {
  for (const client of open) await client.close();
  open = [];
  if (cwd) await rm(cwd, { recursive: true, force: true });
  cwd = undefined;
});

async function openLocal(dir: string): Promise<PaxosClient> {
  const client = await openPaxosClient({ env: {}, cwd: dir });
  open.push(client);
  return client;
}

describe('the local target', () => {
  it('starts the embedded emulator, says where, and keeps its state for the next run', async () => {
    cwd = await mkdtemp(join(tmpdir(), 'paxos-onboard-local-'));
    const first = await openLocal(cwd);
    expect(first.target).toMatchObject({ kind: 'local', environment: 'local' });
    expect(first.target.description).toMatch(
      /^local emulator at http:\/\/127\.0\.0\.1:\d+ \(state in \.paxos-onboard[/\\]local-emulator\.json; delete it to start over\)$/,
    );
    const made = await first.request<{ id: string }>({ method: 'POST', path: '/v2/profiles', body: { nickname: 'kept-across-runs' }, retry: 'natural-key' });
    await first.close();
    // Closing the client stopped its emulator: the port no longer answers, and the client refuses work.
    await expect(fetch(`${first.target.apiUrl}/profiles`)).rejects.toThrow();
    await expect(first.request({ method: 'GET', path: '/v2/profiles' })).rejects.toMatchObject({ code: 'paxos.closed' });
    expect(existsSync(join(cwd, '.paxos-onboard', 'local-emulator.json'))).toBe(true);

    const second = await openLocal(cwd);
    const found = await second.listAll<{ id: string; nickname: string }>({ method: 'GET', path: '/v2/profiles', query: { nickname: 'kept-across-runs' } });
    expect(found.map((profile) => profile.id)).toEqual([made.id]);
  });
});
