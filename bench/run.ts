/**
 * `npm run bench`: runs every benchmark and prints its figures. Benchmarks
 * measure; they never fail a build on timing.
 */
import { benchmarks } from './index.js';

const only = process.argv.slice(2);
for (const benchmark of benchmarks) {
  if (only.length > 0 && !only.includes(benchmark.name)) continue;
  console.log(`\n## ${benchmark.name}: ${benchmark.description}`);
  await benchmark.run();
}
