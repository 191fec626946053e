/**
 * Every shipped example workflow (examples/*.json) in the real n8n, started the way the editor's
 * "Execute workflow" button starts it (POST /rest/workflows/:id/run from its trigger, mode
 * "manual"), against fakes holding the sandbox's demo data. The workflow with a webhook trigger is
 * started by a call to its test URL, as the gateway would call it.
 *
 * test/e2e/editor.e2e.test.ts runs the same workflows from the editor in a browser.
 */
import { N8nServer, N8nSession, type ExecutionResult, type WorkflowJson } from './n8n';
import {
	runnableNodes,
	shippedExample,
	shippedExamples,
	startExampleSandbox,
	type ExampleSandbox,
} from './examples';

const examples = shippedExamples();
let sandbox: ExampleSandbox;
let session: N8nSession;
let server: N8nServer;

/** Deliveries the daily summary must count: past the API's 4,000-per-query cap. */
const EXTRA_DELIVERIES = 4300;

beforeAll(async () => {
	sandbox = await startExampleSandbox();
	// The sandbox's 200 deliveries of the last day plus enough to pass the per-query cap.
	sandbox.arara.seed(EXTRA_DELIVERIES, Date.now() - 23 * 3_600_000, Date.now() - 120_000, 77);
	session = await N8nSession.create();
	await session.import({
		credentials: sandbox.credentials,
		workflows: examples.map((example) => example.workflow),
	});
	server = await session.startServer();
});

afterAll(async () => {
	await session?.dispose();
	await sandbox?.close();
});

function trigger(workflow: WorkflowJson) {
	const triggers = workflow.nodes.filter((node) => /trigger/i.test(node.type));
	if (triggers.length !== 1)
		throw new Error(`${workflow.name}: expected one trigger, found ${triggers.length}`);
	return triggers[0];
}

/** What the editor's "Execute workflow" sends, then the finished execution. */
async function executeLikeTheEditor(
	workflow: WorkflowJson & { id: string },
	callWebhook?: () => Promise<void>,
): Promise<ExecutionResult> {
	const before = (await server.lastExecution(workflow.id))?.id;
	const stored = await server.rest<WorkflowJson>('GET', `/workflows/${workflow.id}`);
	const started = await server.rest<{ waitingForWebhook?: boolean; executionId?: string }>(
		'POST',
		`/workflows/${workflow.id}/run`,
		{
			workflowData: stored,
			triggerToStartFrom: { name: trigger(workflow).name },
		},
	);
	if (started.waitingForWebhook) {
		if (!callWebhook) throw new Error(`${workflow.name} waits for a webhook call`);
		await callWebhook();
	}
	return await server.waitForExecution(workflow.id, {
		afterExecutionId: before,
		timeoutMs: 90_000,
	});
}

const counts = (result: ExecutionResult, nodes: string[], output = 0) =>
	Object.fromEntries(nodes.map((name) => [name, result.items(name, output).length]));

test('there are at least ten examples, each with a sticky note, only built-in nodes and ours, and the sandbox credentials', () => {
	expect(examples.length).toBeGreaterThanOrEqual(10);
	const credentialIds = new Set(sandbox.credentials.map((credential) => credential.id));
	for (const { file, workflow } of examples) {
		const notes = workflow.nodes.filter((node) => node.type === 'n8n-nodes-base.stickyNote');
		expect({ file, notes: notes.length }).toEqual({ file, notes: 1 });
		expect(String((notes[0].parameters as { content?: string }).content).length).toBeGreaterThan(
			100,
		);
		for (const node of workflow.nodes) {
			expect(node.type).toMatch(/^(n8n-nodes-base|n8n-nodes-delivery-reports)\./);
			for (const reference of Object.values(
				(node.credentials ?? {}) as Record<string, { id: string }>,
			)) {
				expect(credentialIds.has(reference.id)).toBe(true);
			}
		}
	}
});

