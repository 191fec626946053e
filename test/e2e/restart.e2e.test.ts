/**
 * Restarts of the real n8n between polls of the polling triggers (Customers Mail Cloud New Block
 * and Block Removed, Arara Message with a status filter). n8n 2.8 saves a trigger's static data
 * after activation and after a poll that emits; silent polls change memory only. Two rounds:
 *  1. polls run silently (some change what a trigger would remember), n8n stops, events happen
 *     while it is down, n8n starts again: each event comes out exactly once;
 *  2. events, n8n stops right after the polls that emitted them, starts again and polls a few
 *     times: nothing comes out twice.
 * The triggers poll every 5 seconds (a custom cron with a seconds list: n8n refuses only a "*" in
 * the seconds field), so a round takes seconds of polling instead of minutes.
 */
import { startAraraMessageFake, type AraraFake } from '../fakes/arara-message';
import {
	startCustomersMailCloudFake,
	type CustomersMailCloudFake,
	type FakeBlock,
} from '../fakes/customers-mail-cloud';
import {
	N8nSession,
	PACKAGE_PREFIX,
	randomId,
	type CredentialFixture,
	type N8nServer,
	type WorkflowJson,
} from './n8n';

const EVERY_5_SECONDS = {
	item: [{ mode: 'custom', cronExpression: '0,5,10,15,20,25,30,35,40,45,50,55 * * * * *' }],
};
const HOUR = 3_600_000;

let cmc: CustomersMailCloudFake;
let arara: AraraFake;
let session: N8nSession;
let server: N8nServer | undefined;
let lifted: FakeBlock[];
let deliveries: string[];

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

function triggerWorkflow(
	name: string,
	type: string,
	parameters: Record<string, unknown>,
	credential: CredentialFixture,
): WorkflowJson {
	return {
		id: randomId('wf'),
		name,
		nodes: [
			{
				id: 'trigger',
				name: 'Trigger',
				type: `${PACKAGE_PREFIX}${type}`,
				typeVersion: 1,
				position: [0, 0],
				parameters: { pollTimes: EVERY_5_SECONDS, ...parameters },
				credentials: { [credential.type]: { id: credential.id, name: credential.name } },
			},
			{
				id: 'noop',
				name: 'Received',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [200, 0],
				parameters: {},
			},
		],
		connections: { Trigger: { main: [[{ node: 'Received', type: 'main', index: 0 }]] } },
	};
}

const newBlocks = triggerWorkflow(
	'restart: new blocks',
	'customersMailCloudTrigger',
	{ event: 'newBlock', options: { minPollInterval: 0 } },
	cmcCredential,
);
const removedBlocks = triggerWorkflow(
	'restart: lifted blocks',
	'customersMailCloudTrigger',
	{ event: 'blockRemoved', options: { minPollInterval: 0 } },
	cmcCredential,
);
const statusChanges = triggerWorkflow(
	'restart: status changes',
	'araraMessageTrigger',
	{ lookBackHours: 24, statuses: ['failed', 'finished'] },
	araraCredential,
);
const workflows = [newBlocks, removedBlocks, statusChanges];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls each trigger made so far, told apart by their requests to the fakes. */
function pollCounts(): number[] {
	const lists = cmc.server
		.requestsTo('/transaction/v2/blocks/list.json')
		.map((request) => new URLSearchParams(request.body).get('removed'));
	const periods = arara.apiRequests().filter((request) => request.query.has('timemin')).length;
	return [
		lists.filter((removed) => removed !== 'true').length,
		lists.filter((removed) => removed === 'true').length,
		periods,
	];
}

/** Waits until every trigger has polled `more` more times. */
async function waitForPolls(more: number, timeoutMs = 60_000): Promise<void> {
	const start = pollCounts();
	const deadline = Date.now() + timeoutMs;
	while (!pollCounts().every((count, index) => count >= start[index] + more)) {
		if (Date.now() > deadline)
			throw new Error(
				`triggers polled ${JSON.stringify(pollCounts())} times, from ${JSON.stringify(start)}`,
			);
		await sleep(200);
	}
}

/** Every item every execution of the workflow emitted, as keys, in execution order. */
async function emitted(
	workflow: WorkflowJson,
	key: (json: Record<string, unknown>) => string,
): Promise<string[]> {
	const summaries = await server!.executions(workflow.id!, 200);
	const keys: string[] = [];
	for (const summary of [...summaries].reverse()) {
		if (!['success', 'error', 'crashed', 'canceled'].includes(summary.status)) continue; // still running: read later
		const execution = await server!.execution(summary.id);
		expect(execution.status).toBe('success');
		keys.push(...execution.json('Received').map((json) => key(json as Record<string, unknown>)));
	}
	return keys;
}

const blockKey = (json: Record<string, unknown>) => `${String(json.email)}@${String(json.created)}`;
const statusKey = (json: Record<string, unknown>) =>
	`${String(json.delivery_id)}:${String(json.status)}`;

/** What all three workflows emitted so far. */
async function everything() {
	return {
		newBlocks: await emitted(newBlocks, blockKey),
		removedBlocks: await emitted(removedBlocks, blockKey),
		statusChanges: await emitted(statusChanges, statusKey),
	};
}

type Emitted = Awaited<ReturnType<typeof everything>>;

