/**
 * `npm run bench`: every provider's benchmark, one after another, each in its own process so one
 * benchmark's memory and warm caches do not colour the next one's numbers.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const BENCHMARKS = ['naimar-sms', 'arara-message', 'customers-mail-cloud', 'soak'];

let failed = 0;
for (const name of BENCHMARKS) {
	const script = path.join(__dirname, `${name}.bench.js`);
	console.log(`\n=== ${name} ===`);
	const run = spawnSync(process.execPath, ['--expose-gc', script], { stdio: 'inherit' });
	if (run.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