test('nightly new blocks → CSV: the trigger, one download from the oldest new day, one CSV file', async () => {
	const result = await executeLikeTheEditor(
		shippedExample(examples, 'customers-mail-cloud-new-blocks-csv.json'),
	);
	expect(result.status).toBe('success');
	const [newest] = result.json('New Blocks (nightly)');
	expect(newest).toMatchObject({
		event: 'newBlock',
		email: expect.any(String),
		created: expect.any(String),
	});
	const day = String(newest.created).slice(0, 10);
	const expected = sandbox.cmc
		.blocks('testcomp')
		.filter((block) => block.created.slice(0, 10) >= day);
	expect(result.json('Download Blocks Since Then').map((item) => item.email)).toEqual(
		expected.map((block) => block.email),
	);
	const files = result.items('Blocked Addresses CSV');
	expect(files).toHaveLength(1);
	expect(files[0].binary?.data).toMatchObject({
		mimeType: 'text/csv',
		fileName: expect.stringMatching(/^blocked-addresses-\d{4}-\d{2}-\d{2}\.csv$/),
	});
});

test('alert when a mail to a customer bounced: the newest bounce, routed by whether the address is wrong, in one alert', async () => {
	const result = await executeLikeTheEditor(
		shippedExample(examples, 'customers-mail-cloud-bounce-alert.json'),
	);
	expect(result.status).toBe('success');
	const newest = [...sandbox.cmc.bounces('testcomp')]
		.sort((a, b) => a.created.localeCompare(b.created))
		.pop()!;
	expect(result.json('New Bounce')).toEqual([
		expect.objectContaining({
			event: 'newBounce',
			to: newest.to,
			created: newest.created,
			status: newest.status,
		}),
	]);
	const addressWrong = ['1', '2', '9'].includes(newest.status);
	const [alertNode, otherNode] = addressWrong
		? ['Alert: Fix Customer Address', 'Alert: Mail Bounced']
		: ['Alert: Mail Bounced', 'Alert: Fix Customer Address'];
	expect(counts(result, [alertNode, otherNode])).toEqual({ [alertNode]: 1, [otherNode]: 0 });
	const [alert] = result.json(alertNode);
	expect(alert).toEqual({
		alert: expect.stringContaining(`to ${newest.to} bounced on ${newest.created}`),
		to: newest.to,
		reason: newest.reason,
	});
	expect(String(alert.alert)).not.toMatch(/undefined|null/);
});

describe('lift a list of blocks once', () => {
	const workflow = shippedExample(examples, 'customers-mail-cloud-lift-blocks-once.json');
	let result: ExecutionResult;
	beforeAll(async () => {
		result = await executeLikeTheEditor(workflow);
	});

	test('the listed blocks are lifted and the address that was not blocked does not stop the workflow', () => {
		expect(workflow.nodes.find((node) => node.name === 'Unblock Once')?.onError).toBe(
			'continueErrorOutput',
		);
		expect(result.status).toBe('success');
		const outputs = [...result.json('Unblock Once', 0), ...result.json('Unblock Once', 1)];
		expect(outputs.filter((item) => item.result === 'success').map((item) => item.email)).toEqual([
			'user0.demo@example.com',
			'user1.demo@example.jp',
		]);
		expect(outputs.filter((item) => item.error !== undefined)).toHaveLength(1);
		const lifted = sandbox.cmc.removedBlocks('testcomp').map((block) => block.email);
		expect(lifted).toEqual(
			expect.arrayContaining(['user0.demo@example.com', 'user1.demo@example.jp']),
		);
		expect(lifted).not.toContain('not-blocked@example.com');
	});

	// n8n routes an item to the error output only when its json is {error} alone: the node's error
	// items carry message, description, httpCode, code and field inside `error` there.
	test('the failed address goes to the error output and into the report', () => {
		expect(result.json('Unblock Once', 0)).toEqual([
			expect.objectContaining({ email: 'user0.demo@example.com', result: 'success' }),
			expect.objectContaining({ email: 'user1.demo@example.jp', result: 'success' }),
		]);
		expect(result.json('Unblock Once', 1)).toHaveLength(1);
		expect(counts(result, ['Lifted', 'Not Lifted', 'Report File'])).toEqual({
			Lifted: 2,
			'Not Lifted': 1,
			'Report File': 1,
		});
		expect(result.json('Not Lifted')).toEqual([
			{ email: 'not-blocked@example.com', reason: expect.stringMatching(/not exist|not found/i) },
		]);
	});
});

