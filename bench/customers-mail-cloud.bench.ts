/**
 * Customers Mail Cloud, in one run against its fake (in its own process, so the server's work
 * and memory do not count as the client's):
 *  1. Get Many, Return All over 100,000 blocks: this package's node (pages fetched ahead, 4 in
 *     flight) and the same node with 1 in flight, against a raw sequential paging client (undici
 *     keep-alive Pool, p = 0, 1, … until a short page): the baseline. Twice: against the local
 *     fake as is, and with 10 ms added to every answer (a remote API's round trip).
 *  2. Download → One Item per Block for 1,000,000 rows: peak memory of the node's run against the
 *     items' own size (heap they hold once the run is over).
 *
 *   npm run build && npx tsc -p tsconfig.tools.json && node .build/bench/customers-mail-cloud.bench.js
 *
 * Prints ratios from this one run; asserts nothing about time.
 */
import type { ChildProcess } from 'node:child_process';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import { Pool } from 'undici';

import { runNode } from '../test/harness/engine';
import { usePackageRoot } from '../test/harness/node-types';
import { SANDBOX_CREDENTIALS, startCustomersMailCloudFake } from '../test/fakes/customers-mail-cloud';
import { askFake, formatBytes, printRatios, runBenchmark, serveFakeInChild, startFakeInChild, takeRequestCount, timeIt, withPeakMemory, type Measurement } from './lib';
import { repoRoot } from './http-request-node';

const LIST_BLOCKS = 100_000;
const DOWNLOAD_ROWS = 1_000_000;
const PAGE = 100;
const LATENCY_MS = 10;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** The fake seeded with `count` blocks; besides counting requests it takes "latency:<ms>" for every answer. */
async function serveFake([count]: string[]): Promise<void> {
	const fake = await startCustomersMailCloudFake();
	fake.seed(Number(count), { seed: 1 });
	serveFakeInChild({
		ready: { url: fake.url },
		server: fake.server,
		close: () => fake.close(),
		answer(message) {
			if (!message.startsWith('latency:')) return undefined;
			fake.server.clearFaults();
			const ms = Number(message.slice('latency:'.length));
			if (ms > 0) fake.server.inject({ kind: 'delay', ms }, { times: Number.MAX_SAFE_INTEGER });
			return { latency: ms };
		},
	});
}

async function startFake(count: number): Promise<{ child: ChildProcess; url: string }> {
	const { child, ready } = await startFakeInChild<{ url: string }>(__filename, {
		args: [String(count)],
		execArgv: ['--max-old-space-size=4096'],
	});
	return { child, url: ready.url };
}

const credentials = (url: string) => ({ cmc: { type: 'customersMailCloudApi', data: { ...SANDBOX_CREDENTIALS, host: url } } });

async function runCmc(url: string, parameters: Record<string, unknown>) {
	return await runNode({
		node: {
			type: 'customersMailCloud',
			parameters: { resource: 'block', ...parameters },
			credentials: { customersMailCloudApi: 'cmc' },
		},
		input: [{}],
		credentials: credentials(url),
	});
}

/** The floor: one keep-alive connection, pages one after another until a short one. */
async function rawSequentialList(url: string): Promise<number> {
	const pool = new Pool(url, { connections: 1 });
	let count = 0;
	try {
		for (let page = 0; ; page++) {
			const response = await pool.request({
				method: 'POST',
				path: '/transaction/v2/blocks/list.json',
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({
					api_user: SANDBOX_CREDENTIALS.apiUser,
					api_key: SANDBOX_CREDENTIALS.apiKey,
					server_composition: SANDBOX_CREDENTIALS.serverComposition,
					p: String(page),
					r: String(PAGE),
				}).toString(),
			});
			const { blocks } = (await response.body.json()) as { blocks: unknown[] };
			count += blocks.length;
			if (blocks.length < PAGE) return count;
		}
	} finally {
		await pool.close();
	}
}

