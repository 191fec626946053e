/**
 * This package in n8n's queue mode, for real: Redis + a throwaway Postgres, one main
 * (EXECUTIONS_MODE=queue, manual runs offloaded) and two `n8n worker` processes, each with the
 * package installed as users install it (see queue.ts). Against the fakes:
 *  1. one workflow per node, run through the main's REST API: the items come from the workers;
 *  2. the Arara OAuth2 token is fetched once, then reused by both workers and every execution;
 *  3. the CMC and Arara polling triggers and the Naimar webhook trigger, active on the main: each
 *     event starts exactly one execution (counted in Postgres), run by a worker;
 *  4. a worker killed in the middle of a long Return All: n8n marks the execution failed (stalled
 *     job, not retried); the side effect before it happened once; the other worker carries on.
 * One cluster for the whole file; stopped and deleted in afterAll, also when a test fails.
 */
import { startAraraMessageFake, type AraraFake } from '../fakes/arara-message';
import {
	startCustomersMailCloudFake,
	type CustomersMailCloudFake,
} from '../fakes/customers-mail-cloud';
import { startNaimarSmsFake, type NaimarSmsFake } from '../fakes/naimar-sms';
import {
	MANUAL_START,
	PACKAGE_PREFIX,
	packageNode,
	randomId,
	type CredentialFixture,
	type WorkflowJson,
} from './n8n';
import { everyMinuteTriggers, triggerWorkflow } from './polling-triggers';
import { QueueCluster, idempotent } from './queue';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let cmc: CustomersMailCloudFake;
let naimar: NaimarSmsFake;
let arara: AraraFake;
let cluster: QueueCluster;

const cmcCredential: CredentialFixture = {
	id: randomId('cr'),
	name: 'CMC (fake)',
	type: 'customersMailCloudApi',
	data: {},
};
const naimarCredential: CredentialFixture = {
	id: randomId('cr'),
	name: 'Naimar SMS (fake)',
	type: 'naimarSmsApi',
	data: {},
};
const araraCredential: CredentialFixture = {
	id: randomId('cr'),
	name: 'Arara Message (fake)',
	type: 'araraMessageOAuth2Api',
	data: {},
};
const pushCredential: CredentialFixture = {
	id: randomId('cr'),
	name: 'Naimar SMS Push (queue)',
	type: 'naimarSmsPushApi',
	data: { sharedSecret: 'queue-push-secret-0123' },
};

const MAY_START = Date.UTC(2024, 3, 30, 15, 0);
const MAY_END = Date.UTC(2024, 4, 31, 15, 0);
const WEBHOOK_ID = '0d6c3f0e-7a51-4c52-9f1b-2a7e5d4c9b11';
const PUSH_SECRET = 'queue-push-secret-0123';
const LONG_COMPOSITION = 'longcomp';
const LONG_BLOCKS = 3_000;

const chain = (...names: string[]) =>
	Object.fromEntries(
		names
			.slice(0, -1)
			.map((name, index) => [
				name,
				{ main: [[{ node: names[index + 1], type: 'main', index: 0 }]] },
			]),
	);

function manualWorkflow(name: string, nodes: WorkflowJson['nodes']): WorkflowJson {
	return {
		id: randomId('wf'),
		name,
		nodes: [MANUAL_START, ...nodes],
		connections: chain('Start', ...nodes.map((node) => node.name)),
	};
}

const cmcGetMany = manualWorkflow('queue: CMC get many', [
	packageNode({
		type: 'customersMailCloud',
		name: 'Get Many',
		credential: cmcCredential,
		position: [200, 0],
		parameters: { resource: 'block', operation: 'getAll', returnAll: false, limit: 150 },
	}),
]);
const naimarReports = manualWorkflow('queue: Naimar reports', [
	packageNode({
		type: 'naimarSms',
		name: 'Reports',
		credential: naimarCredential,
		position: [200, 0],
		parameters: {
			resource: 'deliveryReport',
			operation: 'get',
			messageIds: 'abcdefghijklab, 12345678901234',
		},
	}),
]);
const araraGetMany = manualWorkflow('queue: Arara get many', [
	packageNode({
		type: 'araraMessage',
		name: 'Get Many',
		credential: araraCredential,
		position: [200, 0],
		parameters: {
			resource: 'delivery',
			operation: 'getAll',
			timeMin: '2024-05-01T00:00:00+09:00',
			timeMax: '2024-06-01T00:00:00+09:00',
			returnAll: true,
		},
	}),
]);

