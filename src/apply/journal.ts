/**
 * The write-ahead journal of creates that carry no remote key (deposits):
 * `.paxos-onboard/journal.<target>.jsonl`, one JSON line per record. An
 * `intent` is on disk before the call is sent; `done` follows when the
 * outcome is known (the object's id, or `absent` when reconciling showed the
 * call never landed). An intent without its `done` after a crash is what a
 * later run must reconcile before sending the same create again.
 *
 * Append-only, so a crash can cost at most the line being written; a torn
 * last line is skipped when read. The journal narrows reconciliation; the
 * remote stays the source of truth (DESIGN.md "Semantics").
 */
import { randomUUID } from 'node:crypto';
import { appendFile, chmod, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ensurePrivateDirectory, LocalStateError, privateFileMode } from '../local-state.js';
import type { Address } from '../manifest/kinds.js';
import type { Target } from '../paxos/types.js';

export interface JournalIntent {
  type: 'intent';
  id: string;
  address: Address;
  /** RFC 3339, before the call was sent: the remote object, if any, was made after it. */
  at: string;
  /** A digest of what was asked (profile id, asset, amount): an intent for other values is not this resource's. */
  request: string;
}

interface JournalDone {
  type: 'done';
  id: string;
  /** The object's Paxos id, or `absent`: reconciling found nothing, so the call never landed. */
  result: string;
}

export interface Journal {
  readonly path: string;
  /** Intents of `address` for `request` that no `done` closed: each may have landed. */
  openIntents(address: Address, request: string): JournalIntent[];
  /** Records, and flushes to the file, that a create is about to be sent. */
  writeIntent(address: Address, request: string): Promise<JournalIntent>;
  /** Closes intents with the id of what they made, or `absent`. */
  close(intents: readonly JournalIntent[], result: string): Promise<void>;
}

/**
 * `local`, `sandbox`, `production`, or the URL's host and port (`127.0.0.1-4010`): one journal per place.
 * The embedded emulator is `local` whatever port it listened on this run: its journal sits beside its
 * state file in the same `.paxos-onboard/`, one per state.
 */
export function journalName(target: Pick<Target, 'kind' | 'apiUrl'>): string {
  if (target.kind !== 'url') return target.kind;
  const url = new URL(target.apiUrl);
  return `${url.hostname}-${url.port || (url.protocol === 'https:' ? '443' : '80')}`.replace(/[^A-Za-z0-9.-]/g, '_');
}

export function journalPath(cwd: string, target: Pick<Target, 'kind' | 'apiUrl'>): string {
  return join(cwd, '.paxos-onboard', `journal.${journalName(target)}.jsonl`);
}

export async function openJournal(path: string, now: () => Date = () => new Date()): Promise<Journal> {
  const intents = new Map<string, JournalIntent>();
  const { records, tornTail } = await readRecords(path);
  // A line torn by a crash must not swallow the first record of this run: start on a line of its own.
  let separator = tornTail ? '\n' : '';
  for (const record of records) {
    if (record.type === 'intent') intents.set(record.id, record);
    else intents.delete(record.id);
  }
  let directoryMade = false;
  const append = async (record: JournalIntent | JournalDone) => {
    if (!directoryMade) {
      // The journal names addresses and amounts: the user's alone, like the state beside it.
      await ensurePrivateDirectory(dirname(path), { tighten: true });
    }
    await appendFile(path, `${separator}${JSON.stringify(record)}\n`, { mode: privateFileMode });
    if (!directoryMade) {
      // `mode` applies only when the file is made: one left by an older version is made private here.
      await chmod(path, privateFileMode).catch(() => undefined);
      directoryMade = true;
    }
    separator = '';
  };
  return {
    path,
    openIntents: (address, request) => [...intents.values()].filter((intent) => intent.address === address && intent.request === request),
    async writeIntent(address, request) {
      const intent: JournalIntent = { type: 'intent', id: randomUUID(), address, at: now().toISOString(), request };
      await append(intent);
      intents.set(intent.id, intent);
      return intent;
    },
    async close(toClose, result) {
      for (const intent of toClose) {
        if (!intents.has(intent.id)) continue;
        await append({ type: 'done', id: intent.id, result });
        intents.delete(intent.id);
      }
    },
  };
}

/** The records of the file, and whether it ends without a newline (a line torn by a crash). */
async function readRecords(path: string): Promise<{ records: Array<JournalIntent | JournalDone>; tornTail: boolean }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { records: [], tornTail: false };
    // `.paxos-onboard` a file, the journal a folder, no permission: one line saying which path, not a stack trace.
    throw new LocalStateError(code === 'ENOTDIR' ? 'local_state.not_a_directory' : code === 'EISDIR' ? 'local_state.not_a_file' : 'local_state.unusable', path, `${path}: cannot read the journal (${code ?? String(error)}); the tool keeps its local state in .paxos-onboard/, which must be a folder: move or delete what is in the way`, { cause: error });
  }
  const records: Array<JournalIntent | JournalDone> = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const record = JSON.parse(line) as JournalIntent | JournalDone;
      if ((record.type === 'intent' || record.type === 'done') && typeof record.id === 'string') records.push(record);
    } catch {
      // A line torn by a crash mid-write: its call was never sent (the intent is flushed before sending).
    }
  }
  return { records, tornTail: text.length > 0 && !text.endsWith('\n') };
}
