/**
 * Customers Mail Cloud in the real n8n (pinned version, package installed as users get it),
 * against the fake:
 *  1. one CLI call runs two workflows: one branch per operation (Get Many with a limit, Return
 *     All, Download as ZIP, Download as items from an AES-encrypted ZIP, Unblock Permanently,
 *     Unblock Once, not found and a wrong key under Continue On Fail) and the shipped example;
 *  2. `n8n start` with the trigger workflow active: activation records, the next poll (on the
 *     minute) emits the block added meanwhile.
 */
import {
	startCustomersMailCloudFake,
	type CustomersMailCloudFake,
	type FakeBlock,
} from '../fakes/customers-mail-cloud';
import {
	N8nSession,
	PACKAGE_PREFIX,
	fanOutWorkflow,
	packageNode,
	randomId,
	shippedExample,
	type CredentialFixture,
	type WorkflowJson,
} from './n8n';

const ZIP_PASSWORD = 'e2e-zip-pass';

let fake: CustomersMailCloudFake;
let session: N8nSession;
let blocks: FakeBlock[];

const good: CredentialFixture = {
	id: randomId('cr'),
	name: 'CMC (fake)',
	type: 'customersMailCloudApi',
	data: {},
};
const wrong: CredentialFixture = {
	id: randomId('cr'),
	name: 'CMC (wrong key)',
	type: 'customersMailCloudApi',
	data: {},
};

function cmcNode(
	name: string,
	parameters: Record<string, unknown>,
	y: number,
	credential = good,
	extra = {},
) {
	return packageNode({
		type: 'customersMailCloud',
		name,
		credential,
		parameters: { resource: 'block', ...parameters },
		position: [300, y],
		extra,
	});
}

function operationsWorkflow(): WorkflowJson {
	// v1 order runs branches top to bottom: reads first, then the unblocks.
	const branches = [
		cmcNode('Get Many', { operation: 'getAll', returnAll: false, limit: 150 }, -400),
		cmcNode(
			'Get All',
			{ operation: 'getAll', returnAll: true, filters: { email: 'example.jp' } },
			-300,
		),
		cmcNode('Download ZIP', { operation: 'download', output: 'binary' }, -200),
		cmcNode('Download Items', { operation: 'download', output: 'items' }, -100),
		cmcNode(
			'Unblock Permanently',
			{ operation: 'delete', email: blocks[0].email.toUpperCase() },
			0,
		),
		cmcNode('Unblock Once', { operation: 'cancel', email: blocks[1].email }, 100),
		cmcNode('Not Found', { operation: 'cancel', email: 'nobody@example.com' }, 200, good, {
			onError: 'continueRegularOutput',
		}),
		cmcNode('Wrong Key', { operation: 'getAll', returnAll: false, limit: 5 }, 300, wrong, {
			onError: 'continueRegularOutput',
		}),
	];
	return fanOutWorkflow('Customers Mail Cloud e2e operations', branches);
}

