/**
 * The mail delivery reports in the real n8n (pinned version, package installed as users get it),
 * against the fakes:
 *  1. one CLI call: Deliveries (one item per mail), Bounces (list and encrypted download), and
 *     "alert when a mail to a customer bounced": bounces → Arara error filter look-up of the
 *     bounced addresses, plus a bad date under Continue On Fail;
 *  2. `n8n start` with the Event Trigger active: the service's form and JSON posts start the
 *     workflow with one item per event, a wrong API key is refused;
 *  3. `n8n start` with the polling trigger's New Bounce and Delivery Failed active: n8n's
 *     scheduler polls them, and what arrives after the first poll comes out once.
 */
import type { IDataObject } from 'n8n-workflow';

import { startAraraMessageFake, type AraraFake } from '../fakes/arara-message';
import {
	startCustomersMailCloudFake,
	type CustomersMailCloudFake,
	type FakeBounce,
	type FakeDelivery,
} from '../fakes/customers-mail-cloud';
import {
	MANUAL_START,
	N8nSession,
	PACKAGE_PREFIX,
	packageNode,
	randomId,
	type CredentialFixture,
	type N8nServer,
	type WorkflowJson,
} from './n8n';
import { triggerWorkflow } from './polling-triggers';

const ZIP_PASSWORD = 'e2e-bounce-zip';
const EVENT_KEY = 'e2e-event-key-4411';
const WEBHOOK_ID = 'c9d1e0aa-44f1-4a8e-9a3b-2b7e0c0d1e14';
const DAY = '2024-05-01';

let cmc: CustomersMailCloudFake;
let arara: AraraFake;
let session: N8nSession;
let deliveries: FakeDelivery[];
let bounces: FakeBounce[];

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
const eventCredential: CredentialFixture = {
	id: randomId('cr'),
	name: 'CMC events',
	type: 'customersMailCloudEventApi',
	data: { authentication: 'apiKey', apiKey: EVENT_KEY },
};

function reportsWorkflow(): WorkflowJson {
	const cmcNode = (name: string, parameters: IDataObject, y: number, extra = {}) =>
		packageNode({
			type: 'customersMailCloud',
			name,
			credential: cmcCredential,
			parameters,
			position: [300, y],
			extra,
		});
	const nodes = [
		MANUAL_START,
		cmcNode(
			'Mails',
			{
				resource: 'delivery',
				operation: 'getAll',
				date: `${DAY}T00:00:00`,
				returnAll: true,
				options: { oneItemPerMail: true },
			},
			-300,
		),
		cmcNode(
			'Failed Records',
			{
				resource: 'delivery',
				operation: 'getAll',
				date: DAY,
				returnAll: true,
				filters: { status: 'failed' },
			},
			-200,
		),
		cmcNode(
			'Bounces',
			{ resource: 'bounce', operation: 'getAll', returnAll: true, filters: { status: '2' } },
			-100,
		),
		cmcNode('Bounce Download', { resource: 'bounce', operation: 'download', output: 'items' }, 0),
		cmcNode(
			'Bad Date',
			{ resource: 'delivery', operation: 'getAll', date: '={{ "not a day" }}', returnAll: true },
			100,
			{
				onError: 'continueRegularOutput',
			},
		),
		packageNode({
			type: 'araraMessage',
			name: 'Error Filter',
			credential: araraCredential,
			parameters: { resource: 'errorFilter', operation: 'lookup', address: '={{ $json.to }}' },
			position: [600, -100],
		}),
	];
	const to = (...names: string[]) => [names.map((node) => ({ node, type: 'main', index: 0 }))];
	return {
		id: randomId('wf'),
		name: 'Mail delivery reports e2e',
		nodes,
		connections: {
			Start: { main: to('Mails', 'Failed Records', 'Bounces', 'Bounce Download', 'Bad Date') },
			Bounces: { main: to('Error Filter') },
		},
		settings: { executionOrder: 'v1' },
	};
}

