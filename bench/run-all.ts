import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `npm run bench`: runs every compiled `*.bench.js` beside this file, one at a time (they
 * share two cores; running them together would measure contention, not payrisk).
 */
const benches = readdirSync(__dirname)
  .filter((file) => file.endsWith('.bench.js'))
  .sort();

if (benches.length === 0) {
  console.log('no benchmarks found');
  process.exit(0);
}

let failed = 0;
for (const bench of benches) {
  console.log(`\n=== ${bench.replace(/\.bench\.js$/, '')} ===`);
  const result = spawnSync(process.execPath, ['--expose-gc', join(__dirname, bench)], { stdio: 'inherit' });
  if (result.status !== 0) {
    failed += 1;
    console.log(`${bench} exited with ${result.status ?? result.signal}`);
  }
}
console.log(`\n${benches.length - failed} of ${benches.length} benchmarks completed`);
process.exit(failed === 0 ? 0 : 1);
