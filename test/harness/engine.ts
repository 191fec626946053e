/**
 * Runs real workflows through n8n's execution engine (n8n-core's WorkflowExecute), with this
 * package's node and credential types loaded from dist/ the way n8n loads a community package.
 * Parameter resolution, credentials, Continue On Fail and pairedItem are n8n's own.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// n8n-core reads its user folder at import time: give every test process a fresh one.
process.env.N8N_USER_FOLDER ??= mkdtempSync(path.join(tmpdir(), 'n8n-harness-'));

import type {
	IConnections,
	IDataObject,
	INode,
	INodeExecutionData,
	IRun,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { Workflow, createRunExecutionData } from 'n8n-workflow';
import { BinaryDataService, ExecutionLifecycleHooks, PollContext, WorkflowExecute } from 'n8n-core';

import { TestCredentialsHelper, type CredentialStore } from './credentials';
import { INPUT_NODE_TYPE, cacheCredentialTypes, loadNodeTypes } from './node-types';

// n8n-core keeps its own copy of @n8n/di: use the container it uses.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Container } = require(
	require.resolve('@n8n/di', { paths: [path.dirname(require.resolve('n8n-core'))] }),
) as typeof import('@n8n/di');

let ready: Promise<void> | undefined;
export async function ensureReady(): Promise<void> {
	ready ??= (async () => {
		await Container.get(BinaryDataService).init();
		await cacheCredentialTypes();
	})();
	await ready;
}

export interface NodeUnderTest {
	/** Type name without package prefix, e.g. "customersMailCloud". */
	type: string;
	parameters: IDataObject;
	/** credential type → name of a credential in the store */
	credentials?: Record<string, string>;
	typeVersion?: number;
	/** Shorthand for onError: 'continueRegularOutput'. */
	continueOnFail?: boolean;
	/** n8n's node setting "On Error"; default stop (the workflow fails). */
	onError?: INode['onError'];
	/** n8n's node settings "Retry On Fail", "Max. Tries" and "Wait Between Tries (ms)". */
	retryOnFail?: boolean;
	maxTries?: number;
	waitBetweenTries?: number;
	name?: string;
}

export interface RunOptions {
	node: NodeUnderTest;
	/** Items fed into the node (json only, or full items with binary). */
	input?: Array<IDataObject | INodeExecutionData>;
	credentials: CredentialStore;
	staticData?: IDataObject;
	timezone?: string;
	mode?: WorkflowExecuteMode;
	/** The execution's id as the node sees it (getExecutionId); a fresh one per run by default. */
	executionId?: string;
}

export interface RunResult {
	/** Output items of the node under test (first output). */
	items: INodeExecutionData[];
	/** Items on the error output (On Error "Continue (using error output)"). */
	errorItems: INodeExecutionData[];
	/** The error the node threw, when it did. */
	error?: Error & Record<string, unknown>;
	run: IRun;
	/** Everything the credentials helper saw and stored (OAuth2 tokens). */
	credentials: CredentialStore;
}

export const PACKAGE_PREFIX = 'n8n-nodes-delivery-reports.';
const NODE_NAME = 'Node Under Test';

function toItem(entry: IDataObject | INodeExecutionData): INodeExecutionData {
	return 'json' in entry && typeof entry.json === 'object'
		? (entry as INodeExecutionData)
		: { json: entry as IDataObject };
}

