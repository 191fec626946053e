/**
 * n8n's own HTTP Request node (from the pinned n8n's n8n-nodes-base) running in our test engine:
 * Input → HTTP Request, through n8n-core's WorkflowExecute, for benchmarks that compare a job done
 * the way users build it today with the same job done by this package's nodes.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

import type { IDataObject, INodeExecutionData, INodeType, IVersionedNodeType } from 'n8n-workflow';

import type { CredentialStore } from '../test/harness/credentials';
import { floorType } from './BenchFloor.node';
import { executeNode } from './engine-runner';
import type { Contender } from './jobs';

export const HTTP_REQUEST_TYPE = 'n8n-nodes-base.httpRequest';

/** The repository root (this file runs from bench/ under ts-node or from .build/bench/). */
export function repoRoot(start = __dirname): string {
	for (let dir = start; ; dir = path.dirname(dir)) {
		if (existsSync(path.join(dir, 'scripts', 'n8n-runtime.js'))) return dir;
		if (path.dirname(dir) === dir)
			throw new Error(`cannot find the repository root above ${start}`);
	}
}

/** Where the pinned n8n is installed: N8N_RUNTIME_DIR, else what scripts/n8n-runtime.js says. */
export function runtimeDir(): string {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return (require(path.join(repoRoot(), 'scripts', 'n8n-runtime.js')) as { RUNTIME_DIR: string })
		.RUNTIME_DIR;
}

let httpRequestType: IVersionedNodeType | INodeType | undefined;

/** Loads the HTTP Request node class from the runtime's n8n-nodes-base (its dependencies resolve there). */
export function httpRequestNodeType(dir = runtimeDir()): IVersionedNodeType | INodeType {
	if (!httpRequestType) {
		const base = path.dirname(require.resolve('n8n-nodes-base/package.json', { paths: [dir] }));
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const { HttpRequest } = require(
			path.join(base, 'dist', 'nodes', 'HttpRequest', 'HttpRequest.node.js'),
		) as {
			HttpRequest: new () => IVersionedNodeType;
		};
		httpRequestType = new HttpRequest();
	}
	return httpRequestType;
}

/** Runs Input → HTTP Request (version 4.2 unless given) with the items; returns its output or error. */
export async function runHttpRequestNode(options: {
	items: IDataObject[];
	parameters: IDataObject;
	typeVersion?: number;
	/** For a predefined credential type: credential type → name in `credentials`. */
	nodeCredentials?: Record<string, string>;
	credentials?: CredentialStore;
}): Promise<{ items: INodeExecutionData[]; error?: Error }> {
	const { items, error } = await executeNode(
		{
			type: HTTP_REQUEST_TYPE,
			typeVersion: options.typeVersion ?? 4.2,
			parameters: options.parameters,
			nodeCredentials: options.nodeCredentials,
			credentials: options.credentials ?? {},
			items: options.items,
		},
		[{ type: HTTP_REQUEST_TYPE, nodeType: httpRequestNodeType() }],
	);
	return { items, error };
}

/**
 * One contender of a job (bench/jobs.ts) through the engine, Input → node, with `items`: this
 * package's node, the floor or the HTTP Request node. Throws the node's error; returns its output.
 */
export async function runContender(
	contender: Contender & { authenticates?: boolean },
	credentialType: string,
	credentials: CredentialStore,
	items: IDataObject[],
): Promise<INodeExecutionData[]> {
	const credentialName = Object.keys(credentials)[0];
	const isHttpRequest = contender.type === HTTP_REQUEST_TYPE;
	const { items: output, error } = await executeNode(
		{
			type: contender.type,
			typeVersion: contender.typeVersion,
			parameters: contender.parameters,
			nodeCredentials:
				isHttpRequest && !contender.authenticates ? {} : { [credentialType]: credentialName },
			credentials,
			items,
		},
		isHttpRequest ? [{ type: HTTP_REQUEST_TYPE, nodeType: httpRequestNodeType() }] : [floorType],
	);
	if (error) throw error;
	return output;
}
