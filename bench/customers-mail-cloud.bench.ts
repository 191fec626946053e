/**
 * Customers Mail Cloud, in one run against its fake (in its own process, so the server's work
 * and memory do not count as the client's). Every job is done by this package's node, by the floor
 * (bench/BenchFloor.node.ts: the same requests through bare helpers.httpRequest), by n8n's HTTP
 * Request node where a user would use it, and by a raw undici client (keep-alive Pool, the same
 * requests at the same concurrency):
 *  1. Get Many, Return All over 100,000 blocks (1,001 pages, 4 in flight), on loopback and with
 *     10 ms added to every answer (a remote API's round trip).
 *  2. Unblock Once and Unblock Permanently of 1,000 addresses (one request per address, the
 *     per-item default in flight; the HTTP Request node starts them all at once), on loopback and
 *     with 10 ms.
 *  3. The trigger: one poll with nothing new over 10,000 known blocks (New Block), and one over
 *     100,000 lifted blocks (Block Removed, which must read the whole list).
 *  4. Delivery → Get Many, Return All over a busy day of 100,000 records (1,001 pages), against
 *     the HTTP Request node with its Pagination option (p = $pageCount until a short page).
 *  5. Download → One Item per Block for 1,000,000 rows: peak memory of the node's run against the
 *     items' own size (heap they hold once the run is over).
 *
 *   npm run build && npm run build:tools && node .build/bench/customers-mail-cloud.bench.js
 *
 * Prints ratios from this one run; asserts nothing about time.
 */
import type { ChildProcess } from 'node:child_process';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { Pool } from 'undici';

import { mapWithConcurrency } from '../nodes/shared/transport/limiter';
import { DEFAULT_CONCURRENCY, DEFAULT_ITEM_CONCURRENCY } from '../nodes/shared/description/options';
import { fetchPagesUntilShort } from '../nodes/shared/transport/paging';
import { runNode } from '../test/harness/engine';
import { usePackageRoot } from '../test/harness/node-types';
import {
	SANDBOX_CREDENTIALS,
	startCustomersMailCloudFake,
} from '../test/fakes/customers-mail-cloud';
import { floorType, FLOOR_TYPE } from './BenchFloor.node';
import { jobs, type Contender, type JobSpec } from './jobs';
import { pollNode } from './engine-runner';
import {
	askFake,
	formatBytes,
	measureContenders,
	scaled,
	runBenchmark,
	serveFakeInChild,
	startFakeInChild,
	withPeakMemory,
} from './lib';
import { repoRoot, runContender } from './http-request-node';
import { recordJob } from './results';

