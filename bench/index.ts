import { applyBenchmark } from './apply.bench.js';
import { emulatorBenchmark } from './emulator.bench.js';
import { fixturesBenchmark } from './fixtures.bench.js';
import { manifestBenchmark } from './manifest.bench.js';
import { refreshBenchmark } from './refresh.bench.js';

/** A benchmark prints its own figures; the runner only sequences them. */
export interface Benchmark {
  name: string;
  description: string;
  run(): Promise<void>;
}

export const benchmarks: Benchmark[] = [
  // Each bench/<name>.bench.ts adds itself here.
  manifestBenchmark,
  emulatorBenchmark,
  refreshBenchmark,
  applyBenchmark,
  fixturesBenchmark,
];