/** Each workflow's keys in order, so that two results compare whatever order polls emitted in. */
const sorted = (value: Emitted) =>
	Object.fromEntries(Object.entries(value).map(([name, keys]) => [name, [...keys].sort()]));

/** Waits until each workflow emitted what is expected of it (order aside), then returns all of it. */
async function waitForEmitted(expected: Emitted, timeoutMs = 60_000): Promise<Emitted> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const now = await everything();
		if (JSON.stringify(sorted(now)) === JSON.stringify(sorted(expected)) || Date.now() > deadline)
			return now;
		await sleep(500);
	}
}

async function lift(email: string): Promise<void> {
	const response = await fetch(`${cmc.url}/transaction/v2/blocks/cancel.json`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({
			...formCredentials(),
			server_composition: 'testcomp',
			email,
		}).toString(),
	});
	expect(response.status).toBe(200);
	await response.text();
}

function formCredentials() {
	return { api_user: cmc.credentials.apiUser, api_key: cmc.credentials.apiKey };
}

/** The lifted address blocked again, now, under the same id (the API does not say a new block gets a new id). */
function blockAgain(block: FakeBlock): FakeBlock {
	const removed = cmc.removedBlocks();
	removed.splice(
		removed.findIndex((entry) => entry.id === block.id),
		1,
	);
	return cmc.addBlock({
		id: block.id,
		email: block.email,
		status: block.status,
		occurred: block.occurred,
	});
}

const keyOf = (block: FakeBlock) => `${block.email}@${block.created}`;

beforeAll(async () => {
	cmc = await startCustomersMailCloudFake();
	lifted = cmc.seed(6, {
		from: new Date(Date.now() - 5 * HOUR),
		spacingSeconds: 600,
		prefix: 'rs',
	});
	arara = await startAraraMessageFake();
	deliveries = arara
		.seed(6, Date.now() - 20 * HOUR, Date.now() - 3 * HOUR, 31)
		.map((delivery) => delivery.delivery_id);
	for (const id of deliveries) arara.setStatus(id, 'reserved');
	cmcCredential.data = { ...cmc.credentials };
	araraCredential.data = {
		host: arara.url,
		clientId: arara.credentials.clientId,
		clientSecret: arara.credentials.clientSecret,
	};
	session = await N8nSession.create();
	await session.import({ credentials: [cmcCredential, araraCredential], workflows });
});

afterAll(async () => {
	await server?.stop();
	await session?.dispose();
	await cmc?.close();
	await arara?.close();
});

test('a restart after silent polls, and one right after emitting polls, loses no event and doubles none', async () => {
	server = await session.startServer({ activate: workflows.map((workflow) => workflow.id!) });
	await waitForPolls(2);
	expect(await everything()).toEqual({ newBlocks: [], removedBlocks: [], statusChanges: [] });

	// Events while n8n runs: each trigger emits (and n8n saves its state)...
	await lift(lifted[0].email);
	const first = cmc.addBlock({ email: 'first-new@example.com' });
	arara.setStatus(deliveries[0], 'failed');
	let expected: Emitted = {
		newBlocks: [keyOf(first)],
		removedBlocks: [keyOf(lifted[0])],
		statusChanges: [`${deliveries[0]}:failed`],
	};
	expect(sorted(await waitForEmitted(expected))).toEqual(sorted(expected));
	// ...then Block Removed and Arara poll silently while what they would remember changes: the
	// lifted address is blocked again, a delivery moves to a status the filter drops.
	const again = blockAgain(lifted[0]);
	arara.setStatus(deliveries[1], 'sending');
	expected = { ...expected, newBlocks: [...expected.newBlocks, keyOf(again)] };
	expect(sorted(await waitForEmitted(expected))).toEqual(sorted(expected));
	await waitForPolls(3);
	expect(sorted(await everything())).toEqual(sorted(expected));

	// Round 1: stopped after silent polls; events while it is down.
	await server.stop();
	await lift(again.email);
	await lift(lifted[1].email);
	const whileDown = cmc.addBlock({ email: 'while-down@example.com' });
	arara.setStatus(deliveries[1], 'finished');
	arara.setStatus(deliveries[2], 'failed');
	server = await session.startServer();
	expected = {
		newBlocks: [...expected.newBlocks, keyOf(whileDown)],
		removedBlocks: [...expected.removedBlocks, keyOf(again), keyOf(lifted[1])],
		statusChanges: [
			...expected.statusChanges,
			`${deliveries[1]}:finished`,
			`${deliveries[2]}:failed`,
		],
	};
	await waitForEmitted(expected);
	await waitForPolls(3);
	expect(sorted(await everything())).toEqual(sorted(expected));

	// Round 2: stopped right after the polls that emitted; nothing may come out again.
	await lift(lifted[2].email);
	const beforeStop = cmc.addBlock({ email: 'before-stop@example.com' });
	arara.setStatus(deliveries[3], 'finished');
	expected = {
		newBlocks: [...expected.newBlocks, keyOf(beforeStop)],
		removedBlocks: [...expected.removedBlocks, keyOf(lifted[2])],
		statusChanges: [...expected.statusChanges, `${deliveries[3]}:finished`],
	};
	expect(sorted(await waitForEmitted(expected))).toEqual(sorted(expected));
	await server.stop();
	server = await session.startServer();
	await waitForPolls(3);
	expect(sorted(await everything())).toEqual(sorted(expected));
	expect(server.logs).not.toContain(cmc.credentials.apiKey);
}, 420_000);
