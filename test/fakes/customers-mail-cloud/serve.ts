/**
 * Runs the fake in its own process (benchmarks measure the node's memory without the fake's;
 * also handy by hand): node .build/test/fakes/customers-mail-cloud/serve.js [port] [blocks]
 * Prints one JSON line {"url": …} when ready.
 */
import { startCustomersMailCloudFake } from './index';

async function main(): Promise<void> {
	const port = Number(process.argv[2] ?? 0);
	const count = Number(process.argv[3] ?? 0);
	const fake = await startCustomersMailCloudFake({ port, demoData: count === 0 && port !== 0 });
	if (count > 0) fake.seed(count, { seed: 1 });
	process.stdout.write(`${JSON.stringify({ url: fake.url, blocks: fake.blocks().length })}\n`);
	const stop = () => void fake.close().then(() => process.exit(0));
	process.on('SIGTERM', stop);
	process.on('SIGINT', stop);
}

void main();
