/**
 * The Customers Mail Cloud and Arara Message polling triggers on a running n8n under each way n8n
 * schedules polls: the legacy in-process cron (every n8n), and on n8n 2.36+ also the durable
 * scheduler (N8N_SCHEDULER_ENABLED + N8N_SCHEDULER_POLL_TRIGGERS_ENABLED +
 * N8N_POLLER_DURABLE_CURSORS_ENABLED, which also needs N8N_USE_WORKFLOW_PUBLICATION_SERVICE),
 * where polls are leased jobs and the node's static data is a cursor committed with the execution.
 * In both: the poll that first records emits nothing; an event starts exactly one execution; the
 * next poll, and a poll after a restart of n8n (from the stored state), emit it never again.
 *
 * Which poll records first differs. Legacy: the poll n8n runs on activation (its static data stays
 * in the active workflow). Durable: n8n runs that activation poll as a test against a staged copy of
 * the cursor and never commits it (n8n-core's poll-trigger-executor commits only when it is not
 * testing), so the first scheduled poll is the one that records.
 */
import { startAraraMessageFake, type AraraFake } from '../fakes/arara-message';
import {
	startCustomersMailCloudFake,
	type CustomersMailCloudFake,
} from '../fakes/customers-mail-cloud';
import {
	N8nSession,
	randomId,
	runtime,
	type CredentialFixture,
	type N8nServer,
	type WorkflowJson,
} from './n8n';
import { everyMinuteTriggers } from './polling-triggers';

const DURABLE_SCHEDULER = {
	N8N_SCHEDULER_ENABLED: 'true',
	N8N_SCHEDULER_POLL_TRIGGERS_ENABLED: 'true',
	N8N_POLLER_DURABLE_CURSORS_ENABLED: 'true',
	N8N_USE_WORKFLOW_PUBLICATION_SERVICE: 'true',
};
const [major, minor] = runtime.N8N_VERSION.split('.').map(Number);
const hasDurableScheduler = major > 2 || (major === 2 && minor >= 36);
const modes: Array<[string, { durable: boolean; env: Record<string, string> }]> = [
	['legacy scheduling', { durable: false, env: {} }],
	...(hasDurableScheduler
		? ([['the durable scheduler', { durable: true, env: DURABLE_SCHEDULER }]] as typeof modes)
		: []),
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let cmc: CustomersMailCloudFake;
let arara: AraraFake;

beforeAll(async () => {
	[cmc, arara] = await Promise.all([startCustomersMailCloudFake(), startAraraMessageFake()]);
	cmc.seed(120, { from: new Date(Date.now() - 20 * 86_400_000), spacingSeconds: 3600 });
	arara.seed(30, Date.now() - 20 * 3_600_000, Date.now() - 3_600_000, 41);
});

afterAll(async () => {
	await Promise.all([cmc?.close(), arara?.close()]);
});

const listQueries = () => cmc.server.requestsTo('/transaction/v2/blocks/list.json').length;
const periodQueries = () =>
	arara.apiRequests().filter((request) => request.query.has('timemin')).length;

async function waitFor(
	what: string,
	condition: () => boolean,
	timeoutMs: number,
	server?: N8nServer,
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline)
			throw new Error(`timed out waiting for ${what}\n${server?.logs.slice(-6000) ?? ''}`);
		await sleep(250);
	}
}

/** Resolves once both triggers have polled again (each asked its fake after this call). */
async function nextPolls(server: N8nServer, timeoutMs = 130_000): Promise<void> {
	const before = { cmc: listQueries(), arara: periodQueries() };
	await waitFor(
		'a poll of each trigger',
		() => listQueries() > before.cmc && periodQueries() > before.arara,
		timeoutMs,
		server,
	);
	await pollsSettled();
}

/** Resolves once neither fake has been asked anything for 3 s: the polls have read all they read, and one that emitted has handed its execution over. */
async function pollsSettled(): Promise<void> {
	for (;;) {
		const seen = listQueries() + periodQueries();
		await sleep(3_000);
		if (listQueries() + periodQueries() === seen) return;
	}
}

