/**
 * Decides, per request, which configured fault happens. Every decision draws
 * from one seeded PRNG in request order, so the same seed and the same request
 * sequence give the same faults.
 */
import type { FaultSpec } from './emulator-options.js';
import { createSeededRandom } from './seeded-random.js';

export interface FaultInjector {
  /** True: answer 503 before the handler runs. */
  failBeforeHandler(): boolean;
  /** True: destroy the connection instead of answering (write methods only, after the commit). */
  resetAfterCommit(method: string): boolean;
  /** The latency to add to this answer: base ± jitter, never negative. */
  latencyFor(baseMs: number): number;
}

const writeMethods = new Set(['POST', 'PUT', 'DELETE', 'PATCH']);

export function createFaultInjector(spec: FaultSpec, seed: number): FaultInjector {
  const random = createSeededRandom(seed);
  return {
    failBeforeHandler: () => spec.serverError > 0 && random() < spec.serverError,
    resetAfterCommit: (method) => spec.resetAfterCommit > 0 && writeMethods.has(method) && random() < spec.resetAfterCommit,
    latencyFor(baseMs) {
      if (spec.latencyJitterMs <= 0) return baseMs;
      return Math.max(0, Math.round(baseMs + (random() * 2 - 1) * spec.latencyJitterMs));
    },
  };
}