export function buildWorkflow(
	options: RunOptions,
	nodeTypes: Awaited<ReturnType<typeof loadNodeTypes>>,
): Workflow {
	const { node } = options;
	const nodes: INode[] = [
		{
			id: 'input',
			name: 'Input',
			type: INPUT_NODE_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		{
			id: 'under-test',
			name: node.name ?? NODE_NAME,
			type: PACKAGE_PREFIX + node.type,
			typeVersion: node.typeVersion ?? 1,
			position: [200, 0],
			parameters: node.parameters as INode['parameters'],
			credentials: Object.fromEntries(
				Object.entries(node.credentials ?? {}).map(([type, name]) => [type, { id: name, name }]),
			),
			...(node.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
			...(node.onError ? { onError: node.onError } : {}),
			...(node.retryOnFail ? { retryOnFail: true } : {}),
			...(node.maxTries !== undefined ? { maxTries: node.maxTries } : {}),
			...(node.waitBetweenTries !== undefined ? { waitBetweenTries: node.waitBetweenTries } : {}),
		},
	];
	const connections: IConnections = {
		Input: { main: [[{ node: node.name ?? NODE_NAME, type: 'main', index: 0 }]] },
	};
	return new Workflow({
		id: 'test-workflow',
		name: 'test',
		nodes,
		connections,
		active: false,
		nodeTypes,
		staticData: options.staticData ?? {},
		settings: { timezone: options.timezone ?? 'UTC' },
	});
}

let executionCount = 0;

export function additionalDataFor(
	credentials: CredentialStore,
	hooks?: ExecutionLifecycleHooks,
	timezone = 'UTC',
	executionId?: string,
) {
	return {
		executionId,
		credentialsHelper: new TestCredentialsHelper(credentials),
		hooks,
		executeWorkflow: async () => {
			throw new Error('not supported in tests');
		},
		getRunExecutionData: async () => undefined,
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
		webhookBaseUrl: 'http://127.0.0.1/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
		variables: {},
		logAiEvent: () => {},
		startRunnerTask: async () => {
			throw new Error('not supported in tests');
		},
		timezone,
		userId: 'test-user',
	} as unknown as IWorkflowExecuteAdditionalData;
}

/** Runs Input → node under test once and returns the node's output items or its error. */
export async function runNode(options: RunOptions): Promise<RunResult> {
	await ensureReady();
	const nodeTypes = await loadNodeTypes((options.input ?? []).map(toItem));
	const workflow = buildWorkflow(options, nodeTypes);
	const hooks = new ExecutionLifecycleHooks('manual', 'test-execution', {
		id: 'test-workflow',
		name: 'test',
		active: false,
		nodes: Object.values(workflow.nodes),
		connections: workflow.connectionsBySourceNode,
		createdAt: new Date(),
		updatedAt: new Date(),
		isArchived: false,
		activeVersionId: null,
	} as never);
	const executionId = options.executionId ?? `${process.pid}${Date.now()}${++executionCount}`;
	const additionalData = additionalDataFor(
		options.credentials,
		hooks,
		options.timezone,
		executionId,
	);
	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{
					node: workflow.getNode('Input')!,
					data: { main: [[{ json: {} }]] },
					source: null,
				},
			],
		},
	});
	const execute = new WorkflowExecute(additionalData, options.mode ?? 'manual', runExecutionData);
	const run = await execute.processRunExecutionData(workflow);
	const nodeName = options.node.name ?? NODE_NAME;
	const taskData = run.data.resultData.runData[nodeName]?.[0];
	const error = (taskData?.error ?? run.data.resultData.error) as RunResult['error'];
	const items = taskData?.data?.main?.[0] ?? [];
	const errorItems =
		options.node.onError === 'continueErrorOutput' ? (taskData?.data?.main?.[1] ?? []) : [];
	if (options.staticData) Object.assign(options.staticData, workflow.staticData);
	return { items, errorItems, error, run, credentials: options.credentials };
}

/** Runs a polling trigger's poll() once, as n8n does on its schedule (or for "Fetch Test Event" with mode manual). */
export async function runPoll(
	options: Omit<RunOptions, 'input'> & { mode?: WorkflowExecuteMode },
): Promise<{ items: INodeExecutionData[] | null; staticData: IDataObject; error?: Error }> {
	await ensureReady();
	const nodeTypes = await loadNodeTypes([]);
	const staticData = options.staticData ?? {};
	const workflow = buildWorkflow({ ...options, staticData }, nodeTypes);
	const node = workflow.getNode(options.node.name ?? NODE_NAME)!;
	const additionalData = additionalDataFor(options.credentials, undefined, options.timezone);
	const mode = options.mode ?? 'trigger';
	const context = new PollContext(
		workflow,
		node,
		additionalData,
		mode,
		mode === 'manual' ? 'manual' : 'activate',
	);
	const nodeType = nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	try {
		const result = await nodeType.poll!.call(context);
		// What the poll left in static data carries on to the next poll, as n8n's memory does (what n8n saves across restarts: restart.ts).
		Object.assign(staticData, JSON.parse(JSON.stringify(workflow.staticData)));
		return { items: result ? result[0] : null, staticData };
	} catch (error) {
		return { items: null, staticData, error: error as Error };
	}
}
