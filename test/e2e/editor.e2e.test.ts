/**
 * The nodes in n8n's editor, in a real browser: the pinned n8n (`n8n start`, this package
 * installed as users get it) driven in Debian's headless Chromium through playwright-core.
 * Logs in as the owner; for each node and trigger adds it from the node panel by searching its
 * name, checks its icon, its Resource/Operation lists and each operation's fields; checks each
 * credential dialog and its Test against the fakes (right and wrong key); runs every shipped
 * example from the editor's "Execute workflow" and reads the item counts off the canvas.
 *
 * Setup: Debian's Chromium at /usr/bin/chromium (`sudo apt-get update && sudo apt-get install -y
 * chromium`; .ci/run installs it when missing). No browser is ever downloaded.
 * Screenshots, one per step: test-results/editor/ (printed at the end).
 */
import path from 'node:path';

import { Editor } from './editor';
import {
	runnableNodes,
	shippedExample,
	shippedExamples,
	startExampleSandbox,
	type ExampleSandbox,
} from './examples';
import { E2E_OWNER, N8nSession, REPO_ROOT, type N8nServer } from './n8n';

// ---------------------------------------------------------------------------------------------
// What the editor must show: the documented operations, their fields (labels, top to bottom, as
// the Parameters tab shows them with the operation's defaults) and the credential fields
// (parameter name → label). Keep this table in step with docs/*.md.

interface NodeExpectation {
	/** What the user types into the node panel's search. */
	search: string;
	/** The node's name in the panel. */
	node: string;
	/** The panel's action entries (one per operation). */
	actions: string[];
	/** resource → operation → fields shown. */
	resources: Record<string, Record<string, string[]>>;
	credential: {
		type: string;
		fields: Record<string, string>;
		/** Test in the dialog (n8n tests on save and on "Retry"); OAuth2 client credentials have none. */
		testable: boolean;
		/** Field values that must fail, merged over the sandbox values. */
		wrong: Record<string, string>;
	};
	trigger: {
		/** The panel's trigger entries. */
		entries: string[];
		fields: string[];
	};
}

const EDITOR_TABLE: NodeExpectation[] = [
	{
		search: 'Customers Mail Cloud',
		node: 'Customers Mail Cloud',
		actions: [
			// The panel lists the actions by resource (in the Resource list's order), each resource's by name.
			'Download blocked addresses',
			'Get many blocked addresses',
			'Unblock an address once',
			'Unblock an address permanently',
			'Download bounces',
			'Get many bounces',
			'Get many delivery records',
		],
		resources: {
			Block: {
				Download: [
					'Server Composition',
					'Filters',
					'Output',
					'Put Output File in Field',
					'Options',
				],
				'Get Many': ['Server Composition', 'Return All', 'Limit', 'Filters', 'Options'],
				'Unblock Once': ['Server Composition', 'Email', 'Options'],
				'Unblock Permanently': ['Server Composition', 'Email', 'Options'],
			},
			Bounce: {
				Download: [
					'Server Composition',
					'Filters',
					'Output',
					'Put Output File in Field',
					'Options',
				],
				'Get Many': ['Server Composition', 'Return All', 'Limit', 'Filters', 'Options'],
			},
			Delivery: {
				'Get Many': ['Server Composition', 'Date', 'Return All', 'Limit', 'Filters', 'Options'],
			},
		},
		credential: {
			type: 'customersMailCloudApi',
			fields: {
				apiUser: 'API User',
				apiKey: 'API Key',
				host: 'Host',
				language: 'Language',
				serverComposition: 'Default Server Composition',
				zipPassword: 'ZIP Password',
			},
			testable: true,
			wrong: { apiKey: 'wrong-key-typed-in-the-editor' },
		},
		trigger: {
			entries: ['On new block', 'On block removed', 'On new bounce', 'On delivery failed'],
			fields: ['Poll Times', 'Event', 'Server Composition', 'Filters', 'Options'],
		},
	},
	{
		search: 'Naimar SMS',
		node: 'Naimar SMS',
		actions: ['Get delivery reports'],
		resources: { 'Delivery Report': { Get: ['Message IDs', 'Options'] } },
		credential: {
			type: 'naimarSmsApi',
			fields: { username: 'Username', password: 'Password', baseUrl: 'Base URL' },
			testable: true,
			wrong: { password: 'wrong-pass-typed' },
		},
		trigger: { entries: ['On new Naimar SMS event'], fields: ['Options'] },
	},
	{
		search: 'Arara Message',
		node: 'Arara Message',
		actions: [
			'Cancel a delivery',
			'Get a delivery',
			'Get deliveries by request ID',
			'Get many deliveries',
			'Send a delivery',
			'Look up addresses in the error filter',
		],
		resources: {
			Delivery: {
				Cancel: ['Delivery ID', 'Options'],
				Get: ['Delivery ID', 'Options'],
				'Get by Request ID': ['Request ID', 'Options'],
				'Get Many': ['Time Min', 'Time Max', 'Return All', 'Limit', 'Status', 'Options'],
				Send: [
					'Deliveries',
					'To',
					'Substitutions',
					'Subject',
					'Text',
					'HTML',
					'From Address',
					'From Name',
					'Send Time',
					'Additional Fields',
					'Options',
				],
			},
			'Error Filter': { 'Look Up': ['Address', 'Options'] },
		},
		credential: {
			type: 'araraMessageOAuth2Api',
			// The editor lays an extending credential out in n8n's oAuth2Api order with its labels.
			fields: {
				accessTokenUrl: 'Access Token URL',
				clientId: 'Client ID',
				clientSecret: 'Client Secret',
				host: 'Host',
			},
			testable: false,
			wrong: { clientSecret: 'wrong-secret-typed-in-the-editor' },
		},
		trigger: {
			entries: ['On new Arara Message event'],
			fields: ['Poll Times', 'Look Back (Hours)', 'Only On Statuses', 'Options'],
		},
	},
];

