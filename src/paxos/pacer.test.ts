import { describe, expect, it } from 'vitest';
import { rateClasses } from '../domain/rate-classes.js';
import type { Clock } from './clock.js';
import { createPacer } from './pacer.js';

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

describe('createPacer', () => {
  it('starts at most the class limit in any 1 s window, in FIFO order, without wasting capacity or polling', async () => {
    const fake = createFakeClock();
    const pacer = createPacer({ clock: fake.clock, pacing: 'paxos' });
    const starts: Array<{ index: number; at: number }> = [];
    for (let index = 0; index < 160; index++) void pacer.acquire(rateClasses.default).then(() => starts.push({ index, at: fake.clock.now() }));
    await fake.runAll();

    expect(starts).toHaveLength(160);
    expect(starts.map((start) => start.index)).toEqual([...Array(160).keys()]);
    const times = starts.map((start) => start.at);
    expect(maxInAnyWindow(times, 1000)).toBe(50);
    // Full batches at 0, 1050, 2100 and the rest at 3150: no capacity left unused beyond the margin.
    expect(times.filter((at) => at === 0)).toHaveLength(50);
    expect(times.filter((at) => at === 1050)).toHaveLength(50);
    expect(times.filter((at) => at === 2100)).toHaveLength(50);
    expect(times.filter((at) => at === 3150)).toHaveLength(10);
    // One wake-up per batch, not a loop of short timers.
    expect(fake.timersScheduled()).toBe(3);
  });

  it('spreads a trickle the same way: each start waits only for the start one limit earlier', async () => {
    const fake = createFakeClock();
    const pacer = createPacer({ clock: fake.clock, pacing: 'paxos' });
    const times: number[] = [];
    // 10/s class; requests arrive one every 30 ms, faster than allowed.
    for (let index = 0; index < 40; index++) {
      fake.clock.setTimeout(() => void pacer.acquire(rateClasses.tenPerSecond).then(() => times.push(fake.clock.now())), index * 30);
    }
    await fake.runAll();
    expect(times).toHaveLength(40);
    expect(maxInAnyWindow(times, 1000)).toBe(10);
    expect(maxInAnyWindow(times, 1049)).toBe(10);
    for (let index = 10; index < times.length; index++) expect((times[index] ?? 0) - (times[index - 10] ?? 0)).toBeGreaterThanOrEqual(1050);
  });

  it('paces each class on its own budget', async () => {
    const fake = createFakeClock();
    const pacer = createPacer({ clock: fake.clock, pacing: 'paxos' });
    const byClass: Record<string, number[]> = { token: [], default: [] };
    for (let index = 0; index < 3; index++) void pacer.acquire(rateClasses.token).then(() => byClass.token?.push(fake.clock.now()));
    for (let index = 0; index < 20; index++) void pacer.acquire(rateClasses.default).then(() => byClass.default?.push(fake.clock.now()));
    await fake.runAll();
    expect(byClass.token).toEqual([0, 1050, 2100]);
    expect(byClass.default).toEqual(Array(20).fill(0));
  });

  it('holds every class until a pause ends', async () => {
    const fake = createFakeClock();
    const pacer = createPacer({ clock: fake.clock, pacing: 'paxos' });
    pacer.pauseUntil(5000);
    pacer.pauseUntil(3000); // an earlier end never shortens a pause
    const times: number[] = [];
    void pacer.acquire(rateClasses.default).then(() => times.push(fake.clock.now()));
    void pacer.acquire(rateClasses.transfer).then(() => times.push(fake.clock.now()));
    await fake.runAll();
    expect(times).toEqual([5000, 5000]);
  });

  it('with pacing off starts everything at once, but still honours a pause', async () => {
    const fake = createFakeClock();
    const pacer = createPacer({ clock: fake.clock, pacing: 'off' });
    const times: number[] = [];
    for (let index = 0; index < 200; index++) void pacer.acquire(rateClasses.tenPerSecond).then(() => times.push(fake.clock.now()));
    await fake.runAll();
    expect(times).toEqual(Array(200).fill(0));
    pacer.pauseUntil(2000);
    void pacer.acquire(rateClasses.default).then(() => times.push(fake.clock.now()));
    await fake.runAll();
    expect(times.at(-1)).toBe(2000);
  });

  it('on close fails every waiting and later request and leaves no timer running', async () => {
    const fake = createFakeClock();
    const pacer = createPacer({ clock: fake.clock, pacing: 'paxos' });
    const outcomes: string[] = [];
    for (let index = 0; index < 12; index++) {
      pacer.acquire(rateClasses.tenPerSecond).then(
        () => outcomes.push('started'),
        (error: Error) => outcomes.push(error.message),
      );
    }
    await new Promise<void>((resolve) => setImmediate(resolve)); // the first ten start; two wait for the 1,050 ms wake-up
    pacer.close(new Error('closed'));
    await expect(pacer.acquire(rateClasses.default)).rejects.toThrow('closed');
    await fake.runAll();
    expect(outcomes).toEqual([...Array(10).fill('started'), 'closed', 'closed']);
  });
});
