import { describe, expect, it } from 'vitest';
import { rateClasses, type RateClass } from '../domain/rate-classes.js';
import type { Clock } from './clock.js';
import { createPacer, type Pacer } from './pacer.js';

/** A clock whose time moves only when the test runs the next timer. */
function createFakeClock() {
  let now = 0;
  let scheduled = 0;
  const timers: Array<{ at: number; callback: () => void; cancelled: boolean }> = [];
  const clock: Clock = {
    now: () => now,
    setTimeout(callback, ms) {
      scheduled += 1;
      const timer = { at: now + Math.max(0, ms), callback, cancelled: false };
      timers.push(timer);
      return () => {
        timer.cancelled = true;
      };
    },
  };
  const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
  return {
    clock,
    timersScheduled: () => scheduled,
    /** Runs timers in time order, letting promise callbacks run after each, until none is left. */
    async runAll(): Promise<void> {
      await settle();
      for (;;) {
        const live = timers.filter((timer) => !timer.cancelled).sort((a, b) => a.at - b.at);
        const next = live[0];
        if (!next) return;
        timers.splice(timers.indexOf(next), 1);
        now = Math.max(now, next.at);
        next.callback();
        await settle();
      }
    },
  };
}

/** The most starts within any window of `windowMs` (inclusive at both ends: stricter than the server). */
function maxInAnyWindow(starts: number[], windowMs: number): number {
  let most = 0;
  for (let first = 0; first < starts.length; first++) {
    let count = 0;
    for (let index = first; index < starts.length && (starts[index] ?? 0) - (starts[first] ?? 0) <= windowMs; index++) count++;
    most = Math.max(most, count);
  }
  return most;
}

/** Starts `count` requests of `rateClass` at once; each completes `latencyMs` after it starts. Records start times in order. */
function burst(fake: ReturnType<typeof createFakeClock>, pacer: Pacer, rateClass: RateClass, count: number, latencyMs = 0) {
  const starts: Array<{ index: number; at: number }> = [];
  for (let index = 0; index < count; index++) {
    void pacer.acquire(rateClass).then((release) => {
      starts.push({ index, at: fake.clock.now() });
      if (latencyMs === 0) release();
      else fake.clock.setTimeout(release, latencyMs);
    });
  }
  return starts;
}

