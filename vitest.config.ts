import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Runs against one emulator follow each other within a second all the time here; the test of the token gap sets its own.
    env: { PAXOS_ONBOARD_TOKEN_MEMORY: 'off' },
  },
});
