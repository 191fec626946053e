/**
 * Naimar SMS in the real n8n (pinned version, package installed as users get it), against the
 * fake gateway: one CLI run of a workflow with several branches (reports with an out-of-order
 * answer, an unasked id and a missing id; waiting → final; a wrong login under Continue On Fail),
 * then `n8n start` with the trigger workflow active, called the way the gateway calls it.
 */
import { startNaimarSmsFake, UNASKED_ID, type NaimarSmsFake } from '../fakes/naimar-sms';
import {
	N8nSession,
	PACKAGE_PREFIX,
	fanOutWorkflow,
	packageNode,
	randomId,
	shippedExample,
	type CredentialFixture,
	type N8nServer,
	type WorkflowJson,
} from './n8n';

const WEBHOOK_ID = '5b0c2f7e-3d1a-4e7b-9c55-6a2e1d0f9a42';
const SECRET = 'e2e-push-secret-7c41d9a0';

let fake: NaimarSmsFake;
let session: N8nSession;

const good: CredentialFixture = {
	id: randomId('cr'),
	name: 'Naimar SMS (fake)',
	type: 'naimarSmsApi',
	data: {},
};
const wrong: CredentialFixture = {
	id: randomId('cr'),
	name: 'Naimar SMS (wrong login)',
	type: 'naimarSmsApi',
	data: {},
};
const push: CredentialFixture = {
	id: randomId('cr'),
	name: 'Naimar SMS Push (e2e)',
	type: 'naimarSmsPushApi',
	data: { sharedSecret: SECRET },
};

function naimarNode(
	name: string,
	credential: CredentialFixture,
	parameters: Record<string, unknown>,
	y: number,
	extra = {},
) {
	return packageNode({
		type: 'naimarSms',
		name,
		credential,
		parameters: { resource: 'deliveryReport', operation: 'get', ...parameters },
		position: [300, y],
		extra,
	});
}

function reportsWorkflow(): WorkflowJson {
	const branches = [
		naimarNode('Reports', good, { messageIds: '12345678901234, abcdefghijklab\nE2ESTUCK' }, -200),
		naimarNode(
			'Wait For Final',
			good,
			{ messageIds: 'E2EWAIT', options: { waitForFinal: true, pollInterval: 0.2, maxWait: 20 } },
			0,
		),
		naimarNode('Wrong Login', wrong, { messageIds: 'abcdefghijklab' }, 200, {
			onError: 'continueRegularOutput',
		}),
	];
	return fanOutWorkflow('Naimar SMS e2e reports', branches);
}

