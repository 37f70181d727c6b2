import { appendFile, mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { journalName, journalPath, openJournal } from './journal.js';

let directory: string;
let file: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'journal-'));
  file = join(directory, '.paxos-onboard', 'journal.local.jsonl');
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

const records = async (path: string) =>
  (await readFile(path, 'utf8'))
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('openJournal', () => {
  it('forgets an intent once it is closed, across a reopen of the file', async () => {
    const journal = await openJournal(file);
    const intent = await journal.writeIntent('deposit.d1', 'digest-a');
    await journal.close([intent], 'tr-1');

    expect(journal.openIntents('deposit.d1', 'digest-a')).toEqual([]);
    expect((await openJournal(file)).openIntents('deposit.d1', 'digest-a')).toEqual([]);
    expect(await records(file)).toEqual([
      { type: 'intent', id: intent.id, address: 'deposit.d1', at: intent.at, request: 'digest-a' },
      { type: 'done', id: intent.id, result: 'tr-1' },
    ]);
  });

  it('keeps an intent without its done open after a reopen, only for the same address and request', async () => {
    const at = new Date('2024-05-01T12:00:00.000Z');
    const intent = await (await openJournal(file, () => at)).writeIntent('deposit.d1', 'digest-a');

    const reopened = await openJournal(file);
    expect(reopened.openIntents('deposit.d1', 'digest-a')).toEqual([
      { type: 'intent', id: intent.id, address: 'deposit.d1', at: '2024-05-01T12:00:00.000Z', request: 'digest-a' },
    ]);
    expect(reopened.openIntents('deposit.d2', 'digest-a')).toEqual([]);
    expect(reopened.openIntents('deposit.d1', 'digest-b')).toEqual([]);
  });

  it('closes only the intents it is given, once', async () => {
    const journal = await openJournal(file);
    const first = await journal.writeIntent('deposit.d1', 'digest-a');
    const second = await journal.writeIntent('deposit.d1', 'digest-a');
    await journal.close([first], 'absent');
    await journal.close([first], 'absent');

    expect((await openJournal(file)).openIntents('deposit.d1', 'digest-a').map((intent) => intent.id)).toEqual([second.id]);
    expect((await records(file)).filter((record) => record.type === 'done')).toHaveLength(1);
  });

  it('skips a torn last line and still reads the records before it', async () => {
    const journal = await openJournal(file);
    const closed = await journal.writeIntent('deposit.d1', 'digest-a');
    await journal.close([closed], 'tr-1');
    const open = await journal.writeIntent('deposit.d2', 'digest-b');
    await appendFile(file, JSON.stringify({ type: 'done', id: open.id, result: 'tr-2' }).slice(0, 20));

    const reopened = await openJournal(file);
    expect(reopened.openIntents('deposit.d1', 'digest-a')).toEqual([]);
    expect(reopened.openIntents('deposit.d2', 'digest-b').map((intent) => intent.id)).toEqual([open.id]);
  });

  it('keeps a record written after a torn last line readable', async () => {
    await (await openJournal(file)).writeIntent('deposit.d1', 'digest-a');
    await appendFile(file, '{"type":"intent","id":"torn');

    const intent = await (await openJournal(file)).writeIntent('deposit.d2', 'digest-b');

    // The crash tore a line; the next run's intent must not be glued onto it and lost.
    expect((await openJournal(file)).openIntents('deposit.d2', 'digest-b').map((open) => open.id)).toEqual([intent.id]);
  });

  it('reads a missing file as an empty journal and creates it, and its directory, with mode 0600', async () => {
    const journal = await openJournal(file);
    expect(journal.path).toBe(file);
    expect(journal.openIntents('deposit.d1', 'digest-a')).toEqual([]);

    await journal.writeIntent('deposit.d1', 'digest-a');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('refuses a journal that exists but cannot be read, rather than forgetting its open intents', async () => {
    await mkdir(file, { recursive: true });
    await expect(openJournal(file)).rejects.toMatchObject({ code: 'local_state.not_a_file' });
  });

  it('skips lines that are JSON but not records', async () => {
    await mkdir(join(directory, '.paxos-onboard'));
    await appendFile(file, '{"type":"other","id":"x"}\n[1,2]\n{"type":"intent"}\n\n');
    const journal = await openJournal(file);
    const intent = await journal.writeIntent('deposit.d1', 'digest-a');
    expect((await openJournal(file)).openIntents('deposit.d1', 'digest-a').map((open) => open.id)).toEqual([intent.id]);
  });
});

describe('journalName', () => {
  it.each(['local', 'sandbox', 'production'] as const)('names the %s target after its kind', (kind) => {
    expect(journalName({ kind, apiUrl: 'https://api.example.com/v2' })).toBe(kind);
  });

  it.each([
    ['http://127.0.0.1:4010/v2', '127.0.0.1-4010'],
    ['https://paxos.example.com/v2', 'paxos.example.com-443'],
    ['http://paxos.example.com/v2', 'paxos.example.com-80'],
    ['http://[::1]:4010/v2', '___1_-4010'],
  ])('names a url target %s after its host and port', (apiUrl, name) => {
    expect(journalName({ kind: 'url', apiUrl })).toBe(name);
  });

  it('puts the journal under .paxos-onboard in the working directory', () => {
    expect(journalPath('/repo', { kind: 'url', apiUrl: 'http://127.0.0.1:4010/v2' })).toBe(
      join('/repo', '.paxos-onboard', 'journal.127.0.0.1-4010.jsonl'),
    );
  });
});
