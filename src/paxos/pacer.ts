/**
 * Keeps each rate class under its Paxos limit. Paxos averages over 5 minutes
 * but locks the whole client out for 5 minutes on excess, and our emulator
 * (and the benchmark) enforce the stricter "at most perSecond × window in any
 * sliding window" with a 1 s window. So the pacer guarantees that in ANY
 * window of `windowMs` (a little over a second, for arrival jitter) at most
 * floor(perSecond) requests of a class start, and otherwise starts requests
 * at once: the k-th start waits only for the (k − limit)-th start + window.
 */
import type { RateClass } from '../domain/rate-classes.js';
import type { Clock } from './clock.js';

export interface Pacer {
  /** Resolves when a request of `rateClass` may start, in FIFO order per class; the start is counted then. */
  acquire(rateClass: RateClass): Promise<void>;
  /** Starts nothing, in any class, before `untilMs` (clock time): Paxos's 429 locks out the whole client. */
  pauseUntil(untilMs: number): void;
  /** Rejects every waiting and later `acquire` with `reason` and cancels the timers (the client is closing). */
  close(reason: Error): void;
}

export interface PacerOptions {
  clock: Clock;
  /** `off`: no per-class limits (pauses after a 429 still apply). */
  pacing: 'paxos' | 'off';
  /** Default 1,050 ms: a 1 s window plus 50 ms for requests that arrive late. */
  windowMs?: number;
}

/** A 1 s window with a 5% margin: a late arrival cannot push the server's 1 s count over the limit. */
export const defaultPacingWindowMs = 1050;

interface ClassState {
  limit: number;
  /** Start times of the last `limit` starts, oldest first. */
  starts: number[];
  waiting: Array<{ resolve: () => void; reject: (reason: Error) => void }>;
  /** Cancels the pending wake-up, when one is scheduled. */
  cancelTimer: (() => void) | undefined;
}

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
      classes.set(rateClass.name, (state = { limit, starts: [], waiting: [], cancelTimer: undefined }));
    }
    return state;
  };

  /** When the head of the queue may start: after any pause, and once the limit-th last start left the window. */
  const readyAt = (state: ClassState): number => {
    const oldest = state.starts.length >= state.limit ? (state.starts[0] ?? Number.NEGATIVE_INFINITY) + windowMs : Number.NEGATIVE_INFINITY;
    return Math.max(pausedUntil, oldest);
  };

  const drain = (state: ClassState): void => {
    while (state.waiting.length > 0) {
      const now = clock.now();
      const ready = readyAt(state);
      if (now < ready) {
        // One timer per class; it fires no later than needed (readiness only moves later), and drains again.
        state.cancelTimer ??= clock.setTimeout(() => {
          state.cancelTimer = undefined;
          drain(state);
        }, ready - now);
        return;
      }
      if (Number.isFinite(state.limit)) {
        state.starts.push(now);
        if (state.starts.length > state.limit) state.starts.shift();
      }
      state.waiting.shift()?.resolve();
    }
  };

  return {
    acquire(rateClass) {
      if (closedWith) return Promise.reject(closedWith);
      const state = stateOf(rateClass);
      return new Promise<void>((resolve, reject) => {
        state.waiting.push({ resolve, reject });
        if (state.waiting.length === 1) drain(state);
      });
    },
    pauseUntil(untilMs) {
      if (untilMs <= pausedUntil) return;
      pausedUntil = untilMs;
      // Queued requests wait for their class's timer, which re-checks the pause when it fires.
    },
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
