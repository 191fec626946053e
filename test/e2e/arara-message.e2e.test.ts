/**
 * Arara Message in the real n8n (pinned version, package installed as users get it), against the
 * fake API, in ONE `n8n execute-batch` call: every operation (send → get → cancel → get by
 * request id, get many past the 4,000 cap, a 404 and a wrong secret under Continue On Fail), the
 * polling trigger's manual run, and the shipped example workflow. Proves that n8n's own OAuth2
 * client-credentials handling fetches one token for the credential, with the token URL taken
 * from the credential's default expression.
 */
import { startAraraMessageFake, type AraraFake } from '../fakes/arara-message';
import {
	MANUAL_START,
	N8nSession,
	PACKAGE_PREFIX,
	packageNode,
	randomId,
	shippedExample,
	type CredentialFixture,
	type N8nServer,
	type WorkflowJson,
} from './n8n';

let fake: AraraFake;
let session: N8nSession;

const good: CredentialFixture = {
	id: randomId('cr'),
	name: 'Arara Message (fake)',
	type: 'araraMessageOAuth2Api',
	data: {},
};
const wrong: CredentialFixture = {
	id: randomId('cr'),
	name: 'Arara Message (wrong secret)',
	type: 'araraMessageOAuth2Api',
	data: {},
};
const REQUEST_ID = `e2e${Date.now()}`;
const MAY_START = Date.UTC(2024, 3, 30, 15, 0);
const MAY_END = Date.UTC(2024, 4, 31, 15, 0);

function araraNode(
	name: string,
	parameters: Record<string, unknown>,
	position: [number, number],
	credential = good,
	extra = {},
) {
	return packageNode({
		type: 'araraMessage',
		name,
		credential,
		parameters: { resource: 'delivery', ...parameters },
		position,
		extra,
	});
}

function operationsWorkflow(): WorkflowJson {
	const nodes = [
		MANUAL_START,
		araraNode(
			'Send',
			{
				operation: 'reserve',
				deliveryMode: 'oneForAll',
				toAddress: 'customer@example.com',
				subject: 'Your order',
				text: 'Shipped.',
				fromAddress: 'shop@example.jp',
				sendTime: 'at',
				sendAt: '={{ $now.plus({ days: 1 }).toISO() }}',
				additionalFields: { requestId: REQUEST_ID },
			},
			[200, -200],
		),
		araraNode('Get', { operation: 'get', deliveryId: '={{ $json.delivery_id }}' }, [400, -200]),
		araraNode(
			'Cancel',
			{ operation: 'cancel', deliveryId: '={{ $json.delivery_id }}' },
			[600, -200],
		),
		araraNode(
			'Get By Request ID',
			{ operation: 'getByRequestId', requestId: REQUEST_ID },
			[800, -200],
		),
		araraNode(
			'Get Many',
			{
				operation: 'getAll',
				timeMin: '2024-05-01T00:00:00+09:00',
				timeMax: '2024-06-01T00:00:00+09:00',
				returnAll: true,
			},
			[200, 0],
		),
		araraNode('Get Missing', { operation: 'get', deliveryId: 'nope1' }, [200, 200], good, {
			onError: 'continueRegularOutput',
		}),
		araraNode('Wrong Secret', { operation: 'get', deliveryId: '1000001' }, [200, 400], wrong, {
			onError: 'continueRegularOutput',
		}),
	];
	const chain = (from: string, to: string) => ({
		[from]: { main: [[{ node: to, type: 'main', index: 0 }]] },
	});
	return {
		id: randomId('wf'),
		name: 'Arara Message e2e operations',
		nodes,
		connections: {
			Start: {
				main: [
					['Send', 'Get Many', 'Get Missing', 'Wrong Secret'].map((node) => ({
						node,
						type: 'main',
						index: 0,
					})),
				],
			},
			...chain('Send', 'Get'),
			...chain('Get', 'Cancel'),
			...chain('Cancel', 'Get By Request ID'),
		},
		settings: { executionOrder: 'v1' },
	};
}