const { cmcTrigger, araraTrigger } = everyMinuteTriggers('queue', cmcCredential, araraCredential);
const naimarTrigger = triggerWorkflow('queue: Naimar trigger', {
	id: randomId('nd'),
	name: 'Naimar Trigger',
	type: `${PACKAGE_PREFIX}naimarSmsTrigger`,
	typeVersion: 1,
	position: [0, 0],
	webhookId: WEBHOOK_ID,
	parameters: { options: { statuses: ['delivered', 'failed'] } },
	credentials: { naimarSmsPushApi: { id: pushCredential.id, name: pushCredential.name } },
});

let unblockedEmail = '';
function longReturnAll(): WorkflowJson {
	return manualWorkflow('queue: unblock then a long Return All', [
		packageNode({
			type: 'customersMailCloud',
			name: 'Unblock Once',
			credential: cmcCredential,
			position: [200, 0],
			parameters: {
				resource: 'block',
				operation: 'cancel',
				serverComposition: LONG_COMPOSITION,
				email: unblockedEmail,
			},
		}),
		packageNode({
			type: 'customersMailCloud',
			name: 'Get All',
			credential: cmcCredential,
			position: [400, 0],
			parameters: {
				resource: 'block',
				operation: 'getAll',
				serverComposition: LONG_COMPOSITION,
				returnAll: true,
				options: { concurrency: 1 },
			},
		}),
	]);
}
let longWorkflow: WorkflowJson;

beforeAll(async () => {
	[cmc, naimar, arara] = await Promise.all([
		startCustomersMailCloudFake(),
		startNaimarSmsFake(),
		startAraraMessageFake(),
	]);
	cmc.seed(230, { from: new Date(Date.now() - 20 * 86_400_000), spacingSeconds: 3600 });
	cmc.addComposition(LONG_COMPOSITION);
	const long = cmc.seed(LONG_BLOCKS, {
		composition: LONG_COMPOSITION,
		from: new Date(Date.now() - 20 * 86_400_000),
		spacingSeconds: 60,
	});
	unblockedEmail = long[0].email;
	arara.seed(500, MAY_START, MAY_END, 31);
	arara.seed(30, Date.now() - 20 * 3_600_000, Date.now() - 3_600_000, 32);
	cmcCredential.data = { ...cmc.credentials };
	naimarCredential.data = naimar.credentials;
	araraCredential.data = {
		host: arara.url,
		clientId: arara.credentials.clientId,
		clientSecret: arara.credentials.clientSecret,
	};
	longWorkflow = longReturnAll();
	cluster = await QueueCluster.start({
		workers: 2,
		credentials: [cmcCredential, naimarCredential, araraCredential, pushCredential],
		workflows: [
			cmcGetMany,
			naimarReports,
			araraGetMany,
			cmcTrigger,
			araraTrigger,
			naimarTrigger,
			longWorkflow,
		],
		env: {
			// a killed worker's job is found stalled within seconds instead of a minute
			QUEUE_WORKER_LOCK_DURATION: '10000',
			QUEUE_WORKER_LOCK_RENEW_TIME: '2000',
			QUEUE_WORKER_STALLED_INTERVAL: '3000',
		},
	});
}, 600_000);

afterAll(async () => {
	await cluster?.stop();
	await Promise.all([cmc?.close(), naimar?.close(), arara?.close()]);
}, 120_000);

/** Fails with every process's output, so a queue-mode failure can be read from CI logs alone. */
async function withLogs<T>(run: () => Promise<T>): Promise<T> {
	try {
		return await run();
	} catch (error) {
		(error as Error).message += `\n${cluster?.logs().slice(-20_000)}`;
		throw error;
	}
}

