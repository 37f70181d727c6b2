/**
 * Keeps each rate class under its Paxos limit. Paxos averages over 5 minutes
 * but locks the whole client out for 5 minutes on excess; our emulator (and
 * the benchmark) enforce the stricter "at most perSecond × window admitted in
 * any sliding window", with a 1 s window.
 *
 * The server counts a request when it admits it, which the client cannot see:
 * only that it happens after the request starts and before its answer comes.
 * So a request holds one of its class's floor(perSecond) slots from its start
 * until `windowMs` after it completed. A new request starts only on a free
 * slot: then no window of the server's can hold more than the limit, however
 * late or out of order requests arrive (a loaded event loop, a slow
 * network). With latency t each slot turns over every window + t.
 */
import type { RateClass } from '../domain/rate-classes.js';
import type { Clock } from './clock.js';

/** Call when the request has its answer (or failed): its slot frees `windowMs` later. */
export type ReleaseSlot = () => void;

export interface Pacer {
  /** Resolves when a request of `rateClass` may start, in FIFO order per class. Call the release when it completes. */
  acquire(rateClass: RateClass): Promise<ReleaseSlot>;
  /** Starts nothing, in any class, before `untilMs` (clock time): Paxos's 429 locks out the whole client. */
  pauseUntil(untilMs: number): void;
  /** Until when every acquire is held (0 when it never was). */
  pausedUntil(): number;
  /** Rejects every waiting and later `acquire` with `reason` and cancels the timers (the client is closing). */
  close(reason: Error): void;
}

export interface PacerOptions {
  clock: Clock;
  /** `off`: no per-class limits (pauses after a 429 still apply). */
  pacing: 'paxos' | 'off';
  /** Default 1,020 ms. */
  windowMs?: number;
}

/** The server's 1 s window, plus 2% for clock rounding on both sides (arrival delays are covered by counting from completion). */
export const defaultPacingWindowMs = 1020;

interface ClassState {
  limit: number;
  inFlight: number;
  /** Completion times still within the window, oldest first. */
  completions: number[];
  waiting: Array<{ resolve: (release: ReleaseSlot) => void; reject: (reason: Error) => void }>;
  /** Cancels the pending wake-up, when one is scheduled. */
  cancelTimer: (() => void) | undefined;
}

const noRelease: ReleaseSlot = () => {};

export function createPacer(options: PacerOptions): Pacer {
  const { clock } = options;
  const windowMs = options.windowMs ?? defaultPacingWindowMs;
  const classes = new Map<string, ClassState>();
  let pausedUntil = Number.NEGATIVE_INFINITY;
  let closedWith: Error | undefined;

  const stateOf = (rateClass: RateClass): ClassState => {
    let state = classes.get(rateClass.name);
    if (!state) {
      const limit = options.pacing === 'off' ? Number.POSITIVE_INFINITY : Math.max(1, Math.floor(rateClass.perSecond));
      classes.set(rateClass.name, (state = { limit, inFlight: 0, completions: [], waiting: [], cancelTimer: undefined }));
    }
    return state;
  };

  const releaseFor = (state: ClassState): ReleaseSlot => {
    if (!Number.isFinite(state.limit)) return noRelease;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      state.inFlight -= 1;
      state.completions.push(clock.now());
      // The slot frees only `windowMs` from now; drain schedules the wake-up for it.
      drain(state);
    };
  };

  /** When the head of the queue may start, or undefined while every slot is in flight (a release drains again). */
  const readyAt = (state: ClassState, now: number): number | undefined => {
    while (state.completions.length > 0 && (state.completions[0] ?? 0) + windowMs <= now) state.completions.shift();
    if (state.inFlight + state.completions.length < state.limit) return pausedUntil;
    const oldest = state.completions[0];
    return oldest === undefined ? undefined : Math.max(pausedUntil, oldest + windowMs);
  };

  const drain = (state: ClassState): void => {
    while (state.waiting.length > 0 && !state.cancelTimer) {
      const now = clock.now();
      const ready = readyAt(state, now);
      if (ready === undefined) return;
      if (now < ready) {
        // One timer per class; readiness only moves later, so it never fires late, and when early it drains again.
        state.cancelTimer = clock.setTimeout(() => {
          state.cancelTimer = undefined;
          drain(state);
        }, ready - now);
        return;
      }
      if (Number.isFinite(state.limit)) state.inFlight += 1;
      state.waiting.shift()?.resolve(releaseFor(state));
    }
  };

  return {
    acquire(rateClass) {
      if (closedWith) return Promise.reject(closedWith);
      const state = stateOf(rateClass);
      return new Promise<ReleaseSlot>((resolve, reject) => {
        state.waiting.push({ resolve, reject });
        drain(state);
      });
    },
    pauseUntil(untilMs) {
      // Queued requests wait for their class's timer or a release, which re-check the pause.
      pausedUntil = Math.max(pausedUntil, untilMs);
    },
    pausedUntil: () => pausedUntil,
    close(reason) {
      closedWith ??= reason;
      for (const state of classes.values()) {
        state.cancelTimer?.();
        state.cancelTimer = undefined;
        for (const waiter of state.waiting.splice(0)) waiter.reject(closedWith);
      }
    },
  };
}