describe('createPacer', () => {
  it('starts at most the class limit in any 1 s window, in FIFO order, without wasting capacity or polling', async () => {
    const fake = createFakeClock();
    const pacer = createPacer({ clock: fake.clock, pacing: 'paxos' });
    const starts = burst(fake, pacer, rateClasses.default, 160);
    await fake.runAll();

    expect(starts.map((start) => start.index)).toEqual([...Array(160).keys()]);
    const times = starts.map((start) => start.at);
    expect(maxInAnyWindow(times, 1000)).toBe(50);
    // Full batches at 0, 1020, 2040 and the rest at 3060: capacity unused only for the 2% margin.
    expect(times.filter((at) => at === 0)).toHaveLength(50);
    expect(times.filter((at) => at === 1020)).toHaveLength(50);
    expect(times.filter((at) => at === 2040)).toHaveLength(50);
    expect(times.filter((at) => at === 3060)).toHaveLength(10);
    // One wake-up per batch, not a loop of short timers.
    expect(fake.timersScheduled()).toBe(3);
  });

  it('counts a slot until a window after its request completed, so slow answers cannot crowd a server window', async () => {
    const fake = createFakeClock();
    const pacer = createPacer({ clock: fake.clock, pacing: 'paxos' });
    // Answers take 300 ms: the server may admit a request any time in those 300 ms.
    const starts = burst(fake, pacer, rateClasses.tenPerSecond, 30, 300);
    await fake.runAll();
    expect(starts.map((start) => start.at)).toEqual([...Array(10).fill(0), ...Array(10).fill(1320), ...Array(10).fill(2640)]);
  });

  it('never starts more than the limit while all of them are still waiting for answers', async () => {
    const fake = createFakeClock();
    const pacer = createPacer({ clock: fake.clock, pacing: 'paxos' });
    const held: Array<() => void> = [];
    let started = 0;
    for (let index = 0; index < 25; index++) {
      void pacer.acquire(rateClasses.transfer).then((release) => {
        started += 1;
        held.push(release);
      });
    }
    await fake.runAll();
    expect(started).toBe(20);
    held[0]?.();
    held[0]?.(); // releasing twice frees one slot, once
    await fake.runAll();
    expect(started).toBe(21);
    expect(fake.clock.now()).toBe(1020);
  });

  it('spreads a trickle the same way: no more than the limit in any window', async () => {
    const fake = createFakeClock();
    const pacer = createPacer({ clock: fake.clock, pacing: 'paxos' });
    const times: number[] = [];
    // 10/s class; requests arrive one every 30 ms, faster than allowed, and take 5 ms.
    for (let index = 0; index < 40; index++) {
      fake.clock.setTimeout(
        () =>
          void pacer.acquire(rateClasses.tenPerSecond).then((release) => {
            times.push(fake.clock.now());
            fake.clock.setTimeout(release, 5);
          }),
        index * 30,
      );
    }
    await fake.runAll();
    expect(times).toHaveLength(40);
    expect(maxInAnyWindow(times, 1000)).toBe(10);
    for (let index = 10; index < times.length; index++) expect((times[index] ?? 0) - (times[index - 10] ?? 0)).toBeGreaterThanOrEqual(1025);
  });

  it('paces each class on its own budget', async () => {
    const fake = createFakeClock();
    const pacer = createPacer({ clock: fake.clock, pacing: 'paxos' });
    const tokens = burst(fake, pacer, rateClasses.token, 3);
    const reads = burst(fake, pacer, rateClasses.default, 20);
    await fake.runAll();
    expect(tokens.map((start) => start.at)).toEqual([0, 1020, 2040]);
    expect(reads.map((start) => start.at)).toEqual(Array(20).fill(0));
  });

  it('holds every class until a pause ends', async () => {
    const fake = createFakeClock();
    const pacer = createPacer({ clock: fake.clock, pacing: 'paxos' });
    pacer.pauseUntil(5000);
    pacer.pauseUntil(3000); // an earlier end never shortens a pause
    const reads = burst(fake, pacer, rateClasses.default, 1);
    const transfers = burst(fake, pacer, rateClasses.transfer, 1);
    await fake.runAll();
    expect([...reads, ...transfers].map((start) => start.at)).toEqual([5000, 5000]);
  });

  it('with pacing off starts everything at once, but still honours a pause', async () => {
    const fake = createFakeClock();
    const pacer = createPacer({ clock: fake.clock, pacing: 'off' });
    const first = burst(fake, pacer, rateClasses.tenPerSecond, 200, 500);
    await fake.runAll();
    expect(first.map((start) => start.at)).toEqual(Array(200).fill(0));
    pacer.pauseUntil(2000);
    const later = burst(fake, pacer, rateClasses.default, 1);
    await fake.runAll();
    expect(later.map((start) => start.at)).toEqual([2000]);
  });

  it('on close fails every waiting and later request and leaves no timer running', async () => {
    const fake = createFakeClock();
    const pacer = createPacer({ clock: fake.clock, pacing: 'paxos' });
    const outcomes: string[] = [];
    for (let index = 0; index < 12; index++) {
      pacer.acquire(rateClasses.tenPerSecond).then(
        (release) => {
          outcomes.push('started');
          release();
        },
        (error: Error) => outcomes.push(error.message),
      );
    }
    await new Promise<void>((resolve) => setImmediate(resolve)); // the first ten start; two wait for the wake-up
    pacer.close(new Error('closed'));
    await expect(pacer.acquire(rateClasses.default)).rejects.toThrow('closed');
    await fake.runAll();
    expect(outcomes).toEqual([...Array(10).fill('started'), 'closed', 'closed']);
  });
});
