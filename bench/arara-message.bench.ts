/**
 * Return All over 50,000 Arara Message deliveries reserved in one month (12.5× the API's 4,000
 * cap), in one run against the Arara fake (in its own process):
 *  - this package's Arara Message node (Get Many, Return All): one query for the month, then
 *    windows split by `total`, 4 requests in flight, merged by id in send-time order;
 *  - a raw undici client (keep-alive Pool, 4 connections) that already knows the perfect split:
 *    the fewest windows of ≤ 4,000 deliveries (found from the fake's own data), i.e. the minimal
 *    number of requests any client needs. It merges and sorts the same way.
 *
 *   npm run build && npx tsc -p tsconfig.tools.json && node .build/bench/arara-message.bench.js
 *
 * Prints times and request counts (token requests included) as ratios of the raw client's.
 */
import type { ChildProcess } from 'node:child_process';

import { Pool } from 'undici';

import { mapWithConcurrency } from '../nodes/shared/limiter';
import { runNode } from '../test/harness/engine';
import { usePackageRoot } from '../test/harness/node-types';
import { STATUS_CAP, japanMinute, startAraraMessageFake } from '../test/fakes/arara-message';
import { formatBytes, printRatios, runBenchmark, serveFakeInChild, startFakeInChild, takeRequestCount, timeIt, withPeakMemory, type Measurement } from './lib';
import { repoRoot } from './http-request-node';

const DELIVERIES = 50_000;
const IN_FLIGHT = 4;
const MINUTE = 60_000;
// May 2024 in Japan time.
const FROM = Date.UTC(2024, 3, 30, 15, 0);
const TO = Date.UTC(2024, 4, 31, 15, 0);

interface Ready {
	url: string;
	credentials: { host: string; clientId: string; clientSecret: string };
	/** The perfect split: fewest [from, to) minute windows holding ≤ 4,000 deliveries each. */
	windows: Array<[number, number]>;
}

async function serveFake(): Promise<void> {
	const fake = await startAraraMessageFake();
	fake.seed(DELIVERIES, FROM, TO, 11);
	const perMinute = new Map<number, number>();
	for (const delivery of fake.store.all()) {
		const minute = Math.floor(delivery.reservedAt / MINUTE) * MINUTE;
		perMinute.set(minute, (perMinute.get(minute) ?? 0) + 1);
	}
	const windows: Array<[number, number]> = [];
	let start = FROM;
	let count = 0;
	for (let minute = FROM; minute < TO; minute += MINUTE) {
		const here = perMinute.get(minute) ?? 0;
		if (count + here > STATUS_CAP) {
			windows.push([start, minute]);
			start = minute;
			count = 0;
		}
		count += here;
	}
	windows.push([start, TO]);
	const ready: Ready = { url: fake.url, credentials: fake.credentials, windows };
	serveFakeInChild({ ready, server: fake.server, close: () => fake.close() });
}

async function measure(name: string, child: ChildProcess, job: () => Promise<number>): Promise<Measurement> {
	const { ms, result } = await timeIt(() => withPeakMemory(job));
	const requests = await takeRequestCount(child);
	return {
		name,
		ms,
		requests,
		peakBytes: result.peakHeapBytes,
		note: `${result.result.toLocaleString('en')} deliveries out, peak heap +${formatBytes(result.peakHeapBytes)}`,
	};
}

type Delivery = Record<string, unknown> & { settings?: { send_time?: string } };

async function rawClient(ready: Ready): Promise<number> {
	const pool = new Pool(ready.url, { connections: IN_FLIGHT });
	try {
		const basic = Buffer.from(`${ready.credentials.clientId}:${ready.credentials.clientSecret}`).toString('base64');
		const tokenAnswer = await pool.request({
			method: 'POST',
			path: '/oauth2/token',
			headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
			body: 'grant_type=client_credentials',
		});
		const { access_token: token } = (await tokenAnswer.body.json()) as { access_token: string };
		const pages = await mapWithConcurrency(ready.windows, IN_FLIGHT, async ([from, to]) => {
			const query = new URLSearchParams({ timemin: japanMinute(from), timemax: japanMinute(to) });
			const answer = await pool.request({ method: 'GET', path: `/send?${query}`, headers: { authorization: `Bearer ${token}` } });
			const body = (await answer.body.json()) as { items: Delivery[]; count: number; total: number };
			if (body.total > body.count) throw new Error('the perfect split is not perfect');
			return body.items;
		});
		const byId = new Map<string, Delivery>();
		for (const item of pages.flat()) {
			const { deliver_id: deliverId, ...rest } = item;
			const id = String(item.delivery_id ?? deliverId);
			byId.set(id, { delivery_id: id, ...rest });
		}
		const sorted = [...byId.values()].sort(
			(a, b) => Date.parse(String(a.settings?.send_time)) - Date.parse(String(b.settings?.send_time)),
		);
		return sorted.length;
	} finally {
		await pool.close();
	}
}

export async function main(): Promise<void> {
	usePackageRoot(repoRoot());
	const { child, ready } = await startFakeInChild<Ready>(__filename);
	const rows: Measurement[] = [];
	try {
		const credentials = {
			'Arara bench': { type: 'araraMessageOAuth2Api', data: { ...ready.credentials } },
		};
		const runTheNode = async () => {
			const { items, error } = await runNode({
				node: {
					type: 'araraMessage',
					parameters: {
						resource: 'delivery',
						operation: 'getAll',
						timeMin: '2024-05-01T00:00:00+09:00',
						timeMax: '2024-06-01T00:00:00+09:00',
						returnAll: true,
						options: { concurrency: IN_FLIGHT },
					},
					credentials: { araraMessageOAuth2Api: 'Arara bench' },
				},
				input: [{}],
				credentials,
			});
			if (error) throw error;
			return items.length;
		};
		// Warm-up: loads the package and the engine once, outside the measurements.
		await rawClient(ready);
		await runTheNode();
		await takeRequestCount(child);

		rows.push(await measure(`raw undici, perfect split (${ready.windows.length} windows), ${IN_FLIGHT} connections`, child, () => rawClient(ready)));
		rows.push(await measure(`Arara Message node, Return All, ${IN_FLIGHT} in flight`, child, runTheNode));
	} finally {
		child.send('stop');
	}
	printRatios(
		`Arara Message: Return All over ${DELIVERIES.toLocaleString('en')} deliveries in one month (cap ${STATUS_CAP} per query)`,
		rows,
		rows[0].name,
	);
}

runBenchmark(module, main, serveFake);
