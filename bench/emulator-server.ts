/**
 * The emulator in its own process for `emulator.bench.ts`, so the CPU it
 * reports is the server's alone, not the load generator's.
 */
import { startEmulator } from '../src/emulator/start-emulator.js';

const emulator = await startEmulator({ rateLimits: 'off' });
process.send?.({ kind: 'listening', url: emulator.url });
process.on('message', (message: { kind: string }) => {
  if (message.kind === 'cpu') process.send?.({ kind: 'cpu', usage: process.cpuUsage() });
  if (message.kind === 'stop') void emulator.close().then(() => process.exit(0));
});
