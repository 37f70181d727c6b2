/**
 * Clients of `src/paxos/` pointed at emulators on 127.0.0.1 port 0, all
 * closed after each test, with every log line kept so tests can assert that
 * no secret ever reached one. Plus a virtual clock for tests about time.
 */
import { paxosTiming, startEmulator, type RunningEmulator } from '../../src/emulator/start-emulator.js';
import type { EmulatorOptions } from '../../src/emulator/emulator-options.js';
import type { Clock } from '../../src/paxos/clock.js';
import type { PaxosClientOptions } from '../../src/paxos/client-options.js';
import { createPaxosClient } from '../../src/paxos/create-paxos-client.js';
import { formatRequestLogLine, type RequestLogEntry } from '../../src/paxos/request-log.js';
import type { PaxosClient } from '../../src/paxos/types.js';

export const testSecret = 'sk-test-never-print-me-0123456789';

export interface ClientHarness {
  startEmulator(options?: EmulatorOptions): Promise<RunningEmulator>;
  /** A client of `emulator` with test credentials, fast backoff, seeded jitter, and its log kept. */
  client(emulator: { url: string }, options?: Partial<PaxosClientOptions>): PaxosClient & { entries: RequestLogEntry[] };
  /** Every formatted log line of every client so far. */
  logLines(): string[];
  closeAll(): Promise<void>;
}

export function createClientHarness(): ClientHarness {
  let emulators: RunningEmulator[] = [];
  let clients: PaxosClient[] = [];
  const lines: string[] = [];
  return {
    async startEmulator(options = {}) {
      // Paxos rate limits and timing unless a test says otherwise (startEmulator's own defaults are the fast face).
      const emulator = await startEmulator({ host: '127.0.0.1', port: 0, rateLimits: 'paxos', ...paxosTiming, ...options });
      emulators.push(emulator);
      return emulator;
    },
    client(emulator, options = {}) {
      const entries: RequestLogEntry[] = [];
      let seed = 42;
      const client = createPaxosClient({
        target: { kind: 'url', environment: 'local', apiUrl: `${emulator.url}/v2`, tokenUrl: `${emulator.url}/oauth2/token`, description: 'test emulator' },
        credentials: { clientId: 'test-client', clientSecret: testSecret },
        retry: { baseDelayMs: 2, maxDelayMs: 10 },
        // A tiny LCG: jitter that is the same on every run.
        random: () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31),
        ...options,
        onRequest(entry) {
          entries.push(entry);
          lines.push(formatRequestLogLine(entry));
          options.onRequest?.(entry);
        },
      });
      clients.push(client);
      return Object.assign(client, { entries });
    },
    logLines: () => [...lines],
    async closeAll() {
      const [openClients, openEmulators] = [clients, emulators];
      clients = [];
      emulators = [];
      for (const client of openClients) await client.close();
      for (const emulator of openEmulators) await emulator.close();
    },
  };
}

/**
 * A clock that never waits: a timer fires on the next turn of the event loop
 * and moves time forward to its due time. Share it with the emulator (`now`)
 * and a Retry-After of seconds passes in microseconds, with time still
 * measurable. Meant for requests made one after another.
 */
export function createVirtualClock(startMs = Date.parse('2024-01-01T00:00:00Z')) {
  let now = startMs;
  const clock: Clock = {
    now: () => now,
    setTimeout(callback, ms) {
      let cancelled = false;
      const due = now + Math.max(0, ms);
      setImmediate(() => {
        if (cancelled) return;
        now = Math.max(now, due);
        callback();
      });
      return () => {
        cancelled = true;
      };
    },
  };
  return {
    clock,
    date: () => new Date(now),
    advance(ms: number) {
      now += ms;
    },
  };
}