/** The entry n8n itself adds to the Resource and Operation lists of a node with credentials. */
const EDITOR_ADDED_OPTIONS = ['Custom API Call'];
/** Fields n8n itself adds to every credential dialog. */
const EDITOR_ADDED_CREDENTIAL_FIELDS = ['allowedHttpRequestDomains'];
/** Parameters the NDV shows above the operation's own fields. */
const NOT_OPERATION_FIELDS = ['Credential to connect with', 'Resource', 'Operation'];

const OUTPUT_DIR = path.join(REPO_ROOT, 'test-results', 'editor');
const EXTRA_DELIVERIES = 4300;
const MANUAL_TRIGGER = /^When clicking .Execute workflow.$/;

let sandbox: ExampleSandbox;
let session: N8nSession;
let server: N8nServer;
let editor: Editor;
const examples = shippedExamples();

jest.setTimeout(300_000);

beforeAll(async () => {
	sandbox = await startExampleSandbox();
	sandbox.arara.seed(EXTRA_DELIVERIES, Date.now() - 23 * 3_600_000, Date.now() - 120_000, 77);
	session = await N8nSession.create();
	await session.import({
		credentials: sandbox.credentials,
		workflows: examples.map((example) => example.workflow),
	});
	server = await session.startServer();
	editor = await Editor.launch(server.baseUrl, OUTPUT_DIR);
	await editor.login(E2E_OWNER);
	await editor.screenshot('logged-in');
}, 240_000);

afterAll(async () => {
	await editor?.close();
	await session?.dispose();
	await sandbox?.close();
	if (editor?.screenshots.length) {
		process.stdout.write(
			`\n[editor e2e] ${editor.screenshots.length} screenshots in ${OUTPUT_DIR}:\n${editor.screenshots.map((file) => `  ${file}`).join('\n')}\n`,
		);
	}
});

function sandboxCredentialId(type: string): string {
	const credential = sandbox.credentials.find((candidate) => candidate.type === type);
	if (!credential?.id) throw new Error(`no sandbox credential of type ${type}`);
	return credential.id;
}

function sandboxValues(type: string): Record<string, string> {
	const credential = sandbox.credentials.find((candidate) => candidate.type === type);
	if (!credential) throw new Error(`no sandbox credential of type ${type}`);
	return Object.fromEntries(
		Object.entries(credential.data).map(([key, value]) => [key, String(value)]),
	);
}