const triggerWorkflow: WorkflowJson = {
	id: randomId('wf'),
	name: 'Arara Message e2e trigger',
	nodes: [
		{
			id: 'trigger',
			name: 'Arara Message Trigger',
			type: `${PACKAGE_PREFIX}araraMessageTrigger`,
			typeVersion: 1,
			position: [0, 0],
			parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, lookBackHours: 24 },
			credentials: { araraMessageOAuth2Api: { id: good.id, name: good.name } },
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
	connections: {
		'Arara Message Trigger': { main: [[{ node: 'Received', type: 'main', index: 0 }]] },
	},
	settings: { executionOrder: 'v1' },
};

beforeAll(async () => {
	fake = await startAraraMessageFake();
	fake.seed(9_000, MAY_START, MAY_END, 21);
	fake.seed(30, Date.now() - 20 * 3_600_000, Date.now() - 3_600_000, 22);
	good.data = {
		host: fake.url,
		clientId: fake.credentials.clientId,
		clientSecret: fake.credentials.clientSecret,
	};
	wrong.data = { ...good.data, clientSecret: 'not-the-secret-key' };
	session = await N8nSession.create();
});

afterAll(async () => {
	await session?.dispose();
	await fake?.close();
});

test('every operation and the example run in the real n8n with one token per credential', async () => {
	const workflow = operationsWorkflow();
	const { example, sandbox } = shippedExample('arara-message', { host: fake.url });
	await session.import({
		credentials: [good, wrong, sandbox],
		workflows: [workflow, triggerWorkflow, example],
	});
	const [result, exampleResult] = await session.executeMany([workflow.id!, example.id!]);

	expect(result.status).toBe('success');
	const [sent] = result.json('Send');
	expect(sent).toMatchObject({ result: 'success', recipients: 1, request_id: REQUEST_ID });
	const deliveryId = String(sent.delivery_id);
	expect(result.json('Get')).toEqual([
		expect.objectContaining({ delivery_id: deliveryId, status: 'reserved' }),
	]);
	expect(result.json('Cancel')).toEqual([{ delivery_id: deliveryId, cancelled: true }]);
	expect(result.json('Get By Request ID')).toEqual([
		expect.objectContaining({ delivery_id: deliveryId, status: 'deleted' }),
	]);

	const many = result.json('Get Many');
	expect(many).toHaveLength(9_000);
	expect(new Set(many.map((json) => json.delivery_id))).toEqual(
		new Set(fake.store.inPeriod(MAY_START, MAY_END).map((delivery) => delivery.delivery_id)),
	);

	expect(result.json('Get Missing')).toEqual([
		expect.objectContaining({ error: 'No delivery with id "nope1"', httpCode: '404' }),
	]);
	const [refused] = result.json('Wrong Secret');
	expect(refused.error).toBe('Arara Message refused the token request');

	expect(exampleResult.status).toBe('success');
	expect(exampleResult.json('Cancel')).toEqual([expect.objectContaining({ cancelled: true })]);
	expect(exampleResult.json('Deliveries Of The Last Day').length).toBeGreaterThanOrEqual(30);

	// n8n fetched one token for "good" (used by 6 nodes and the trigger) and one for the example's
	// sandbox credential; the wrong secret was refused once. No API request went out without a token.
	const tokens = fake.tokenRequests();
	const refusedTokens = tokens.filter(
		(request) =>
			!String(request.headers.authorization).endsWith(
				Buffer.from(`${fake.credentials.clientId}:${fake.credentials.clientSecret}`).toString(
					'base64',
				),
			),
	);
	expect(refusedTokens).toHaveLength(1);
	expect(tokens).toHaveLength(3);
	expect(
		fake
			.apiRequests()
			.every((request) => /^Bearer \S+$/.test(String(request.headers.authorization))),
	).toBe(true);

	const everything = result.stdout + result.stderr + JSON.stringify(result.run);
	expect(everything).not.toContain('not-the-secret-key');
	expect(everything).not.toContain(fake.credentials.clientSecret);
});

describe('the polling trigger on a running n8n', () => {
	let server: N8nServer;
	afterAll(async () => await server?.stop());

	test('records statuses without emitting, then starts the workflow with the delivery whose status changed', async () => {
		const periodQueries = () =>
			fake.apiRequests().filter((request) => request.query.has('timemin')).length;
		const before = periodQueries();
		server = await session.startServer({ activate: [triggerWorkflow.id!] });
		// Wait for the first poll (activation or the next minute): it only records the statuses.
		const deadline = Date.now() + 90_000;
		while (periodQueries() === before && Date.now() < deadline)
			await new Promise((resolve) => setTimeout(resolve, 250));
		expect(periodQueries()).toBeGreaterThan(before);
		expect(await server.executions(triggerWorkflow.id!)).toHaveLength(0);

		const recent = fake.store
			.all()
			.filter((delivery) => delivery.reservedAt > Date.now() - 20 * 3_600_000);
		const target = recent.find((delivery) => delivery.status !== 'failed')!;
		const previous = target.status;
		fake.setStatus(target.delivery_id, 'failed');
		const execution = await server.waitForExecution(triggerWorkflow.id!, { timeoutMs: 130_000 });
		expect(execution.json('Received')).toEqual([
			expect.objectContaining({
				delivery_id: target.delivery_id,
				status: 'failed',
				previous_status: previous,
			}),
		]);
	}, 240_000);
});
