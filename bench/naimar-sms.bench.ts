/**
 * 10,000 SMS ids, four ways, in one run against the Naimar SMS fake (in its own process):
 *  - this package's Naimar SMS node: all ids in batches of 100, 4 requests in flight;
 *  - the floor (bench/BenchFloor.node.ts): the same batches through bare helpers.httpRequest;
 *  - n8n's HTTP Request node 4.2 as a user would build it today: 10,000 items, one POST per id;
 *  - a raw undici client (keep-alive Pool, 4 connections) sending the same 100 batches.
 *
 *   npm run build && npx tsc -p tsconfig.tools.json && node .build/bench/naimar-sms.bench.js
 *
 * Prints the node's time as a ratio of each baseline's; asserts nothing about time.
 */
import { Pool } from 'undici';

import { mapWithConcurrency } from '../nodes/shared/transport/limiter';
import { chunk } from '../nodes/NaimarSms/helpers/reportBatches';
import { usePackageRoot } from '../test/harness/node-types';
import { DELIVERY_PATH, SANDBOX_CREDENTIALS, startNaimarSmsFake } from '../test/fakes/naimar-sms';
import { floorType, FLOOR_TYPE } from './BenchFloor.node';
import { executeNode } from './engine-runner';
import { measureJob, runBenchmark, scaled, serveFakeInChild, startFakeInChild } from './lib';
import { repoRoot, runHttpRequestNode } from './http-request-node';
import { recordJob, type JobResult } from './results';

const IDS = scaled(10_000);
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

export async function main(): Promise<void> {
	usePackageRoot(repoRoot());
	const { child, ready } = await startFakeInChild<Ready>(__filename);
	const { url: baseUrl, ids } = ready;
	const login = { username: SANDBOX_CREDENTIALS.username, password: SANDBOX_CREDENTIALS.password };
	const items = ids.map((id) => ({ id }));
	const credentials = { bench: { type: 'naimarSmsApi', data: { ...login, baseUrl } } };
	const options = { batchSize: BATCH_SIZE, concurrency: IN_FLIGHT };
	const expectReports = (count: number, who: string) => {
		if (count !== IDS) throw new Error(`${who} returned ${count} reports, expected ${IDS}`);
	};

	const theNode = async () => {
		const result = await executeNode({
			type: 'naimarSms',
			parameters: { resource: 'deliveryReport', operation: 'get', messageIds: '={{ $json.id }}', options },
			nodeCredentials: { naimarSmsApi: 'bench' },
			credentials,
			items,
		});
		if (result.error) throw result.error;
		expectReports(result.items.length, 'the Naimar SMS node');
	};
	const floor = async () => {
		const result = await executeNode(
			{ type: FLOOR_TYPE, parameters: { job: 'naimarGet', messageIds: '={{ $json.id }}', options }, nodeCredentials: { naimarSmsApi: 'bench' }, credentials, items },
			[floorType],
		);
		if (result.error) throw result.error;
		expectReports(result.items.length, 'the floor');
	};
	const httpRequest = async () => {
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
		expectReports(result.items.length, 'the HTTP Request node');
	};
	const raw = async () => {
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
				return ((await response.body.json()) as { delivery: unknown[] }).delivery;
			});
			expectReports(answers.flat().length, 'the raw client');
		} finally {
			await pool.close();
		}
	};

	try {
		// Warm-up: loads the package and the engine once, outside the measurements.
		await theNode();
		await floor();
		const result: JobResult = {
			benchmark: 'Naimar SMS',
			job: `Get delivery reports, ${IDS.toLocaleString('en')} ids (batches of ${BATCH_SIZE}, ${IN_FLIGHT} in flight)`,
			where: 'engine',
			node: await measureJob(child, theNode),
			floor: await measureJob(child, floor),
			httpRequest: await measureJob(child, httpRequest),
			raw: await measureJob(child, raw),
			note: 'HTTP Request node: one POST per id, as a user builds it',
		};
		recordJob(result);
	} finally {
		child.send('stop');
	}
}

runBenchmark(module, main, serveFake);