const triggerWorkflow: WorkflowJson = {
	id: randomId('wf'),
	name: 'Customers Mail Cloud e2e trigger',
	nodes: [
		{
			id: 'trigger',
			name: 'Customers Mail Cloud Trigger',
			type: `${PACKAGE_PREFIX}customersMailCloudTrigger`,
			typeVersion: 1,
			position: [0, 0],
			parameters: {
				event: 'newBlock',
				pollTimes: { item: [{ mode: 'everyMinute' }] },
				options: { minPollInterval: 0 },
			},
			credentials: { customersMailCloudApi: { id: good.id, name: good.name } },
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
		'Customers Mail Cloud Trigger': { main: [[{ node: 'Received', type: 'main', index: 0 }]] },
	},
};

beforeAll(async () => {
	fake = await startCustomersMailCloudFake();
	blocks = fake.seed(230, { from: new Date(Date.now() - 20 * 86_400_000), spacingSeconds: 3600 });
	fake.setDownload(
		{ encryption: { kind: 'aes', password: ZIP_PASSWORD, strength: 3, version: 2 } },
		'testcomp',
	);
	// The example gets its own composition, so its unblocks do not change what the operations see.
	fake.addComposition('examplecomp');
	fake.seed(230, {
		composition: 'examplecomp',
		from: new Date(Date.now() - 20 * 86_400_000),
		spacingSeconds: 3600,
	});
	good.data = { ...fake.credentials, zipPassword: ZIP_PASSWORD };
	wrong.data = { ...fake.credentials, apiKey: 'wrong-e2e-key-555' };
	session = await N8nSession.create();
});

afterAll(async () => {
	await session?.dispose();
	await fake?.close();
});

test('every operation and the shipped example run in the real n8n (one CLI call)', async () => {
	const operations = operationsWorkflow();
	const { example, sandbox } = shippedExample('customers-mail-cloud', {
		host: fake.url,
		serverComposition: 'examplecomp',
	});
	await session.import({
		credentials: [good, wrong, sandbox],
		workflows: [operations, triggerWorkflow, example],
	});
	const expectedJp = blocks
		.filter((block) => block.email.includes('example.jp'))
		.map((block) => block.id);
	const [result, exampleResult] = await session.executeMany([operations.id!, example.id!]);

	expect(result.status).toBe('success');
	expect(result.json('Get Many')).toHaveLength(150);
	expect(result.json('Get Many')[0]).toEqual({ ...blocks[0], statusText: expect.any(String) });
	expect(result.json('Get All').map((item) => item.id)).toEqual(expectedJp);
	const [zip] = result.items('Download ZIP');
	expect(zip.binary?.data.fileName).toMatch(/^blocks-\d{8}_\d{6}\.zip$/);
	expect(zip.binary?.data.mimeType).toBe('application/zip');
	expect(result.json('Download Items').map((item) => item.id)).toEqual(
		blocks.map((block) => block.id),
	);
	expect(result.json('Unblock Permanently')).toEqual([
		{ email: blocks[0].email.toUpperCase(), result: 'success' },
	]);
	expect(result.json('Unblock Once')).toEqual([{ email: blocks[1].email, result: 'success' }]);
	expect(result.json('Not Found')).toEqual([
		expect.objectContaining({
			error: 'It does not exist the data specified in the email.',
			code: '12-001',
			field: 'email',
		}),
	]);
	expect(result.json('Wrong Key')).toEqual([
		expect.objectContaining({ httpCode: '401', field: 'api_key' }),
	]);
	expect(fake.removedBlocks().map((block) => block.id)).toEqual(
		expect.arrayContaining([blocks[0].id, blocks[1].id]),
	);

	expect(exampleResult.status).toBe('success');
	expect(exampleResult.json('Get Blocked Addresses')).toHaveLength(5);
	expect(
		exampleResult
			.json('Unblock Once')
			.every((item) => item.result === 'success' || item.result === 'notFound'),
	).toBe(true);
	expect(exampleResult.json('Download All as Items').length).toBeGreaterThan(200);

	const everything = result.stdout + result.stderr + JSON.stringify(result.run);
	expect(everything).not.toContain('wrong-e2e-key-555');
	expect(everything).not.toContain(fake.credentials.apiKey);
	expect(everything).not.toContain(ZIP_PASSWORD);
	expect(JSON.stringify(operations)).not.toContain(ZIP_PASSWORD);
});

test('the trigger, active in a running n8n, records on activation and then emits a new block once', async () => {
	const server = await session.startServer({ activate: [triggerWorkflow.id!] });
	try {
		// Activation ran the first poll (records, emits nothing); the next one runs on the minute.
		const added = fake.addBlock({ email: 'e2e-new@example.com', status: '2' });
		const execution = await server.waitForExecution(triggerWorkflow.id!, { timeoutMs: 75_000 });
		expect(execution.status).toBe('success');
		expect(execution.json('Received')).toEqual([
			expect.objectContaining({
				event: 'newBlock',
				id: added.id,
				email: 'e2e-new@example.com',
				statusText: 'unknown user',
			}),
		]);
		expect(JSON.stringify(execution.run)).not.toContain(fake.credentials.apiKey);

		// The credential's Test in n8n's own tester: a refusal that comes with HTTP 200 still fails.
		// (The trigger is stopped first, so that no poll takes the injected answer.)
		await server.deactivate(triggerWorkflow.id!);
		const press = async (data: Record<string, unknown>) =>
			await server.testCredential({ type: 'customersMailCloudApi', data });
		expect(await press({ ...fake.credentials })).toMatchObject({ status: 'OK' });
		expect((await press({ ...fake.credentials, apiKey: 'wrong-e2e-key-555' })).status).toBe(
			'Error',
		);
		fake.server.inject(
			{
				kind: 'status',
				status: 200,
				body: JSON.stringify({
					errors: [{ code: '01-001', field: 'api_key', message: 'Authentication failed.' }],
				}),
			},
			{ pathPrefix: '/transaction/v2/blocks/list.json' },
		);
		const refusedWith200 = await press({ ...fake.credentials, apiKey: 'wrong-e2e-key-555' });
		expect(refusedWith200).toMatchObject({
			status: 'Error',
			message: expect.stringContaining('did not accept the credential'),
		});
		expect(JSON.stringify(refusedWith200)).not.toContain('wrong-e2e-key-555');
	} finally {
		await server.stop();
	}
}, 200_000);
