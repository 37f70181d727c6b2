import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Most end-to-end files wait on emulator latency, settlement and timers, not on the CPU: on the 2 cores CI has,
    // vitest's default (cores - 1 = one file at a time) leaves both idle most of the run.
    maxWorkers: 3,
    // Runs against one emulator follow each other within a second all the time here; the test of the token gap sets its own.
    env: { PAXOS_ONBOARD_TOKEN_MEMORY: 'off' },
  },
});