async function getManyRows(child: ChildProcess, url: string, suffix: string): Promise<Measurement[]> {
	const rows: Measurement[] = [];
	const raw = await timeIt(() => rawSequentialList(url));
	rows.push({
		name: `raw undici, sequential pages${suffix}`,
		ms: raw.ms,
		requests: await takeRequestCount(child),
		note: `${raw.result} blocks`,
	});
	for (const concurrency of [4, 1]) {
		const run = await timeIt(() => runCmc(url, { operation: 'getAll', returnAll: true, options: { concurrency } }));
		if (run.result.error) throw run.result.error;
		rows.push({
			name: `Customers Mail Cloud node, Return All, ${concurrency} in flight${suffix}`,
			ms: run.ms,
			requests: await takeRequestCount(child),
			note: `${run.result.items.length} items`,
		});
	}
	return rows;
}

async function benchGetMany(): Promise<void> {
	const { child, url } = await startFake(LIST_BLOCKS);
	try {
		await runCmc(url, { operation: 'getAll', returnAll: false, limit: 1 }); // warm-up: load the package
		await takeRequestCount(child);
		const local = await getManyRows(child, url, '');
		printRatios(`Get Many, Return All over ${LIST_BLOCKS.toLocaleString('en')} blocks (local fake, no latency)`, local, local[0].name);
		// A real API is a network round trip away: what fetching pages ahead is for.
		await askFake(child, `latency:${LATENCY_MS}`);
		const remote = await getManyRows(child, url, `, ${LATENCY_MS} ms latency`);
		await askFake(child, 'latency:0');
		printRatios(`Same, with ${LATENCY_MS} ms added to every answer (a remote API)`, remote, remote[0].name);
	} finally {
		child.send('stop');
	}
}

async function benchDownload(): Promise<void> {
	const { child, url } = await startFake(DOWNLOAD_ROWS);
	try {
		await runCmc(url, { operation: 'getAll', returnAll: false, limit: 1 });
		// The fake builds (and caches) its ZIP on the first download: do that outside the measurement.
		const warm = await runCmc(url, { operation: 'download', output: 'binary' });
		const zipBytes = Number(warm.items[0]?.json.fileSize ?? 0);
		warm.items.length = 0;
		gc();
		const before = process.memoryUsage();
		const measured = await withPeakMemory(() => runCmc(url, { operation: 'download', output: 'items' }));
		const result = measured.result;
		if (result.error) throw result.error;
		gc();
		const holding = process.memoryUsage().heapUsed;
		const count = result.items.length;
		const sample = JSON.stringify(result.items.slice(0, 1000).map((item) => item.json)).length / 1000;
		(measured as { result: unknown }).result = undefined;
		result.items.length = 0;
		result.run.data.resultData.runData = {};
		gc();
		const itemsBytes = holding - process.memoryUsage().heapUsed;
		console.log(`\nDownload → One Item per Block, ${count.toLocaleString('en')} rows (ZIP ${formatBytes(zipBytes)}, CSV ≈ ${formatBytes(sample * count)} as JSON)`);
		console.log('| measure | bytes | × items\' own size |');
		console.log('| --- | --- | --- |');
		console.log(`| items' own size (heap they hold after the run) | ${formatBytes(itemsBytes)} | 1.00 |`);
		console.log(`| peak heap + array buffers during the run | ${formatBytes(measured.peakHeapBytes)} | ${(measured.peakHeapBytes / itemsBytes).toFixed(2)} |`);
		console.log(`| peak RSS during the run | ${formatBytes(measured.peakRssBytes)} | ${(measured.peakRssBytes / itemsBytes).toFixed(2)} |`);
		console.log(`(heap before the run: ${formatBytes(before.heapUsed)}; ratios from this one run)`);
	} finally {
		child.send('stop');
	}
}

export async function main(): Promise<void> {
	usePackageRoot(repoRoot());
	await benchGetMany();
	await benchDownload();
}

runBenchmark(module, main, serveFake);