async function addedNodeName(): Promise<string> {
	const names = await editor
		.canvasNodes()
		.evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-node-name') ?? ''));
	const added = names.filter((name) => !MANUAL_TRIGGER.test(name));
	expect(added).toHaveLength(1);
	return added[0];
}

describe.each(EDITOR_TABLE)('$node in the editor', (expected) => {
	test('the node: found in the panel, icon, Resource/Operation lists and the fields of each operation', async () => {
		await editor.newWorkflow();
		await editor.searchNode(expected.search, expected.node);
		expect(await editor.categoryEntries('Actions')).toEqual(expected.actions);
		await editor.screenshot(`${expected.node} panel`);
		await editor.pickEntry(expected.actions[0]);

		const resources = (await editor.parameterOptions('resource')).filter(
			(title) => !EDITOR_ADDED_OPTIONS.includes(title),
		);
		expect(resources).toEqual(Object.keys(expected.resources));
		for (const [resource, operations] of Object.entries(expected.resources)) {
			await editor.selectOption('resource', resource);
			const listed = (await editor.parameterOptions('operation')).filter(
				(title) => !EDITOR_ADDED_OPTIONS.includes(title),
			);
			expect({ resource, operations: listed }).toEqual({
				resource,
				operations: Object.keys(operations),
			});
			for (const [operation, fields] of Object.entries(operations)) {
				await editor.selectOption('operation', operation);
				const shown = (await editor.visibleParameters()).filter(
					(label) => !NOT_OPERATION_FIELDS.includes(label),
				);
				expect({ operation, fields: shown }).toEqual({ operation, fields });
				await editor.screenshot(`${expected.node} ${resource} ${operation}`);
			}
		}
		await editor.closeNdv();
		const icon = await editor.iconRendered(await addedNodeName());
		expect(icon.src).toContain('/icons/n8n-nodes-delivery-reports/');
		expect(icon.naturalWidth).toBeGreaterThan(0);
		await editor.screenshot(`${expected.node} on the canvas`);
	});

	test('the credential dialog: the documented fields; Test succeeds on the sandbox and fails with a wrong key', async () => {
		const { credential } = expected;
		await editor.newWorkflow();
		await editor.searchNode(expected.search, expected.node);
		await editor.pickEntry(expected.actions[0]);
		await editor.selectNodeCredential(sandboxCredentialId(credential.type));
		const modal = await editor.editNodeCredential();
		const fields = (await editor.credentialFields(modal)).filter(
			(field) => !EDITOR_ADDED_CREDENTIAL_FIELDS.includes(field.name),
		);
		expect(Object.fromEntries(fields.map((field) => [field.name, field.label]))).toEqual(
			credential.fields,
		);

		const sandboxData = sandboxValues(credential.type);
		if (credential.testable) {
			// n8n tests a saved credential when its dialog opens; "Retry" is the dialog's Test button.
			expect(await editor.credentialTestResult(modal)).toMatchObject({ ok: true });
			expect(await editor.retestCredential(modal)).toMatchObject({
				ok: true,
				text: expect.stringMatching(/tested successfully/i),
			});
			await editor.screenshot(`${expected.node} credential test passed`);
			await editor.closeCredential(modal);

			const created = await editor.createNodeCredential();
			for (const name of Object.keys(credential.fields)) {
				const value = credential.wrong[name] ?? sandboxData[name];
				if (value !== undefined && name !== 'language')
					await editor.fillCredentialField(created, name, value);
			}
			await editor.saveCredential(created);
			const failed = await editor.credentialTestResult(created);
			expect(failed.ok).toBe(false);
			expect(failed.text).toMatch(/Couldn.t connect with these settings/);
			expect(failed.text).toMatch(/Authorization failed/);
			for (const secret of Object.values(credential.wrong))
				expect(failed.text).not.toContain(secret);
			await editor.screenshot(`${expected.node} credential test failed`);
			await editor.closeCredential(created);
		} else {
			// OAuth2 client credentials: n8n shows neither a Test nor a "Connect my account" button;
			// the token is fetched on first use, so the flow's result shows when the node runs.
			await expect(modal.getByTestId('oauth-connect-button').isVisible()).resolves.toBe(false);
			await expect(modal.getByRole('button', { name: /^(Retry|Test)$/ }).count()).resolves.toBe(0);
			await editor.screenshot(`${expected.node} credential dialog`);
			await editor.closeCredential(modal);
			await araraTokenFlowInTheEditor(credential.wrong, sandboxData);
		}
		await editor.closeNdv();
	});

	test('the trigger: found in the panel, icon and fields', async () => {
		await editor.newWorkflow();
		await editor.searchNode(expected.search, expected.node);
		expect(await editor.categoryEntries('Triggers')).toEqual(expected.trigger.entries);
		await editor.pickEntry(expected.trigger.entries[0]);
		const shown = (await editor.visibleParameters()).filter(
			(label) => !NOT_OPERATION_FIELDS.includes(label),
		);
		expect(shown).toEqual(expected.trigger.fields);
		await editor.screenshot(`${expected.node} trigger`);
		await editor.closeNdv();
		const [name] = await editor
			.canvasNodes()
			.evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-node-name') ?? ''));
		const icon = await editor.iconRendered(name);
		expect(icon.naturalWidth).toBeGreaterThan(0);
		await editor.screenshot(`${expected.node} trigger on the canvas`);
	});
});