describe.each(modes)('polling triggers under %s', (_mode, { durable, env }) => {
	let session: N8nSession;
	let server: N8nServer | undefined;
	const cmcCredential: CredentialFixture = {
		id: randomId('cr'),
		name: 'CMC (fake)',
		type: 'customersMailCloudApi',
		data: {},
	};
	const araraCredential: CredentialFixture = {
		id: randomId('cr'),
		name: 'Arara (fake)',
		type: 'araraMessageOAuth2Api',
		data: {},
	};

	const { cmcTrigger, araraTrigger } = everyMinuteTriggers(
		'scheduler',
		cmcCredential,
		araraCredential,
	);

	beforeAll(async () => {
		cmcCredential.data = { ...cmc.credentials };
		araraCredential.data = {
			host: arara.url,
			clientId: arara.credentials.clientId,
			clientSecret: arara.credentials.clientSecret,
		};
		session = await N8nSession.create({ env });
		await session.import({
			credentials: [cmcCredential, araraCredential],
			workflows: [cmcTrigger, araraTrigger],
		});
	});

	afterAll(async () => {
		await server?.stop();
		await session?.dispose();
	});

	test('one event, one execution; the next poll and a poll after a restart emit nothing again', async () => {
		const count = async (target: WorkflowJson) => (await server!.executions(target.id!)).length;
		const pollsBefore = { cmc: listQueries(), arara: periodQueries() };
		server = await session.startServer({ activate: [cmcTrigger.id!, araraTrigger.id!] });
		await waitFor(
			'the activation poll of each trigger',
			() => listQueries() > pollsBefore.cmc && periodQueries() > pollsBefore.arara,
			130_000,
			server,
		);
		await pollsSettled();
		if (durable) {
			expect(server.logs).toContain('Scheduler started');
			// the activation poll was a test: the first scheduled poll records
			await nextPolls(server);
		}
		expect([await count(cmcTrigger), await count(araraTrigger)]).toEqual([0, 0]);

		const added = cmc.addBlock({ email: `scheduler-${randomId()}@example.com`, status: '2' });
		const target = arara.store
			.all()
			.find(
				(delivery) =>
					delivery.reservedAt > Date.now() - 20 * 3_600_000 && delivery.status !== 'failed',
			)!;
		const previous = target.status;
		arara.setStatus(target.delivery_id, 'failed');

		const [cmcRun, araraRun] = await Promise.all([
			server.waitForExecution(cmcTrigger.id!, { timeoutMs: 150_000 }),
			server.waitForExecution(araraTrigger.id!, { timeoutMs: 150_000 }),
		]);
		expect(cmcRun.status).toBe('success');
		expect(cmcRun.json('Received')).toEqual([
			expect.objectContaining({ event: 'newBlock', id: added.id }),
		]);
		expect(araraRun.status).toBe('success');
		expect(araraRun.json('Received')).toEqual([
			expect.objectContaining({
				delivery_id: target.delivery_id,
				status: 'failed',
				previous_status: previous,
			}),
		]);

		// the same state polled again: nothing new
		await nextPolls(server);
		expect([await count(cmcTrigger), await count(araraTrigger)]).toEqual([1, 1]);

		// n8n restarts: the triggers resume from the state stored with the execution / workflow
		await server.stop();
		server = await session.startServer();
		await nextPolls(server);
		expect([await count(cmcTrigger), await count(araraTrigger)]).toEqual([1, 1]);
		const logs = server.logs;
		await server.stop();

		// where the state lives: the durable cursor (poller_state) or the workflow's static data
		const stored = durable
			? await session.query(
					'SELECT workflowId, cursor AS state FROM poller_state WHERE workflowId IN (?, ?)',
					[cmcTrigger.id, araraTrigger.id],
				)
			: await session.query(
					'SELECT id AS workflowId, staticData AS state FROM workflow_entity WHERE id IN (?, ?)',
					[cmcTrigger.id, araraTrigger.id],
				);
		const nodeState = (workflow: WorkflowJson) => {
			const row = stored.find((candidate) => candidate.workflowId === workflow.id);
			const parsed = JSON.parse(String(row?.state ?? '{}')) as Record<string, unknown>;
			return (durable ? parsed : parsed[`node:${workflow.nodes[0].name}`]) as
				| { watch?: { seen?: object }; statuses?: object }
				| undefined;
		};
		expect(nodeState(cmcTrigger)?.watch?.seen).toHaveProperty([added.id]);
		expect(nodeState(araraTrigger)?.statuses).toHaveProperty(
			[String(target.delivery_id)],
			'failed',
		);
		const everything = logs + JSON.stringify([cmcRun.run, araraRun.run, stored]);
		expect(everything).not.toContain(cmc.credentials.apiKey);
		expect(everything).not.toContain(arara.credentials.clientSecret);
	}, 600_000);
});