test('wait for the final status, alert on undelivered: the waiting SMS turns delivered, the undeliverable one alerts', async () => {
	const result = await executeLikeTheEditor(
		shippedExample(examples, 'naimar-sms-wait-final-alert.json'),
	);
	expect(result.status).toBe('success');
	expect(result.json('Wait For Final Status')).toEqual([
		expect.objectContaining({ id: 'abcdefghijklab', status: 'delivered', final: true }),
		expect.objectContaining({ id: '0qwedf5e8e8r7w', status: 'delivered', final: true }),
		expect.objectContaining({
			id: '45678912345678',
			status: 'undeliverable',
			final: true,
			delivered: false,
		}),
	]);
	expect(counts(result, ['Delivered', 'Alert: Not Delivered'])).toEqual({
		Delivered: 2,
		'Alert: Not Delivered': 1,
	});
	expect(result.json('Alert: Not Delivered')[0]).toMatchObject({
		id: '45678912345678',
		status: 'undeliverable',
	});
});

test('push reports → alert on rejected: a rejected report from the gateway ends in the alert', async () => {
	const workflow = shippedExample(examples, 'naimar-sms-push-rejected-alert.json');
	const webhookId = String(trigger(workflow).webhookId);
	let answer: { status: number; body: string } | undefined;
	const result = await executeLikeTheEditor(workflow, async () => {
		const url = `${server.baseUrl}/webhook-test/${webhookId}/naimar-sms?id=abcdefghijklab&rcv_msg_id=98765&time=2024-05-01%2010:11:12&status=8`;
		const response = await fetch(url);
		answer = { status: response.status, body: await response.text() };
	});
	expect(answer).toEqual({ status: 200, body: 'OK' });
	expect(result.status).toBe('success');
	expect(result.json('Push Report')).toEqual([
		expect.objectContaining({ id: 'abcdefghijklab', statusCode: 8, status: 'rejected' }),
	]);
	expect(counts(result, ['Alert: Rejected', 'Other Reports'])).toEqual({
		'Alert: Rejected': 1,
		'Other Reports': 0,
	});
});

test('daily delivery summary: every delivery of the last 24 hours counted, past the 4,000 cap', async () => {
	const result = await executeLikeTheEditor(
		shippedExample(examples, 'arara-message-daily-summary.json'),
	);
	expect(result.status).toBe('success');
	const total = 200 + EXTRA_DELIVERIES;
	expect(result.items('Deliveries Of The Last 24 Hours')).toHaveLength(total);
	const byStatus = result.json('Count By Status');
	expect(byStatus.length).toBeGreaterThan(1);
	expect(byStatus.reduce((sum, item) => sum + Number(item.count_delivery_id), 0)).toBe(total);
	expect(result.json('Total')).toEqual([{ sum_count_delivery_id: total }]);
});

test('cancel a reserved delivery by its request ID: found by the request ID, cancelled, status deleted', async () => {
	const result = await executeLikeTheEditor(
		shippedExample(examples, 'arara-message-cancel-by-request-id.json'),
	);
	expect(result.status).toBe('success');
	const [reserved] = result.json('Reserve A Demo Delivery');
	expect(reserved.request_id).toMatch(/^order\d+$/);
	const found = result.json('Find By Request ID');
	expect(found).toHaveLength(1);
	expect(found[0].delivery_id).toBe(reserved.delivery_id);
	expect(result.json('Cancel')).toEqual([expect.objectContaining({ cancelled: true })]);
	expect(sandbox.arara.store.get(String(reserved.delivery_id))?.status).toBe('deleted');
});

test('every other example runs to success and every node of it runs', async () => {
	const covered = new Set([
		'customers-mail-cloud-new-blocks-csv.json',
		'customers-mail-cloud-bounce-alert.json',
		'customers-mail-cloud-lift-blocks-once.json',
		'naimar-sms-wait-final-alert.json',
		'naimar-sms-push-rejected-alert.json',
		'arara-message-daily-summary.json',
		'arara-message-cancel-by-request-id.json',
	]);
	const others = examples.filter((example) => !covered.has(example.file));
	expect(others.length).toBeGreaterThanOrEqual(3);
	for (const { file, workflow } of others) {
		const result = await executeLikeTheEditor(workflow);
		expect({ file, status: result.status, error: result.error?.message }).toEqual({
			file,
			status: 'success',
			error: undefined,
		});
		expect({ file, ran: result.executedNodes().sort() }).toEqual({
			file,
			ran: runnableNodes(workflow).sort(),
		});
	}
});