/**
 * Arara's Test in the editor is the OAuth2 flow itself: "Execute step" on the sandbox credential
 * gets a token and an answer; a credential with a wrong secret shows the refused token request.
 */
async function araraTokenFlowInTheEditor(
	wrong: Record<string, string>,
	sandboxData: Record<string, string>,
): Promise<void> {
	await editor.selectOption('operation', 'Get by Request ID');
	const requestId = editor
		.ndv()
		.getByTestId('parameter-input-requestId')
		.locator('input, textarea')
		.first();
	await requestId.fill('norequestwiththisid');
	const output = editor.ndv().getByTestId('output-panel');
	await editor.ndv().getByTestId('node-execute-button').click();
	await output
		.getByText(/No output data returned|item/i)
		.first()
		.waitFor();
	await expect(output.innerText()).resolves.not.toMatch(/refused|error/i);
	await editor.screenshot('Arara Message execute step with the sandbox credential');

	const created = await editor.createNodeCredential();
	// Access Token URL keeps its default: an expression on Host
	for (const name of ['clientId', 'clientSecret', 'host']) {
		await editor.fillCredentialField(created, name, wrong[name] ?? sandboxData[name]);
	}
	await editor.saveCredential(created);
	await editor.closeCredential(created);
	await editor.ndv().getByTestId('node-execute-button').click();
	await output
		.getByText(/refused the token request/i)
		.first()
		.waitFor();
	await expect(output.innerText()).resolves.not.toContain(wrong.clientSecret);
	await editor.screenshot('Arara Message execute step with a wrong secret');
}

// ---------------------------------------------------------------------------------------------
// The examples, run from the editor

type Counts = Record<string, number>;