test('each node runs on a worker, started through the main, and returns the fakes’ items', async () => {
	await withLogs(async () => {
		const ids = await Promise.all(
			[cmcGetMany, naimarReports, araraGetMany].map(
				async (workflow) => await cluster.startManually(workflow.id!),
			),
		);
		const [cmcRun, naimarRun, araraRun] = await Promise.all(
			ids.map(async (id) => await cluster.waitForExecution(id)),
		);

		expect(cmcRun.status).toBe('success');
		expect(cmcRun.json('Get Many')).toHaveLength(150);
		expect(cmcRun.json('Get Many')[0]).toEqual(
			expect.objectContaining({ id: cmc.blocks()[0].id, email: cmc.blocks()[0].email }),
		);
		expect(naimarRun.status).toBe('success');
		expect(naimarRun.json('Reports')).toHaveLength(2);
		expect(naimarRun.json('Reports')).toEqual(
			expect.arrayContaining([
				expect.objectContaining({ id: '12345678901234', status: 'missing' }),
				expect.objectContaining({ id: 'abcdefghijklab', status: 'delivered', final: true }),
			]),
		);
		expect(araraRun.status).toBe('success');
		expect(new Set(araraRun.json('Get Many').map((json) => json.delivery_id))).toEqual(
			new Set(arara.store.inPeriod(MAY_START, MAY_END).map((delivery) => delivery.delivery_id)),
		);
		// every execution ran on exactly one worker, none on the main
		for (const id of ids) expect(cluster.workersThatStarted(id)).toHaveLength(1);
		expect(cluster.main!.logs).not.toMatch(/Worker started execution/);
		const everything = cluster.logs() + JSON.stringify([cmcRun.run, naimarRun.run, araraRun.run]);
		for (const secret of [
			cmc.credentials.apiKey,
			naimar.password,
			arara.credentials.clientSecret,
			PUSH_SECRET,
		])
			expect(everything).not.toContain(secret);
	});
}, 300_000);

test('the Arara token is fetched once and reused by both workers and every execution', async () => {
	await withLogs(async () => {
		// The first test's execution fetched the token and n8n stored it with the credential in Postgres.
		expect(arara.tokenRequests()).toHaveLength(1);
		const ran = new Set<string>();
		// Batches until both workers have run an Arara execution (which worker takes a job is Bull's choice).
		for (let batch = 0; batch < 5 && ran.size < 2; batch++) {
			const ids = await Promise.all(
				[0, 1, 2, 3].map(async () => await cluster.startManually(araraGetMany.id!)),
			);
			for (const execution of await Promise.all(
				ids.map(async (id) => await cluster.waitForExecution(id)),
			)) {
				expect(execution.status).toBe('success');
				expect(execution.json('Get Many')).toHaveLength(500);
			}
			for (const id of ids) for (const worker of cluster.workersThatStarted(id)) ran.add(worker);
		}
		expect([...ran].sort()).toEqual(['worker-1', 'worker-2']);
		expect(arara.tokenRequests()).toHaveLength(1);
		const token = /^Bearer (\S+)$/.exec(String(arara.apiRequests()[0].headers.authorization))![1];
		expect(
			arara.apiRequests().every((request) => request.headers.authorization === `Bearer ${token}`),
		).toBe(true);
		expect(cluster.logs()).not.toContain(token);
	});
}, 300_000);

