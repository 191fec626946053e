/**
 * Runs one node of any type (this package's, n8n's HTTP Request node, the bench floor) through
 * n8n-core's WorkflowExecute, Input → node, or calls a polling node's poll() as n8n does on its
 * schedule: the same engine, credentials helper and parameter resolution for every contender.
 */
import type {
	IConnections,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	IRun,
	IVersionedNodeType,
} from 'n8n-workflow';
import { NodeHelpers, Workflow, createRunExecutionData } from 'n8n-workflow';
import { ExecutionLifecycleHooks, PollContext, WorkflowExecute } from 'n8n-core';

import type { CredentialStore } from '../test/harness/credentials';
import { PACKAGE_PREFIX, additionalDataFor, ensureReady } from '../test/harness/engine';
import { INPUT_NODE_TYPE, loadNodeTypes } from '../test/harness/node-types';

export interface ForeignType {
	type: string;
	nodeType: INodeType | IVersionedNodeType;
}

export interface NodeRun {
	/** A type of this package without its prefix (e.g. "naimarSms"), or a full type given in `extraTypes`. */
	type: string;
	typeVersion?: number;
	parameters: IDataObject;
	/** credential type → credential name in `credentials` */
	nodeCredentials?: Record<string, string>;
	credentials: CredentialStore;
	items?: IDataObject[];
	staticData?: IDataObject;
}

const NODE_NAME = 'Node Under Test';

async function nodeTypesWith(
	items: INodeExecutionData[],
	extraTypes: ForeignType[],
): Promise<INodeTypes> {
	const ours = await loadNodeTypes(items);
	const extra = new Map(extraTypes.map((entry) => [entry.type, entry.nodeType]));
	return {
		getByName: (type) => extra.get(type) ?? ours.getByName(type),
		getByNameAndVersion: (type, version) => {
			const found = extra.get(type);
			return found
				? NodeHelpers.getVersionedNodeType(found, version)
				: ours.getByNameAndVersion(type, version);
		},
		getKnownTypes: () => ({}),
	};
}

function fullType(type: string, extraTypes: ForeignType[]): string {
	return extraTypes.some((entry) => entry.type === type) ? type : PACKAGE_PREFIX + type;
}

function workflowFor(
	run: NodeRun,
	nodeTypes: INodeTypes,
	extraTypes: ForeignType[],
): { workflow: Workflow; nodes: INode[]; connections: IConnections } {
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
			name: NODE_NAME,
			type: fullType(run.type, extraTypes),
			typeVersion: run.typeVersion ?? 1,
			position: [200, 0],
			parameters: run.parameters as INode['parameters'],
			credentials: Object.fromEntries(
				Object.entries(run.nodeCredentials ?? {}).map(([type, name]) => [type, { id: name, name }]),
			),
		},
	];
	const connections: IConnections = {
		Input: { main: [[{ node: NODE_NAME, type: 'main', index: 0 }]] },
	};
	const workflow = new Workflow({
		id: 'bench',
		name: 'bench',
		nodes,
		connections,
		active: false,
		nodeTypes,
		staticData: run.staticData ?? {},
		settings: { timezone: 'UTC' },
	});
	return { workflow, nodes, connections };
}

/** Input → node once; the node's first output, or its error. */
export async function executeNode(
	run: NodeRun,
	extraTypes: ForeignType[] = [],
): Promise<{ items: INodeExecutionData[]; error?: Error; run: IRun }> {
	await ensureReady();
	const nodeTypes = await nodeTypesWith(
		(run.items ?? [{}]).map((json) => ({ json })),
		extraTypes,
	);
	const { workflow, nodes, connections } = workflowFor(run, nodeTypes, extraTypes);
	const hooks = new ExecutionLifecycleHooks('manual', 'bench-execution', {
		id: 'bench',
		name: 'bench',
		active: false,
		nodes,
		connections,
		createdAt: new Date(),
		updatedAt: new Date(),
		isArchived: false,
		activeVersionId: null,
	} as never);
	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{ node: workflow.getNode('Input')!, data: { main: [[{ json: {} }]] }, source: null },
			],
		},
	});
	const result = await new WorkflowExecute(
		additionalDataFor(run.credentials, hooks),
		'manual',
		runExecutionData,
	).processRunExecutionData(workflow);
	const task = result.data.resultData.runData[NODE_NAME]?.[0];
	return {
		items: task?.data?.main?.[0] ?? [],
		error: (task?.error ?? result.data.resultData.error) as Error | undefined,
		run: result,
	};
}

/** A polling node's poll() once in trigger mode, its static data kept in `run.staticData` between calls. */
export async function pollNode(
	run: NodeRun,
	extraTypes: ForeignType[] = [],
): Promise<{ items: INodeExecutionData[] | null }> {
	await ensureReady();
	const nodeTypes = await nodeTypesWith([], extraTypes);
	const staticData = run.staticData ?? {};
	const { workflow } = workflowFor({ ...run, staticData }, nodeTypes, extraTypes);
	const node = workflow.getNode(NODE_NAME)!;
	const context = new PollContext(
		workflow,
		node,
		additionalDataFor(run.credentials),
		'trigger',
		'activate',
	);
	const nodeType = nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	const result = await nodeType.poll!.call(context);
	Object.assign(staticData, JSON.parse(JSON.stringify(workflow.staticData)));
	return { items: result ? result[0] : null };
}
