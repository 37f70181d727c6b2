/**
 * Issue 11: every command stops on the first SIGINT/SIGTERM. The built CLI,
 * as a user runs it: `plan` against a server that never answers exits within
 * 2 s of SIGTERM (143); `apply` stuck on a call that never returns exits at
 * once on a second Ctrl-C (130); and Ctrl-C pressed on a terminal during an
 * apply (through a pseudo-terminal, `script` from util-linux) leaves the
 * cursor shown.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeTempManifests, type TempManifestDir } from './support/temp-manifest.js';
import { startTestEmulator } from './support/test-emulator.js';

const bin = resolve('dist/cli/bin.js');
const fixture = resolve('fixtures/person-brokerage.yaml');

let locks: string;
let silent: Server;
let silentUrl: string;
let dir: TempManifestDir;
beforeEach(async () => {
  locks = await mkdtemp(join(tmpdir(), 'paxos-onboard-locks-'));
  dir = await writeTempManifests({});
  // Accepts connections and never answers: a hung server, or a network that drops replies.
  silent = createServer(() => undefined);
  await new Promise<void>((listening) => silent.listen(0, '127.0.0.1', listening));
  const address = silent.address();
  silentUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterEach(async () => {
  silent.close();
  await rm(locks, { recursive: true, force: true });
  await dir.remove();
});

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  /** Milliseconds from the (last) signal sent to the exit. */
  afterSignalMs: number;
}

function start(args: string[]): { child: ChildProcess; exited: (signals: NodeJS.Signals[], gapMs?: number) => Promise<Exit>; waitFor: (text: string) => Promise<void> } {
  const child = spawn(process.execPath, [bin, ...args], { cwd: dir.dir, env: { PAXOS_ONBOARD_LOCK_DIR: locks, PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  const listeners: Array<() => void> = [];
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const listener of listeners) listener();
  });
  child.stdout?.resume();
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((done) => child.on('exit', (code, signal) => done({ code, signal, at: Date.now() })));
  return {
    child,
    waitFor: (text) =>
      new Promise((found) => {
        const check = () => stderr.includes(text) && found();
        listeners.push(check);
        check();
      }),
    async exited(signals, gapMs = 300) {
      let sentAt = Date.now();
      for (const [index, signal] of signals.entries()) {
        if (index > 0) await new Promise((wait) => setTimeout(wait, gapMs));
        sentAt = Date.now();
        child.kill(signal);
      }
      const watchdog = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const end = await ended;
      clearTimeout(watchdog);
      return { code: end.code, signal: end.signal, stderr, afterSignalMs: end.at - sentAt };
    },
  };
}

describe('the first signal', () => {
  it('stops plan against a server that never answers within 2 s of SIGTERM, with 143', async () => {
    const run = start(['plan', fixture, '--target', silentUrl]);
    // The target is announced before the first (never answered) call.
    await run.waitFor('Target:');
    await new Promise((wait) => setTimeout(wait, 300));
    const exit = await run.exited(['SIGTERM']);
    expect(exit.afterSignalMs).toBeLessThan(2000);
    expect(exit.code).toBe(143);
    expect(exit.stderr).toContain('Interrupted (SIGTERM)');
    expect(exit.stderr).not.toContain('unexpected error');
  });

  it('stops plan with 130 on SIGINT while it waits for another run on the target', async () => {
    const holder = start(['plan', fixture, '--target', silentUrl]);
    await holder.waitFor('Target:');
    const waiting = start(['plan', fixture, '--target', silentUrl, '--lock-timeout', '60']);
    await waiting.waitFor('Waiting up to 60 s for another run');
    const exit = await waiting.exited(['SIGINT']);
    expect(exit.afterSignalMs).toBeLessThan(2000);
    expect(exit.code).toBe(130);
    await holder.exited(['SIGTERM']);
  });
});

describe('a second signal', () => {
  it('ends an apply stuck on a call that never returns at once', async () => {
    const run = start(['apply', fixture, '--target', silentUrl, '--yes']);
    await run.waitFor('Target:');
    await new Promise((wait) => setTimeout(wait, 300));
    // The first: apply lets its call in flight finish, which it never does; the second: now.
    const exit = await run.exited(['SIGINT', 'SIGINT'], 500);
    expect(exit.stderr).toContain('Interrupted: finishing the calls in flight');
    expect(exit.afterSignalMs).toBeLessThan(1000);
    expect(exit.code).toBe(130);
  });
});

const hasScript = spawnSync('script', ['--version']).status === 0;

describe.skipIf(!hasScript)('Ctrl-C on a terminal', () => {
  it('leaves the cursor shown after apply drew its progress, even when a second Ctrl-C cuts the run short', async () => {
    // Slow enough that the run is still going when Ctrl-C is pressed.
    const server = await startTestEmulator({ approve: 'manual', rateLimits: 'off', latencyMs: 400 });
    try {
      const command = `stty cols 100 rows 40; exec ${process.execPath} ${bin} apply ${fixture} --target ${server.url} --yes`;
      const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: dir.dir, env: { PAXOS_ONBOARD_LOCK_DIR: locks, PATH: process.env.PATH ?? '', TERM: 'xterm' }, stdio: ['pipe', 'pipe', 'pipe'] });
      let screen = '';
      child.stdout.on('data', (chunk: Buffer) => (screen += chunk.toString('latin1')));
      const ended = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
      // Once listr2 has hidden the cursor and drawn a resource, the user presses Ctrl-C on the terminal.
      const deadline = Date.now() + 15_000;
      while (!(screen.includes('\x1b[?25l') && screen.includes('person.carol')) && Date.now() < deadline) await new Promise((wait) => setTimeout(wait, 50));
      expect(screen).toContain('\x1b[?25l');
      child.stdin.write('\x03');
      // Impatient: again before the calls in flight (400 ms each) have finished, so listr2 never gets to restore it itself.
      await new Promise((wait) => setTimeout(wait, 100));
      child.stdin.write('\x03');
      const watchdog = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await ended;
      clearTimeout(watchdog);
      // Shown again after it was last hidden.
      expect(screen.lastIndexOf('\x1b[?25h')).toBeGreaterThan(screen.lastIndexOf('\x1b[?25l'));
      expect(code).toBe(130);
    } finally {
      await server.close();
    }
  }, 40_000);
});