const triggerWorkflow: WorkflowJson = {
	id: randomId('wf'),
	name: 'Naimar SMS e2e push reports',
	nodes: [
		{
			id: 'trigger',
			name: 'Naimar SMS Trigger',
			type: `${PACKAGE_PREFIX}naimarSmsTrigger`,
			typeVersion: 1,
			position: [0, 0],
			webhookId: WEBHOOK_ID,
			parameters: { options: { statuses: ['delivered', 'failed'] } },
			credentials: { naimarSmsPushApi: { id: push.id, name: push.name } },
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
	connections: { 'Naimar SMS Trigger': { main: [[{ node: 'Received', type: 'main', index: 0 }]] } },
};

beforeAll(async () => {
	fake = await startNaimarSmsFake();
	fake.switches.extraId = true;
	// The example workflow re-asks the document's waiting id, so this test has its own.
	fake.setReport('E2ESTUCK', 'waiting', { received: '2012-09-05 23:59:00' });
	fake.setReport('E2EWAIT', 'waiting', { finalStatus: 'rejected', finalAfter: 2 });
	good.data = fake.credentials;
	wrong.data = { ...fake.credentials, password: 'not-the-pass' };
	session = await N8nSession.create();
});

afterAll(async () => {
	await session?.dispose();
	await fake?.close();
});

test('the node: reports joined by id, waiting → final, a wrong login under Continue On Fail; the example runs', async () => {
	const workflow = reportsWorkflow();
	// The example and its sandbox credential as shipped, pointed at this test's fake.
	const { example, sandbox } = shippedExample('naimar-sms', { baseUrl: fake.baseUrl });
	await session.import({
		credentials: [good, wrong, sandbox, push],
		workflows: [workflow, triggerWorkflow, example],
	});
	const [result, exampleResult] = await session.executeMany([workflow.id!, example.id!]);
	expect(result.status).toBe('success');
	expect(exampleResult.status).toBe('success');
	expect(exampleResult.json('Naimar SMS')).toEqual([
		expect.objectContaining({ id: 'abcdefghijklab', status: 'delivered' }),
		expect.objectContaining({ id: '0qwedf5e8e8r7w', status: 'delivered', final: true }),
		expect.objectContaining({ id: '12345678901234', status: 'missing' }),
	]);

	expect(result.json('Reports')).toEqual([
		expect.objectContaining({
			id: '12345678901234',
			status: 'missing',
			final: false,
			delivered: false,
		}),
		{
			id: 'abcdefghijklab',
			status: 'delivered',
			received: '2012-09-05 22:59:00',
			final: true,
			delivered: true,
		},
		{
			id: 'E2ESTUCK',
			status: 'waiting',
			received: '2012-09-05 23:59:00',
			final: false,
			delivered: false,
		},
	]);
	expect(JSON.stringify(result.json('Reports'))).not.toContain(UNASKED_ID);
	expect(result.json('Wait For Final')).toEqual([
		expect.objectContaining({ id: 'E2EWAIT', status: 'rejected', final: true, delivered: false }),
	]);
	expect(fake.timesAsked('E2EWAIT')).toBe(3);

	const [failed] = result.json('Wrong Login');
	expect(failed.error).toContain('unknown username/password');
	expect(failed.httpCode).toBe('401');
	expect(result.stdout + result.stderr + JSON.stringify(result.run)).not.toContain('not-the-pass');
	expect(result.stdout + result.stderr).not.toContain(fake.password);
	expect(JSON.stringify(result.run)).not.toContain(fake.password);
});

describe('the trigger on a running n8n', () => {
	let server: N8nServer;
	const url = () => server.webhookUrl(`${WEBHOOK_ID}/naimar-sms`);

	beforeAll(async () => {
		server = await session.startServer({ activate: [triggerWorkflow.id!] });
	});
	afterAll(async () => await server?.stop());

	test("the credential's Test button tells a right login from a wrong one", async () => {
		const press = async (data: Record<string, unknown>) =>
			await server.testCredential({ type: 'naimarSmsApi', data });
		expect(await press(fake.credentials)).toMatchObject({ status: 'OK' });
		const wrongLogin = await press({ ...fake.credentials, password: 'not-the-pass' });
		expect(wrongLogin.status).toBe('Error');
		// n8n words the 401 itself: 2.8 "Authorization failed …", 2.41 the status text "Unauthorized"
		expect(wrongLogin.message).toMatch(
			/Authorization failed|Unauthorized|unknown username\/password/,
		);
		expect(JSON.stringify(wrongLogin)).not.toContain('not-the-pass');
		const tooLong = await press({ ...fake.credentials, password: 'seventeen-chars!!' });
		expect(tooLong.status).toBe('Error');
		expect(tooLong.message).toContain('"Password"');
		expect(tooLong.message).not.toContain('seventeen-chars!!');
	});

	test('answers exactly 200 "OK" and starts the workflow with the report', async () => {
		const query = new URLSearchParams({
			id: 'abcdefghijklab',
			rcv_msg_id: '77',
			time: '2024-05-01 10:11:12',
			status: '2',
			secret: SECRET,
		});
		const response = await fetch(`${url()}?${query}`);
		expect(response.status).toBe(200);
		expect(await response.text()).toBe('OK');
		const execution = await server.waitForExecution(triggerWorkflow.id!);
		expect(execution.json('Received')).toEqual([
			{
				id: 'abcdefghijklab',
				receivedMessageId: '77',
				time: '2024-05-01 10:11:12',
				statusCode: 2,
				status: 'delivered',
			},
		]);
	});

	test('a wrong secret gets 403 and a filtered-out status gets OK; neither starts the workflow', async () => {
		const before = (await server.lastExecution(triggerWorkflow.id!))?.id;
		const wrongSecret = await fetch(
			`${url()}?${new URLSearchParams({ id: 'x1', status: '5', secret: 'nope' })}`,
		);
		expect(wrongSecret.status).toBe(403);
		await wrongSecret.text();
		const filtered = await fetch(
			`${url()}?${new URLSearchParams({ id: 'x2', status: '3', secret: SECRET })}`,
		);
		expect([filtered.status, await filtered.text()]).toEqual([200, 'OK']);
		const kept = await fetch(
			`${url()}?${new URLSearchParams({ id: 'x3', status: '5', secret: SECRET })}`,
		);
		expect([kept.status, await kept.text()]).toEqual([200, 'OK']);
		const execution = await server.waitForExecution(triggerWorkflow.id!, {
			afterExecutionId: before,
		});
		expect(execution.json('Received')).toEqual([
			expect.objectContaining({ id: 'x3', status: 'failed', statusCode: 5 }),
		]);
		const executions = await server.executions(triggerWorkflow.id!);
		expect(executions.filter((entry) => Number(entry.id) > Number(before))).toHaveLength(1);
	});

	test('the Shared Secret lives in the Naimar SMS Push credential: its Test checks it, and neither the workflow nor an execution holds it', async () => {
		const press = async (sharedSecret: string) =>
			await server.testCredential({ type: 'naimarSmsPushApi', data: { sharedSecret } });
		expect(await press(SECRET)).toMatchObject({ status: 'OK' });
		const weak = await press('short&1');
		expect(weak.status).toBe('Error');
		expect(weak.message).toContain('Shared Secret');
		const stored = await server.rest<Record<string, unknown>>(
			'GET',
			`/workflows/${triggerWorkflow.id}`,
		);
		expect(JSON.stringify(stored)).not.toContain(SECRET);
		const executions = await server.executions(triggerWorkflow.id!);
		expect(executions.length).toBeGreaterThan(0);
		for (const entry of executions)
			expect(JSON.stringify((await server.execution(entry.id)).run)).not.toContain(SECRET);
	});
});
