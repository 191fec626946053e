/**
 * 10,000 SMS ids, three ways, in one run against the Naimar SMS fake (in its own process):
 *  - this package's Naimar SMS node: all ids in batches of 100, 4 requests in flight;
 *  - n8n's HTTP Request node 4.2 as a user would build it today: 10,000 items, one POST per id;
 *  - a raw undici client (keep-alive Pool, 4 connections) sending the same 100 batches: the floor.
 *
 *   npm run build && npx tsc -p tsconfig.tools.json && node .build/bench/naimar-sms.bench.js
 *
 * Prints times and request counts as ratios of the HTTP Request node's; asserts nothing about time.
 */
import type { ChildProcess } from 'node:child_process';

import { Pool } from 'undici';

import { mapWithConcurrency } from '../nodes/shared/limiter';
import { chunk } from '../nodes/NaimarSms/helpers/reportBatches';
import { runNode } from '../test/harness/engine';
import { usePackageRoot } from '../test/harness/node-types';
import { DELIVERY_PATH, SANDBOX_CREDENTIALS, startNaimarSmsFake } from '../test/fakes/naimar-sms';
import { formatBytes, printRatios, runBenchmark, serveFakeInChild, startFakeInChild, takeRequestCount, timeIt, withPeakMemory, type Measurement } from './lib';
import { repoRoot, runHttpRequestNode } from './http-request-node';

const IDS = 10_000;
const BATCH_SIZE = 100;
const IN_FLIGHT = 4;

interface Ready {
	url: string;
	ids: string[];
}

async function serveFake(): Promise<void> {
	const fake = await startNaimarSmsFake();
	const ids = fake.seedReports(IDS);
	const ready: Ready = { url: fake.baseUrl, ids };
	serveFakeInChild({ ready, server: fake.server, countedPath: DELIVERY_PATH, close: () => fake.close() });
}

async function measure(
	name: string,
	child: ChildProcess,
	job: () => Promise<{ outputs: number; delivered: number }>,
): Promise<Measurement> {
	const { ms, result } = await timeIt(() => withPeakMemory(job));
	const requests = await takeRequestCount(child);
	const { outputs, delivered } = result.result;
	return {
		name,
		ms,
		requests,
		peakBytes: result.peakHeapBytes,
		note: `${outputs} items, ${delivered} delivered, peak heap +${formatBytes(result.peakHeapBytes)}`,
	};
}

export async function main(): Promise<void> {
	usePackageRoot(repoRoot());
	const { child, ready } = await startFakeInChild<Ready>(__filename);
	const { url: baseUrl, ids } = ready;
	const login = { username: SANDBOX_CREDENTIALS.username, password: SANDBOX_CREDENTIALS.password };
	const items = ids.map((id) => ({ id }));
	const countDelivered = (json: Array<{ status?: unknown }>) => json.filter((entry) => entry.status === 'delivered').length;
	const rows: Measurement[] = [];

	try {
		rows.push(
			await measure('HTTP Request node 4.2, one request per id', child, async () => {
				const result = await runHttpRequestNode({
					items,
					parameters: {
						method: 'POST',
						url: `${baseUrl}/rest/delivery/json/`,
						sendBody: true,
						contentType: 'json',
						specifyBody: 'json',
						jsonBody: `={{ JSON.stringify({ username: ${JSON.stringify(login.username)}, password: ${JSON.stringify(login.password)}, deliveries: [{ id: $json.id }] }) }}`,
						options: {},
					},
				});
				if (result.error) throw result.error;
				const reports = result.items.flatMap((item) => (item.json.delivery as Array<{ status?: unknown }>) ?? []);
				return { outputs: result.items.length, delivered: countDelivered(reports) };
			}),
		);

		rows.push(
			await measure(`Naimar SMS node, batches of ${BATCH_SIZE}, ${IN_FLIGHT} in flight`, child, async () => {
				const result = await runNode({
					node: {
						type: 'naimarSms',
						parameters: {
							resource: 'deliveryReport',
							operation: 'get',
							messageIds: '={{ $json.id }}',
							options: { batchSize: BATCH_SIZE, concurrency: IN_FLIGHT },
						},
						credentials: { naimarSmsApi: 'bench' },
					},
					input: items,
					credentials: { bench: { type: 'naimarSmsApi', data: { ...login, baseUrl } } },
				});
				if (result.error) throw result.error;
				return { outputs: result.items.length, delivered: countDelivered(result.items.map((item) => item.json)) };
			}),
		);

		rows.push(
			await measure(`raw undici Pool (keep-alive), same batches, ${IN_FLIGHT} in flight`, child, async () => {
				const origin = new URL(baseUrl).origin;
				const pool = new Pool(origin, { connections: IN_FLIGHT });
				try {
					const answers = await mapWithConcurrency(chunk(ids, BATCH_SIZE), IN_FLIGHT, async (batch) => {
						const response = await pool.request({
							method: 'POST',
							path: DELIVERY_PATH,
							headers: { 'content-type': 'application/json' },
							body: JSON.stringify({ ...login, deliveries: batch.map((id) => ({ id })) }),
						});
						return ((await response.body.json()) as { delivery: Array<{ status?: unknown }> }).delivery;
					});
					const reports = answers.flat();
					return { outputs: reports.length, delivered: countDelivered(reports) };
				} finally {
					await pool.close();
				}
			}),
		);
	} finally {
		child.send('stop');
	}

	printRatios(`Naimar SMS: delivery reports for ${IDS.toLocaleString('en')} ids`, rows, rows[0].name);
}

runBenchmark(module, main, serveFake);
