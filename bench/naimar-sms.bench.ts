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
import { DEFAULT_CONCURRENCY } from '../nodes/shared/description/options';
import { chunk } from '../nodes/NaimarSms/helpers/reportBatches';
import { usePackageRoot } from '../test/harness/node-types';
import { DELIVERY_PATH, SANDBOX_CREDENTIALS, startNaimarSmsFake } from '../test/fakes/naimar-sms';
import { jobs, type Contender } from './jobs';
import { measureContenders, runBenchmark, scaled, serveFakeInChild, startFakeInChild } from './lib';
import { repoRoot, runContender } from './http-request-node';
import { recordJob, type JobResult } from './results';

const IDS = scaled(10_000);
const BATCH_SIZE = 100;
const IN_FLIGHT = DEFAULT_CONCURRENCY;

interface Ready {
	url: string;
	ids: string[];
}

async function serveFake(): Promise<void> {
	const fake = await startNaimarSmsFake();
	const ids = fake.seedReports(IDS);
	const ready: Ready = { url: fake.baseUrl, ids };
	serveFakeInChild({
		ready,
		server: fake.server,
		countedPath: DELIVERY_PATH,
		close: () => fake.close(),
	});
}

export async function main(): Promise<void> {
	usePackageRoot(repoRoot());
	const { child, ready } = await startFakeInChild<Ready>(__filename);
	const { url: baseUrl, ids } = ready;
	const login = { username: SANDBOX_CREDENTIALS.username, password: SANDBOX_CREDENTIALS.password };
	const items = ids.map((id) => ({ id }));
	const credentials = { bench: { type: 'naimarSmsApi', data: { ...login, baseUrl } } };
	const expectReports = (count: number, who: string) => {
		if (count !== IDS) throw new Error(`${who} returned ${count} reports, expected ${IDS}`);
	};

	const spec = jobs.naimarGet(baseUrl, IDS, IN_FLIGHT);
	const run = (contender: Contender, who: string) => async () =>
		expectReports(
			(await runContender(contender, spec.credentialType, credentials, items)).length,
			who,
		);
	const theNode = run(spec.node, 'the Naimar SMS node');
	const floor = run(spec.floor, 'the floor');
	const floorAuth = run(spec.floorAuth, "the floor via n8n's authentication");
	const httpRequest = run(spec.httpRequest!, 'the HTTP Request node');
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
		const result: JobResult = {
			benchmark: spec.benchmark,
			job: spec.job,
			where: 'engine',
			...(await measureContenders(child, {
				node: theNode,
				floor,
				floorAuth,
				httpRequest,
				raw,
			})),
			note: spec.note,
		};
		recordJob(result);
		// What n8n's getNodeParameter costs before the first request: it evaluates Message IDs for every item.
		const reading = {
			...spec.floor,
			parameters: { job: 'readParameters', messageIds: '={{ $json.id }}' },
		};
		recordJob({
			benchmark: spec.benchmark,
			job: `n8n's getNodeParameter reading Message IDs of ${IDS.toLocaleString('en')} items, no request (what the node and the floor no longer pay: they read {{ $json.id }} directly)`,
			where: 'engine',
			...(await measureContenders(child, {
				node: async () => {
					const out = await runContender(reading, spec.credentialType, credentials, items);
					if (out[0]?.json.read !== IDS)
						throw new Error('the parameter reader did not read every item');
				},
			})),
			note: 'no node of this package: what n8n costs reading one parameter per item',
		});
	} finally {
		child.send('stop');
	}
}

runBenchmark(module, main, serveFake);