const eventWorkflow: WorkflowJson = {
	id: randomId('wf'),
	name: 'Customers Mail Cloud e2e events',
	nodes: [
		{
			id: 'trigger',
			name: 'Event Trigger',
			type: `${PACKAGE_PREFIX}customersMailCloudEventTrigger`,
			typeVersion: 1,
			position: [0, 0],
			webhookId: WEBHOOK_ID,
			parameters: {
				eventTypes: ['deliveries', 'bounces'],
				options: { deliveryStatuses: ['failed', 'deferred'] },
			},
			credentials: {
				customersMailCloudEventApi: { id: eventCredential.id, name: eventCredential.name },
			},
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
	connections: { 'Event Trigger': { main: [[{ node: 'Received', type: 'main', index: 0 }]] } },
};

beforeAll(async () => {
	cmc = await startCustomersMailCloudFake();
	arara = await startAraraMessageFake();
	deliveries = cmc.seedDeliveries(400, {
		from: new Date(`${DAY}T00:00:00Z`),
		spacingSeconds: 100,
		seed: 11,
	});
	bounces = cmc.seedBounces(250, { seed: 12 });
	cmc.setDownload({ encryption: { kind: 'aes', password: ZIP_PASSWORD, strength: 3, version: 2 } });
	// Half of the "unknown user" bounces are already in Arara's error filter.
	const unknownUser = bounces.filter((bounce) => bounce.status === '2');
	unknownUser
		.filter((_bounce, index) => index % 2 === 0)
		.forEach((bounce) => arara.setErrorFilter(bounce.to.toUpperCase(), 5));
	// The encrypted download's password lives in the credential, as a user keeps it.
	cmcCredential.data = { ...cmc.credentials, zipPassword: ZIP_PASSWORD };
	araraCredential.data = {
		host: arara.url,
		clientId: arara.credentials.clientId,
		clientSecret: arara.credentials.clientSecret,
	};
	session = await N8nSession.create();
	await session.import({
		credentials: [cmcCredential, araraCredential, eventCredential],
		workflows: [eventWorkflow],
	});
});

afterAll(async () => {
	await session?.dispose();
	await cmc?.close();
	await arara?.close();
});

test('deliveries, bounces and the bounced-address look-up run in the real n8n (one CLI call)', async () => {
	const workflow = reportsWorkflow();
	await session.import({ credentials: [cmcCredential, araraCredential], workflows: [workflow] });
	const [result] = await session.executeMany([workflow.id!]);
	expect(result.status).toBe('success');

	const dayRecords = deliveries.filter((record) => record.created.startsWith(DAY));
	const mails = result.json('Mails');
	expect(mails).toHaveLength(new Set(dayRecords.map((record) => record.messageId)).size);
	const lastOf = (messageId: unknown) =>
		dayRecords.filter((record) => record.messageId === messageId).pop();
	expect(mails.every((mail) => mail.status === lastOf(mail.messageId)?.status)).toBe(true);
	expect(result.json('Failed Records')).toEqual(
		dayRecords.filter((record) => record.status === 'failed'),
	);

	const unknownUser = bounces.filter((bounce) => bounce.status === '2');
	expect(result.json('Bounces').map((bounce) => bounce.to)).toEqual(
		unknownUser.map((bounce) => bounce.to),
	);
	expect(result.json('Bounces')[0]).toMatchObject({ statusText: 'unknown user' });
	expect(result.json('Bounce Download').map((bounce) => bounce.to)).toEqual(
		bounces.map((bounce) => bounce.to),
	);

	const looked = result.json('Error Filter');
	expect(looked.map((entry) => [entry.address, entry.registered])).toEqual(
		unknownUser.map((bounce, index) => [bounce.to, index % 2 === 0]),
	);
	expect(arara.errorFilterRequests()).toHaveLength(1);

	expect(result.json('Bad Date')).toEqual([
		expect.objectContaining({ error: 'Date is not a valid date: "not a day"' }),
	]);
	const everything = result.stdout + result.stderr + JSON.stringify(result.run);
	expect(everything).not.toContain(cmc.credentials.apiKey);
	expect(everything).not.toContain(arara.credentials.clientSecret);
	expect(everything).not.toContain(ZIP_PASSWORD);
}, 200_000);

describe('the Event Trigger on a running n8n', () => {
	let server: N8nServer;
	const url = () => server.webhookUrl(`${WEBHOOK_ID}/customers-mail-cloud-events`);
	beforeAll(async () => {
		server = await session.startServer({ activate: [eventWorkflow.id!] });
	}, 120_000);
	afterAll(async () => await server?.stop());

	const delivery = (status: string, to: string) => ({
		created: '2024-05-01 10:00:00',
		returnPath: 'r@example.com',
		from: 'info@example.com',
		to,
		messageId: '<e2e@n>',
		reason: status === 'failed' ? '550 unknown' : '',
		senderIp: '',
		sourceIp: '',
		status,
		subject: 'hello',
		apiData: '',
	});

	test('a form-encoded post with the API key starts the workflow with its failed events; the key never shows', async () => {
		const event = JSON.stringify({
			deliveries: [delivery('queued', 'a@example.jp'), delivery('failed', 'b@example.jp')],
		});
		const response = await fetch(url(), {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({
				api_key: EVENT_KEY,
				server_composition: 'pro',
				event_type: 'deliveries',
				event,
			}).toString(),
		});
		expect([response.status, await response.text()]).toEqual([200, 'OK']);
		const execution = await server.waitForExecution(eventWorkflow.id!);
		expect(execution.json('Received')).toEqual([
			{ eventType: 'deliveries', serverComposition: 'pro', ...delivery('failed', 'b@example.jp') },
		]);
		expect(JSON.stringify(execution.run)).not.toContain(EVENT_KEY);
	});

	test('a JSON post of bounces starts it too; a wrong key gets 403 and a malformed body 400, starting nothing', async () => {
		const before = (await server.lastExecution(eventWorkflow.id!))?.id;
		const wrong = await fetch(url(), {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				api_key: 'nope',
				server_composition: 'pro',
				event_type: 'bounces',
				event: { bounces: [{ to: 'x@example.jp', status: '2' }] },
			}),
		});
		expect(wrong.status).toBe(403);
		await wrong.text();
		const malformed = await fetch(url(), {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				api_key: EVENT_KEY,
				server_composition: 'pro',
				event_type: 'bounces',
				event: 'not json',
			}),
		});
		expect(malformed.status).toBe(400);
		await malformed.text();
		const good = await fetch(url(), {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				api_key: EVENT_KEY,
				server_composition: 'pro',
				event_type: 'bounces',
				event: {
					bounces: [{ to: 'gone@example.jp', status: '2', created: '2024-05-01 10:00:00' }],
				},
			}),
		});
		expect([good.status, await good.text()]).toEqual([200, 'OK']);
		const execution = await server.waitForExecution(eventWorkflow.id!, {
			afterExecutionId: before,
		});
		expect(execution.json('Received')).toEqual([
			{
				eventType: 'bounces',
				serverComposition: 'pro',
				to: 'gone@example.jp',
				status: '2',
				created: '2024-05-01 10:00:00',
				statusText: 'unknown user',
			},
		]);
		const executions = await server.executions(eventWorkflow.id!);
		expect(executions.filter((entry) => Number(entry.id) > Number(before))).toHaveLength(1);
	});
});

