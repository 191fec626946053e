/**
 * "On Error → Continue (using error output)" in the real n8n (pinned version, package installed
 * as users get it), against the Customers Mail Cloud fake: a failed item goes down the error
 * branch with its message, HTTP status and the provider's code and field, a good one down the
 * success branch; with Retry On Fail the rerun that n8n starts (the first item failed) does not
 * lift the block again but reports it as already done.
 */
import {
	startCustomersMailCloudFake,
	type CustomersMailCloudFake,
	type FakeBlock,
} from '../fakes/customers-mail-cloud';
import {
	N8nSession,
	MANUAL_START,
	packageNode,
	randomId,
	type CredentialFixture,
	type WorkflowJson,
} from './n8n';

let fake: CustomersMailCloudFake;
let session: N8nSession;
let blocks: FakeBlock[];

const credential: CredentialFixture = {
	id: randomId('cr'),
	name: 'CMC (fake)',
	type: 'customersMailCloudApi',
	data: {},
};

function workflow(): WorkflowJson {
	const emails = ['nobody@example.com', blocks[0].email];
	return {
		id: randomId('wf'),
		name: 'Error output e2e',
		nodes: [
			MANUAL_START,
			{
				id: 'emails',
				name: 'Emails',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [200, 0],
				parameters: { mode: 'raw', jsonOutput: JSON.stringify({ emails }) },
			},
			{
				id: 'split',
				name: 'Split',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [400, 0],
				parameters: { fieldToSplitOut: 'emails' },
			},
			packageNode({
				type: 'customersMailCloud',
				name: 'Unblock Once',
				credential,
				parameters: { resource: 'block', operation: 'cancel', email: '={{ $json.emails }}' },
				position: [600, 0],
				extra: {
					onError: 'continueErrorOutput',
					retryOnFail: true,
					maxTries: 2,
					waitBetweenTries: 10,
				},
			}),
			{
				id: 'ok',
				name: 'Unblocked',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [800, -100],
				parameters: {},
			},
			{
				id: 'failed',
				name: 'Failed',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [800, 100],
				parameters: {},
			},
		],
		connections: {
			Start: { main: [[{ node: 'Emails', type: 'main', index: 0 }]] },
			Emails: { main: [[{ node: 'Split', type: 'main', index: 0 }]] },
			Split: { main: [[{ node: 'Unblock Once', type: 'main', index: 0 }]] },
			'Unblock Once': {
				main: [
					[{ node: 'Unblocked', type: 'main', index: 0 }],
					[{ node: 'Failed', type: 'main', index: 0 }],
				],
			},
		},
	};
}

beforeAll(async () => {
	fake = await startCustomersMailCloudFake();
	blocks = fake.seed(3);
	credential.data = { ...fake.credentials };
	session = await N8nSession.create();
});

afterAll(async () => {
	await session?.dispose();
	await fake?.close();
});

test('a failed item reaches the error output with its details, a good one the success output, and a retry lifts nothing twice', async () => {
	const flow = workflow();
	await session.import({ credentials: [credential], workflows: [flow] });
	const [result] = await session.executeMany([flow.id!]);

	expect(result.status).toBe('success');
	expect(result.json('Unblock Once', 0)).toEqual([
		{ email: blocks[0].email, result: 'success', alreadyDone: true },
	]);
	expect(result.json('Unblock Once', 1)).toEqual([
		{
			emails: 'nobody@example.com',
			error: {
				message: 'It does not exist the data specified in the email.',
				description: expect.stringContaining('12-001'),
				httpCode: '400',
				code: '12-001',
				field: 'email',
			},
		},
	]);
	expect(result.items('Unblock Once', 1)[0].pairedItem).toEqual({ item: 0 });
	expect(result.items('Unblock Once', 0)[0].pairedItem).toEqual({ item: 1 });
	// The branches ran with those items.
	expect(result.json('Unblocked')).toEqual(result.json('Unblock Once', 0));
	expect(result.json('Failed')).toEqual(result.json('Unblock Once', 1));

	// Retry On Fail reran the node (its first item failed): two tries of two requests, one block lifted once.
	const forms = fake.server.requestsTo('/transaction/v2/blocks/cancel.json');
	expect(forms).toHaveLength(4);
	expect(fake.removedBlocks().map((block) => block.id)).toEqual([blocks[0].id]);

	const everything = result.stdout + result.stderr + JSON.stringify(result.run);
	expect(everything).not.toContain(fake.credentials.apiKey);
});
