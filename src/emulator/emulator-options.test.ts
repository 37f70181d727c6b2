import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import { parseApprovalMode, parseDuration, parseFaultSpec } from './emulator-options.js';
import { createFaultInjector } from './fault-injector.js';

describe('flag parsers', () => {
  it('reads durations with units, bare numbers as seconds', () => {
    expect([parseDuration('500ms'), parseDuration('2s'), parseDuration('5m'), parseDuration('1h'), parseDuration('300'), parseDuration('1.5s')]).toEqual([
      500, 2000, 300_000, 3_600_000, 300_000, 1500,
    ]);
    expect(() => parseDuration('2 days')).toThrow(UsageError);
  });

  it('reads approval modes', () => {
    expect(parseApprovalMode('manual')).toEqual({ kind: 'manual' });
    expect(parseApprovalMode('auto')).toEqual({ kind: 'auto' });
    expect(parseApprovalMode('after:2s')).toEqual({ kind: 'after', delayMs: 2000 });
  });

  it('reads fault specs, any subset', () => {
    expect(parseFaultSpec('5xx=0.05,reset-after-commit=0.02,latency-jitter=20')).toEqual({ serverError: 0.05, resetAfterCommit: 0.02, latencyJitterMs: 20 });
    expect(parseFaultSpec('')).toEqual({ serverError: 0, resetAfterCommit: 0, latencyJitterMs: 0 });
    expect(() => parseFaultSpec('5xx')).toThrow(/'5xx' is not a fault/);
    expect(() => parseFaultSpec('reset-after-commit=-1')).toThrow(UsageError);
  });
});

describe('createFaultInjector', () => {
  it('keeps jittered latency within ± jitter, never negative, and replays by seed', () => {
    const draw = (seed: number) => {
      const faults = createFaultInjector({ serverError: 0, resetAfterCommit: 0, latencyJitterMs: 20 }, seed);
      return Array.from({ length: 50 }, () => faults.latencyFor(10));
    };
    const latencies = draw(3);
    expect(Math.min(...latencies)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...latencies)).toBeLessThanOrEqual(30);
    expect(new Set(latencies).size).toBeGreaterThan(10);
    expect(draw(3)).toEqual(latencies);
  });

  it('resets only write methods', () => {
    const faults = createFaultInjector({ serverError: 0, resetAfterCommit: 1, latencyJitterMs: 0 }, 1);
    expect(['GET', 'POST', 'PUT', 'DELETE'].map((method) => faults.resetAfterCommit(method))).toEqual([false, true, true, true]);
  });
});