describe("the polling trigger's mail events on a running n8n", () => {
	const mailTrigger = (event: 'newBounce' | 'deliveryFailed') =>
		triggerWorkflow(`CMC ${event} e2e`, {
			id: randomId('nd'),
			name: 'Mail Trigger',
			type: `${PACKAGE_PREFIX}customersMailCloudTrigger`,
			typeVersion: 1,
			position: [0, 0],
			// minPollInterval 0: n8n's every-minute schedule polls each time (the default paces to one poll an hour)
			parameters: {
				event,
				pollTimes: { item: [{ mode: 'everyMinute' }] },
				options: { minPollInterval: 0 },
			},
			credentials: { customersMailCloudApi: { id: cmcCredential.id, name: cmcCredential.name } },
		});
	const bounceWorkflow = mailTrigger('newBounce');
	const failedWorkflow = mailTrigger('deliveryFailed');
	const listed = (resource: 'bounces' | 'deliveries') =>
		cmc.server.requestsTo(`/transaction/v2/${resource}/list.json`).length;
	let server: N8nServer;
	afterAll(async () => await server?.stop());

	test('each new bounce and failed delivery after the first poll starts its workflow once, with event and its fields', async () => {
		await session.import({
			credentials: [cmcCredential],
			workflows: [bounceWorkflow, failedWorkflow],
		});
		const before = { bounces: listed('bounces'), deliveries: listed('deliveries') };
		server = await session.startServer({ activate: [bounceWorkflow.id!, failedWorkflow.id!] });
		// The first poll of each (at activation or at the first minute) only records what is there:
		// what is added once it has asked is new. Delivery Failed asks 4 times (2 days × 2 statuses).
		const deadline = Date.now() + 90_000;
		while (listed('bounces') === before.bounces || listed('deliveries') < before.deliveries + 4) {
			if (Date.now() > deadline) throw new Error('the triggers did not poll within 90 s');
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
		const bounce = cmc.addBounce({
			to: 'polled-bounce@example.jp',
			status: '2',
			reason: '550 5.1.1 unknown',
		});
		const failed = cmc.addDelivery({
			to: 'polled-failed@example.jp',
			status: 'failed',
			reason: '550 5.1.1 unknown',
		});

		const bounced = await server.waitForExecution(bounceWorkflow.id!, { timeoutMs: 150_000 });
		expect(bounced.json('Received')).toEqual([
			{ event: 'newBounce', ...bounce, statusText: 'unknown user' },
		]);
		const undelivered = await server.waitForExecution(failedWorkflow.id!, { timeoutMs: 150_000 });
		expect(undelivered.json('Received')).toEqual([{ event: 'deliveryFailed', ...failed }]);
		expect(JSON.stringify([bounced.run, undelivered.run])).not.toContain(cmc.credentials.apiKey);
	}, 330_000);
});
