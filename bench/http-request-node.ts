/**
 * n8n's own HTTP Request node (from the pinned n8n's n8n-nodes-base) running in our test engine:
 * Input → HTTP Request, through n8n-core's WorkflowExecute, for benchmarks that compare a job done
 * the way users build it today with the same job done by this package's nodes.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

import type { IConnections, IDataObject, INode, INodeExecutionData, INodeType, INodeTypes, IVersionedNodeType } from 'n8n-workflow';
import { NodeHelpers, Workflow, createRunExecutionData } from 'n8n-workflow';
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';

import { additionalDataFor, ensureReady } from '../test/harness/engine';
import { INPUT_NODE_TYPE, loadNodeTypes } from '../test/harness/node-types';

export const HTTP_REQUEST_TYPE = 'n8n-nodes-base.httpRequest';

/** The repository root (this file runs from bench/ under ts-node or from .build/bench/). */
export function repoRoot(start = __dirname): string {
	for (let dir = start; ; dir = path.dirname(dir)) {
		if (existsSync(path.join(dir, 'scripts', 'n8n-runtime.js'))) return dir;
		if (path.dirname(dir) === dir) throw new Error(`cannot find the repository root above ${start}`);
	}
}

/** Where the pinned n8n is installed: N8N_RUNTIME_DIR, else what scripts/n8n-runtime.js says. */
export function runtimeDir(): string {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return (require(path.join(repoRoot(), 'scripts', 'n8n-runtime.js')) as { RUNTIME_DIR: string }).RUNTIME_DIR;
}

let httpRequestType: IVersionedNodeType | INodeType | undefined;

/** Loads the HTTP Request node class from the runtime's n8n-nodes-base (its dependencies resolve there). */
export function httpRequestNodeType(dir = runtimeDir()): IVersionedNodeType | INodeType {
	if (!httpRequestType) {
		const base = path.dirname(require.resolve('n8n-nodes-base/package.json', { paths: [dir] }));
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const { HttpRequest } = require(path.join(base, 'dist', 'nodes', 'HttpRequest', 'HttpRequest.node.js')) as {
			HttpRequest: new () => IVersionedNodeType;
		};
		httpRequestType = new HttpRequest();
	}
	return httpRequestType;
}

async function nodeTypesWithHttpRequest(items: INodeExecutionData[]): Promise<INodeTypes> {
	const ours = await loadNodeTypes(items);
	const http = httpRequestNodeType();
	return {
		getByName: (type) => (type === HTTP_REQUEST_TYPE ? http : ours.getByName(type)),
		getByNameAndVersion: (type, version) =>
			type === HTTP_REQUEST_TYPE ? NodeHelpers.getVersionedNodeType(http, version) : ours.getByNameAndVersion(type, version),
		getKnownTypes: () => ({}),
	};
}

/** Runs Input → HTTP Request (version 4.2 unless given) with the items; returns its output or error. */
export async function runHttpRequestNode(options: {
	items: IDataObject[];
	parameters: IDataObject;
	typeVersion?: number;
}): Promise<{ items: INodeExecutionData[]; error?: Error }> {
	await ensureReady();
	const input = options.items.map((json) => ({ json }));
	const nodeTypes = await nodeTypesWithHttpRequest(input);
	const nodes: INode[] = [
		{ id: 'input', name: 'Input', type: INPUT_NODE_TYPE, typeVersion: 1, position: [0, 0], parameters: {} },
		{
			id: 'http',
			name: 'HTTP Request',
			type: HTTP_REQUEST_TYPE,
			typeVersion: options.typeVersion ?? 4.2,
			position: [200, 0],
			parameters: options.parameters as INode['parameters'],
		},
	];
	const connections: IConnections = { Input: { main: [[{ node: 'HTTP Request', type: 'main', index: 0 }]] } };
	const workflow = new Workflow({ id: 'bench', name: 'bench', nodes, connections, active: false, nodeTypes, staticData: {} });
	const runExecutionData = createRunExecutionData({
		executionData: { nodeExecutionStack: [{ node: workflow.getNode('Input')!, data: { main: [[{ json: {} }]] }, source: null }] },
	});
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
	const additionalData = additionalDataFor({}, hooks);
	const run = await new WorkflowExecute(additionalData, 'manual', runExecutionData).processRunExecutionData(workflow);
	const task = run.data.resultData.runData['HTTP Request']?.[0];
	return {
		items: task?.data?.main?.[0] ?? [],
		error: (task?.error ?? run.data.resultData.error) as Error | undefined,
	};
}