const LIST_BLOCKS = scaled(100_000);
const DOWNLOAD_ROWS = scaled(1_000_000);
const UNBLOCKS = scaled(1_000);
const KNOWN_NEW_BLOCKS = scaled(10_000);
const REMOVED_BLOCKS = scaled(100_000);
const DELIVERY_RECORDS = scaled(100_000);
/** The busy day the deliveries are listed for. */
export const BUSY_DAY = '2024-05-01';
const PAGE = 100;
const IN_FLIGHT = DEFAULT_CONCURRENCY;
/** Unblocking is one request per address: the per-item default in flight. */
const ITEM_IN_FLIGHT = DEFAULT_ITEM_CONCURRENCY;
const LATENCY_MS = 10;
/** The trigger watches its own composition, so the other jobs' blocks do not change what it reads. */
const WATCHED = 'watchcomp';
/** Addresses to unblock live in their own composition, so lists elsewhere do not change while they go. */
export const UNBLOCKED = 'unblockcomp';
const BENCHMARK = 'Customers Mail Cloud';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** The fake seeded with `count` blocks; besides counting requests it takes "latency:<ms>" for every answer. */
async function serveFake([count]: string[]): Promise<void> {
	const fake = await startCustomersMailCloudFake();
	fake.seed(Number(count), { seed: 1 });
	let serial = 2;
	serveFakeInChild({
		ready: { url: fake.url },
		server: fake.server,
		close: () => fake.close(),
		answer(message) {
			if (message.startsWith('block:')) {
				// Fresh addresses to unblock: every contender lifts blocks of its own.
				if (serial === 2) fake.addComposition(UNBLOCKED);
				const blocks = fake.seed(Number(message.slice('block:'.length)), {
					composition: UNBLOCKED,
					seed: serial,
					prefix: `u${serial++}`,
				});
				return { emails: blocks.map((block) => block.email) };
			}
			if (message === 'deliveries') {
				// A busy day: mails every half second on average, ~2.1 records each, topped up to the exact count.
				const mails = Math.floor(DELIVERY_RECORDS / 2.2);
				fake.seedDeliveries(mails, {
					from: new Date(`${BUSY_DAY}T00:00:00Z`),
					spacingSeconds: 1,
					prefix: 'busy',
				});
				let onDay = fake
					.deliveries()
					.filter((record) => record.created.startsWith(BUSY_DAY)).length;
				while (onDay < DELIVERY_RECORDS) {
					fake.addDelivery({
						created: `${BUSY_DAY} 23:59:59`,
						to: `late${onDay}@example.com`,
						status: onDay % 2 ? 'succeeded' : 'queued',
					});
					onDay++;
				}
				return { records: onDay };
			}
			if (message === 'watch') {
				fake.addComposition(WATCHED);
				fake.seed(KNOWN_NEW_BLOCKS, {
					composition: WATCHED,
					from: new Date(Date.now() - 12 * 3_600_000),
					spacingSeconds: 4,
					prefix: 'w',
				});
				fake.seed(REMOVED_BLOCKS, { composition: WATCHED, removed: true, prefix: 'r' });
				return { watch: WATCHED };
			}
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

const CREDENTIAL = 'cmc';
const credentials = (url: string) => ({
	[CREDENTIAL]: { type: 'customersMailCloudApi', data: { ...SANDBOX_CREDENTIALS, host: url } },
});
const nodeCredentials = { customersMailCloudApi: CREDENTIAL };

async function runCmc(url: string, parameters: Record<string, unknown>) {
	return await runNode({
		node: {
			type: 'customersMailCloud',
			parameters: { resource: 'block', ...parameters },
			credentials: nodeCredentials,
		},
		input: [{}],
		credentials: credentials(url),
	});
}

function check(count: number, expected: number, who: string): void {
	if (count !== expected) throw new Error(`${who} returned ${count} items, expected ${expected}`);
}

const listForm = (page: number, extra: Record<string, string> = {}) =>
	new URLSearchParams({
		api_user: SANDBOX_CREDENTIALS.apiUser,
		api_key: SANDBOX_CREDENTIALS.apiKey,
		server_composition: SANDBOX_CREDENTIALS.serverComposition,
		...extra,
		p: String(page),
		r: String(PAGE),
	}).toString();

/** Raw undici: the same pages in the same order and concurrency as the node (slow start, until a short page). */
/** A list's records through a raw client: Return All, page after page until a short one. */
async function rawRecords(
	url: string,
	list: 'blocks' | 'deliveries',
	extra: Record<string, string> = {},
): Promise<IDataObject[]> {
	const pool = new Pool(url, { connections: IN_FLIGHT });
	try {
		const pages = await fetchPagesUntilShort(
			{ pageSize: PAGE, concurrency: IN_FLIGHT },
			async (page) => {
				const response = await pool.request({
					method: 'POST',
					path: `/transaction/v2/${list}/list.json`,
					headers: { 'content-type': 'application/x-www-form-urlencoded' },
					body: listForm(page, extra),
				});
				return ((await response.body.json()) as Record<string, IDataObject[]>)[list];
			},
		);
		return pages.flat();
	} finally {
		await pool.close();
	}
}

const run = (spec: JobSpec, contender: Contender, url: string, items: IDataObject[] = [{}]) =>
	runContender(contender, spec.credentialType, credentials(url), items);

/** The node and both floors over a list, each checked to output every record. */
function listContenders(spec: JobSpec, url: string, records: number) {
	return {
		node: async () => check((await run(spec, spec.node, url)).length, records, 'the node'),
		floor: async () => check((await run(spec, spec.floor, url)).length, records, 'the floor'),
		floorAuth: async () =>
			check(
				(await run(spec, spec.floorAuth, url)).length,
				records,
				"the floor via n8n's authentication",
			),
	};
}

async function benchGetMany(child: ChildProcess, url: string, suffix: string): Promise<void> {
	const spec = jobs.cmcList(LIST_BLOCKS, IN_FLIGHT);
	recordJob({
		benchmark: spec.benchmark,
		job: spec.job + suffix,
		where: 'engine',
		...(await measureContenders(child, {
			...listContenders(spec, url, LIST_BLOCKS),
			raw: async () =>
				check((await rawRecords(url, 'blocks')).length, LIST_BLOCKS, 'the raw client'),
		})),
		note: spec.note,
	});
}

/** Delivery → Get Many over a busy day: every record of the day, page after page. */
async function benchDeliveries(child: ChildProcess, url: string, suffix: string): Promise<void> {
	const records = (await askFake<{ records: number }>(child, 'deliveries')).records;
	const spec = jobs.cmcDeliveries(url, BUSY_DAY, records, IN_FLIGHT);
	// The HTTP Request node outputs one item per page: the records are in each page's `deliveries`.
	const recordsIn = (items: INodeExecutionData[]) =>
		items.reduce(
			(sum, item) => sum + ((item.json.deliveries as unknown[] | undefined)?.length ?? 0),
			0,
		);
	recordJob({
		benchmark: spec.benchmark,
		job: spec.job + suffix,
		where: 'engine',
		...(await measureContenders(child, {
			...listContenders(spec, url, records),
			httpRequest: async () =>
				check(recordsIn(await run(spec, spec.httpRequest!, url)), records, 'the HTTP Request node'),
			raw: async () =>
				check(
					(await rawRecords(url, 'deliveries', { date: BUSY_DAY })).length,
					records,
					'the raw client',
				),
		})),
		note: spec.note,
	});
}

async function benchUnblock(
	child: ChildProcess,
	url: string,
	kind: 'cancel' | 'delete',
	suffix: string,
): Promise<void> {
	const spec = jobs.cmcUnblock(url, kind, UNBLOCKED, UNBLOCKS, ITEM_IN_FLIGHT);
	const fresh = async () =>
		(await askFake<{ emails: string[] }>(child, `block:${UNBLOCKS}`)).emails.map((email) => ({
			email,
		}));
	const succeeded = (items: INodeExecutionData[], field: 'result' | 'message', who: string) =>
		check(items.filter((item) => item.json[field] === 'success').length, UNBLOCKS, who);
	const raw = async (items: Array<{ email: string }>) => {
		const pool = new Pool(url, { connections: ITEM_IN_FLIGHT });
		try {
			const answers = await mapWithConcurrency(items, ITEM_IN_FLIGHT, async ({ email }) => {
				const response = await pool.request({
					method: 'POST',
					path: `/transaction/v2/blocks/${kind}.json`,
					headers: { 'content-type': 'application/x-www-form-urlencoded' },
					body: new URLSearchParams({
						api_user: SANDBOX_CREDENTIALS.apiUser,
						api_key: SANDBOX_CREDENTIALS.apiKey,
						server_composition: UNBLOCKED,
						email,
					}).toString(),
				});
				return ((await response.body.json()) as { message?: string }).message;
			});
			check(answers.filter((message) => message === 'success').length, UNBLOCKS, 'the raw client');
		} finally {
			await pool.close();
		}
	};
	/** Every run unblocks addresses blocked for it, untimed, just before. */
	const onFresh = (job: (items: Array<{ email: string }>) => Promise<unknown>) => ({
		fresh: async () => {
			const items = await fresh();
			return () => job(items);
		},
	});
	const contender =
		(role: 'node' | 'floor' | 'floorAuth', who: string) => async (items: IDataObject[]) =>
			succeeded(await run(spec, spec[role], url, items), 'result', who);
	recordJob({
		benchmark: spec.benchmark,
		job: spec.job + suffix,
		where: 'engine',
		...(await measureContenders(child, {
			node: onFresh(contender('node', 'the node')),
			floor: onFresh(contender('floor', 'the floor')),
			floorAuth: onFresh(contender('floorAuth', "the floor via n8n's authentication")),
			httpRequest: onFresh(async (items) =>
				succeeded(
					await run(spec, spec.httpRequest!, url, items),
					'message',
					'the HTTP Request node',
				),
			),
			raw: onFresh(raw),
		})),
		note: spec.note,
	});
}

async function benchTrigger(child: ChildProcess, url: string): Promise<void> {
	await askFake(child, 'watch');
	const store = credentials(url);
	for (const event of ['newBlock', 'blockRemoved'] as const) {
		const known = event === 'newBlock' ? KNOWN_NEW_BLOCKS : REMOVED_BLOCKS;
		// Minimum Poll Interval 0: every poll of the benchmark polls (the default paces polls to one an hour).
		const parameters = {
			event,
			serverComposition: WATCHED,
			filters: {},
			options: { minPollInterval: 0 },
		};
		const nodeStatic = {};
		const floorStatic = {};
		const floorAuthStatic = {};
		const poll = (staticData: object) => async () => {
			const { items } = await pollNode({
				type: 'customersMailCloudTrigger',
				parameters,
				nodeCredentials,
				credentials: store,
				staticData: staticData as never,
			});
			if (items) throw new Error(`the trigger found ${items.length} new entries, expected none`);
		};
		const pollFloor =
			(staticData: object, viaAuthentication = false) =>
			async () => {
				const { items } = await pollNode(
					{
						type: FLOOR_TYPE,
						parameters: { job: 'cmcWatch', ...parameters, viaAuthentication },
						nodeCredentials,
						credentials: store,
						staticData: staticData as never,
					},
					[floorType],
				);
				if (items) throw new Error(`the floor found ${items.length} new entries, expected none`);
			};
		// The first poll only records what is there; the second one is what every later poll costs.
		await poll(nodeStatic)();
		await pollFloor(floorStatic)();
		await pollFloor(floorAuthStatic, true)();
		const startDate = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
		const extra: Record<string, string> =
			event === 'newBlock' ? { start_date: startDate } : { removed: 'true' };
		const rawPoll = async () => {
			const blocks = await rawRecords(url, 'blocks', { ...extra, server_composition: WATCHED });
			check(new Set(blocks.map((block) => block.id)).size, known, 'the raw client');
		};
		recordJob({
			benchmark: BENCHMARK,
			job:
				event === 'newBlock'
					? `Trigger, New Block: one poll with nothing new over ${known.toLocaleString('en')} known blocks`
					: `Trigger, Block Removed: one poll over ${known.toLocaleString('en')} lifted blocks`,
			where: 'engine',
			...(await measureContenders(child, {
				node: poll(nodeStatic),
				floor: pollFloor(floorStatic),
				floorAuth: pollFloor(floorAuthStatic, true),
				raw: rawPoll,
			})),
			note: 'the poll itself (any Minimum Poll Interval decides how often it runs)',
		});
	}
}

async function benchRequests(): Promise<void> {
	const { child, url } = await startFake(LIST_BLOCKS);
	try {
		await runCmc(url, { operation: 'getAll', returnAll: false, limit: 1 }); // warm-up: load the package
		await benchGetMany(child, url, ', loopback');
		await benchUnblock(child, url, 'cancel', ', loopback');
		await benchUnblock(child, url, 'delete', ', loopback');
		await benchTrigger(child, url);
		await benchDeliveries(child, url, ', loopback');
		// A real API is a network round trip away: what requests in flight are for.
		await askFake(child, `latency:${LATENCY_MS}`);
		await benchGetMany(child, url, `, ${LATENCY_MS} ms per answer`);
		await benchUnblock(child, url, 'cancel', `, ${LATENCY_MS} ms per answer`);
		await benchUnblock(child, url, 'delete', `, ${LATENCY_MS} ms per answer`);
		await askFake(child, 'latency:0');
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
		const started = process.hrtime.bigint();
		const measured = {
			...(await withPeakMemory(() => runCmc(url, { operation: 'download', output: 'items' }))),
			ms: 0,
		};
		measured.ms = Number(process.hrtime.bigint() - started) / 1e6;
		const result = measured.result;
		if (result.error) throw result.error;
		gc();
		const holding = process.memoryUsage().heapUsed;
		const count = result.items.length;
		const sample =
			JSON.stringify(result.items.slice(0, 1000).map((item) => item.json)).length / 1000;
		(measured as { result: unknown }).result = undefined;
		result.items.length = 0;
		result.run.data.resultData.runData = {};
		gc();
		const itemsBytes = holding - process.memoryUsage().heapUsed;
		console.log(
			`\nDownload → One Item per Block, ${count.toLocaleString('en')} rows (ZIP ${formatBytes(zipBytes)}, CSV ≈ ${formatBytes(sample * count)} as JSON)`,
		);
		console.log("| measure | bytes | × items' own size |");
		console.log('| --- | --- | --- |');
		console.log(
			`| items' own size (heap they hold after the run) | ${formatBytes(itemsBytes)} | 1.00 |`,
		);
		console.log(
			`| peak heap + array buffers during the run | ${formatBytes(measured.peakHeapBytes)} | ${(measured.peakHeapBytes / itemsBytes).toFixed(2)} |`,
		);
		console.log(
			`| peak RSS during the run | ${formatBytes(measured.peakRssBytes)} | ${(measured.peakRssBytes / itemsBytes).toFixed(2)} |`,
		);
		console.log(`(heap before the run: ${formatBytes(before.heapUsed)}; ratios from this one run)`);
		recordJob({
			benchmark: BENCHMARK,
			job: `Download → One Item per Block, ${count.toLocaleString('en')} rows (ZIP ${formatBytes(zipBytes)}): peak memory`,
			where: 'engine',
			node: { ms: measured.ms, peakBytes: measured.peakHeapBytes, requests: 1 },
			memoryBaseline: { label: "the items' own size", bytes: itemsBytes },
			note: `peak RSS +${formatBytes(measured.peakRssBytes)}`,
		});
	} finally {
		child.send('stop');
	}
}

export async function main(): Promise<void> {
	usePackageRoot(repoRoot());
	await benchRequests();
	await benchDownload();
}

runBenchmark(module, main, serveFake);