describe('triggers on the main, executions on the workers', () => {
	const executions = (workflow: WorkflowJson) => cluster.executionsOf(workflow.id!);
	const periodQueries = () =>
		arara.apiRequests().filter((request) => request.query.has('timemin')).length;
	const listQueries = () => cmc.server.requestsTo('/transaction/v2/blocks/list.json').length;

	async function waitFor(what: string, condition: () => boolean, timeoutMs: number): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (!condition()) {
			if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
			await sleep(250);
		}
	}

	test('each event starts exactly one execution, whichever worker runs it', async () => {
		await withLogs(async () => {
			const polls = { cmc: listQueries(), arara: periodQueries() };
			for (const workflow of [cmcTrigger, araraTrigger, naimarTrigger])
				await cluster.main!.activate(workflow.id!);
			// activation polled once on the main: statuses and blocks recorded, nothing emitted
			await waitFor(
				'the activation polls',
				() => listQueries() > polls.cmc && periodQueries() > polls.arara,
				60_000,
			);
			expect(executions(cmcTrigger)).toHaveLength(0);
			expect(executions(araraTrigger)).toHaveLength(0);

			const added = cmc.addBlock({ email: 'queue-new@example.com', status: '2' });
			const target = arara.store
				.all()
				.find(
					(delivery) =>
						delivery.reservedAt > Date.now() - 20 * 3_600_000 && delivery.status !== 'failed',
				)!;
			arara.setStatus(target.delivery_id, 'failed');
			const push = await fetch(
				`${cluster.main!.webhookUrl(`${WEBHOOK_ID}/naimar-sms`)}?${new URLSearchParams({ id: 'queue000000001', status: '2', time: '2024-05-01 10:11:12', secret: PUSH_SECRET })}`,
			);
			expect([push.status, await push.text()]).toEqual([200, 'OK']);

			// the next poll (on the minute) emits; wait for it, then for one more poll of each trigger
			const done = (workflow: WorkflowJson) => executions(workflow).some((row) => row.finished);
			await waitFor(
				'the trigger executions',
				() => done(cmcTrigger) && done(araraTrigger) && done(naimarTrigger),
				150_000,
			);
			const after = { cmc: listQueries(), arara: periodQueries() };
			await waitFor(
				'one more poll of each trigger',
				() => listQueries() > after.cmc && periodQueries() > after.arara,
				90_000,
			);
			await sleep(3_000);

			for (const [workflow, node, expected] of [
				[
					cmcTrigger,
					'Received',
					{ event: 'newBlock', id: added.id, email: 'queue-new@example.com' },
				],
				[araraTrigger, 'Received', { delivery_id: target.delivery_id, status: 'failed' }],
				[naimarTrigger, 'Received', { id: 'queue000000001', status: 'delivered' }],
			] as const) {
				const rows = executions(workflow);
				expect(rows.map((row) => [row.status, row.mode])).toEqual([
					['success', workflow === naimarTrigger ? 'webhook' : 'trigger'],
				]);
				expect(cluster.workersThatStarted(rows[0].id)).toHaveLength(1);
				const execution = await idempotent(async () => await cluster.main!.execution(rows[0].id));
				expect(execution.json(node)).toEqual([expect.objectContaining(expected)]);
			}
			for (const workflow of [cmcTrigger, araraTrigger, naimarTrigger])
				await cluster.main!.deactivate(workflow.id!);
		});
	}, 400_000);
});

test('a worker killed in the middle of a long Return All: the execution fails as stalled, nothing repeats', async () => {
	await withLogs(async () => {
		const listPath = '/transaction/v2/blocks/list.json';
		const cancels = () => cmc.server.requestsTo('/transaction/v2/blocks/cancel.json').length;
		const pages = () => cmc.server.requestsTo(listPath).length;
		// slow pages: 30 pages of 100 take about 30 s, one at a time
		cmc.server.inject({ kind: 'delay', ms: 1_000 }, { pathPrefix: listPath, times: 40 });
		const before = { cancels: cancels(), pages: pages() };
		const id = await cluster.startManually(longWorkflow.id!);
		const deadline = Date.now() + 60_000;
		while (pages() < before.pages + 3 && Date.now() < deadline) await sleep(100);
		expect(pages()).toBeGreaterThanOrEqual(before.pages + 3);
		const [runner] = cluster.workers.filter((worker) => worker.startedExecutions().includes(id));
		expect(runner).toBeDefined();
		await runner.kill();
		const survivor = cluster.workers.find((worker) => worker !== runner)!;

		const execution = await cluster.waitForExecution(id, 120_000);
		expect(execution.status).toBe('error');
		expect(execution.error?.message).toMatch(
			/failed to be processed too many times and will no longer retry/,
		);
		// not retried: the surviving worker never started it, and the unblock went out once
		expect(survivor.startedExecutions()).not.toContain(id);
		expect(cancels()).toBe(before.cancels + 1);
		expect(cmc.removedBlocks(LONG_COMPOSITION).map((block) => block.email)).toEqual([
			unblockedEmail,
		]);
		// nothing keeps paging after the kill
		const afterKill = pages();
		await sleep(3_000);
		expect(pages()).toBe(afterKill);
		cmc.server.clearFaults();

		// the cluster still works with one worker
		const next = await cluster.runManually(cmcGetMany.id!);
		expect(next.status).toBe('success');
		expect(cluster.workersThatStarted(next.id)).toEqual([survivor.name]);
	});
}, 300_000);