/** What the canvas must show after "Execute workflow", per example file; `check` for what depends on the data. */
function expectedCanvas(file: string): {
	exact: Counts;
	check?: (counts: Counts) => void;
	webhookQuery?: string;
} {
	switch (file) {
		case 'customers-mail-cloud-new-blocks-csv.json':
			return {
				exact: {
					'New Blocks (nightly) → Download Blocks Since Then': 1,
					'Blocked Addresses CSV': 1,
				},
				check: (counts) =>
					expect(counts['Download Blocks Since Then → Blocked Addresses CSV']).toBeGreaterThan(0),
			};
		case 'customers-mail-cloud-bounce-alert.json': {
			// The trigger's test event is the sandbox's newest bounce: its error status picks the branch.
			const newest = [...sandbox.cmc.bounces('testcomp')]
				.sort((a, b) => a.created.localeCompare(b.created))
				.pop()!;
			const alert = ['1', '2', '9'].includes(newest.status)
				? 'Alert: Fix Customer Address'
				: 'Alert: Mail Bounced';
			return {
				exact: { 'New Bounce → Address Wrong?': 1, [`Address Wrong? → ${alert}`]: 1, [alert]: 1 },
			};
		}
		case 'customers-mail-cloud-lift-blocks-once.json':
			// Holds today and after the error-output routing: 3 addresses in, 3 items out in all.
			return {
				// n8n 2.8 draws no item counts on the edges of a node with an error output: the routing
				// itself (2 lifted, 1 on the error output) is checked by examples.e2e.test.ts.
				exact: {
					'Addresses To Lift → One Item per Address': 1,
					'One Item per Address → Unblock Once': 3,
				},
			};
		case 'naimar-sms-wait-final-alert.json':
			return {
				exact: {
					'Wait For Final Status → Delivered?': 3,
					'Delivered? → Delivered': 2,
					'Delivered? → Alert: Not Delivered': 1,
					Delivered: 2,
					'Alert: Not Delivered': 1,
				},
			};
		case 'naimar-sms-push-rejected-alert.json':
			return {
				exact: {
					'Push Report → Rejected?': 1,
					'Rejected? → Alert: Rejected': 1,
					'Alert: Rejected': 1,
				},
				webhookQuery: 'id=abcdefghijklab&rcv_msg_id=98765&time=2024-05-01%2010:11:12&status=8',
			};
		case 'arara-message-daily-summary.json':
			// the other Arara examples reserve deliveries too (they count when they ran first)
			return {
				exact: { 'Every Morning → Deliveries Of The Last 24 Hours': 1, Total: 1 },
				check: (counts) =>
					expect(
						counts['Deliveries Of The Last 24 Hours → Count By Status'],
					).toBeGreaterThanOrEqual(200 + EXTRA_DELIVERIES),
			};
		case 'arara-message-cancel-by-request-id.json':
			return {
				exact: {
					'Reserve A Demo Delivery → Cancellation Request': 1,
					'Find By Request ID → Cancel': 1,
					Cancel: 1,
				},
			};
		case 'arara-message.json':
			return {
				exact: { 'Send → Get Status': 1, 'Get Status → Cancel': 1, Cancel: 1 },
				check: (counts) => expect(counts['Deliveries Of The Last Day']).toBeGreaterThanOrEqual(200),
			};
		case 'customers-mail-cloud.json':
			return {
				exact: { 'Get Blocked Addresses → Unblock Once': 5, 'Unblock Once': 5 },
				check: (counts) => expect(counts['Download All as Items']).toBeGreaterThan(200),
			};
		case 'naimar-sms.json':
			return { exact: { 'Sent SMS → Naimar SMS': 1, 'Naimar SMS': 3 } };
		default:
			throw new Error(`examples/${file} has no expected canvas in editor.e2e.test.ts: add one`);
	}
}

describe('every shipped example runs from the editor', () => {
	test.each(examples.map((example) => example.file))('%s', async (file) => {
		const workflow = shippedExample(examples, file);
		const expected = expectedCanvas(file);
		await editor.openWorkflow(workflow.id);
		for (const name of runnableNodes(workflow)) await editor.canvasNode(name).waitFor();
		await editor.screenshot(`example ${file} opened`);
		await editor.executeWorkflow();
		if (expected.webhookQuery) {
			const trigger = workflow.nodes.find((node) => node.type.endsWith('naimarSmsTrigger'));
			// the editor says it is listening once the test webhook is registered
			await editor.page
				.getByText(/Waiting for (trigger )?event|Listening/i)
				.first()
				.waitFor();
			const response = await fetch(
				`${server.baseUrl}/webhook-test/${String(trigger?.webhookId)}/naimar-sms?${expected.webhookQuery}`,
			);
			expect(response.status).toBe(200);
		}
		const counts = await editor.waitForItemCounts(expected.exact);
		await editor.screenshot(`example ${file} executed`);
		expect(counts).toMatchObject(expected.exact);
		expected.check?.(counts);
		const run = await server.lastExecution(workflow.id);
		expect({ file, status: run?.status }).toEqual({ file, status: 'success' });
	});
});
