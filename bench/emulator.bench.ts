/**
 * Emulator throughput on loopback, rate limits off: 20,000 authenticated
 * `GET /v2/events?limit=1` (and public `GET /v2/markets` when served) over 32
 * keep-alive connections. Prints requests/s and the server's CPU per request
 * (goal: > 5,000 req/s on one core, so the emulator never bounds a benchmark).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { Pool } from 'undici';
import type { Benchmark } from './index.js';

const total = 20_000;
const connections = 32;

function nextMessage<T>(child: ChildProcess, kind: string): Promise<T> {
  return new Promise((resolve) => {
    const listener = (message: { kind: string }) => {
      if (message.kind !== kind) return;
      child.off('message', listener);
      resolve(message as T);
    };
    child.on('message', listener);
  });
}

async function serverCpuMicros(child: ChildProcess): Promise<number> {
  const reply = nextMessage<{ usage: NodeJS.CpuUsage }>(child, 'cpu');
  child.send({ kind: 'cpu' });
  const { usage } = await reply;
  return usage.user + usage.system;
}

async function load(pool: Pool, path: string, headers: Record<string, string>, count: number): Promise<number> {
  let next = 0;
  let failures = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      const response = await pool.request({ method: 'GET', path, headers });
      await response.body.dump();
      if (response.statusCode !== 200) failures++;
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  return failures;
}

async function measure(child: ChildProcess, pool: Pool, label: string, path: string, headers: Record<string, string>): Promise<void> {
  await load(pool, path, headers, 1000); // warm-up: JIT, connections
  const cpuBefore = await serverCpuMicros(child);
  const started = process.hrtime.bigint();
  const failures = await load(pool, path, headers, total);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpuMicros = (await serverCpuMicros(child)) - cpuBefore;
  const perRequest = cpuMicros / total;
  console.log(
    `${label}: ${total} requests, ${connections} connections, ${seconds.toFixed(2)}s wall → ${Math.round(total / seconds)} req/s; ` +
      `server CPU ${perRequest.toFixed(0)}µs/request → ${Math.round(1e6 / perRequest)} req/s per core${failures ? `; ${failures} non-200 answers` : ''}`,
  );
}

export const emulatorBenchmark: Benchmark = {
  name: 'emulator',
  description: 'emulator throughput on loopback (rate limits off), 32 keep-alive connections',
  async run() {
    const child = fork(new URL('./emulator-server.js', import.meta.url), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    try {
      const { url } = await nextMessage<{ url: string }>(child, 'listening');
      const pool = new Pool(url, { connections, pipelining: 1 });
      const tokenResponse = await pool.request({
        method: 'POST',
        path: '/oauth2/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials&client_id=bench&client_secret=bench&scope=events:read_event',
      });
      const { access_token: token } = (await tokenResponse.body.json()) as { access_token: string };
      await measure(child, pool, 'GET /v2/events?limit=1 (authenticated)', '/v2/events?limit=1', { authorization: `Bearer ${token}` });
      const markets = await pool.request({ method: 'GET', path: '/v2/markets' });
      await markets.body.dump();
      if (markets.statusCode === 200) await measure(child, pool, 'GET /v2/markets (public)', '/v2/markets', {});
      await pool.close();
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ kind: 'stop' });
      await exited;
    }
  },
};
