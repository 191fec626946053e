/** Calls a webhook trigger's webhook() the way n8n's server does, with a fake request and response. */
import type {
	IDataObject,
	INodeExecutionData,
	IWebhookData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { WebhookContext } from 'n8n-core';

import { additionalDataFor, buildWorkflow, ensureReady, type RunOptions } from './engine';
import { loadNodeTypes } from './node-types';

export interface WebhookCall {
	method?: string;
	query?: Record<string, string>;
	headers?: Record<string, string>;
	/** Path parameters (for webhooks with `:param` paths). */
	params?: Record<string, string>;
	body?: IDataObject;
}

export interface WebhookOutcome {
	/** Status and body the trigger answered the caller with. */
	status: number;
	body: unknown;
	/** Items the trigger emitted into the workflow; undefined when it emitted none. */
	items?: INodeExecutionData[];
	/** The response mode the trigger asked for (e.g. noWebhookResponse when it answered itself). */
	noWebhookResponse?: boolean;
}

export async function runWebhook(
	options: Omit<RunOptions, 'input'> & { call: WebhookCall; mode?: WorkflowExecuteMode },
): Promise<WebhookOutcome> {
	await ensureReady();
	const nodeTypes = await loadNodeTypes([]);
	const workflow = buildWorkflow(options, nodeTypes);
	const node = workflow.getNode(options.node.name ?? 'Node Under Test')!;
	const nodeType = nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	const response = { status: 200, body: undefined as unknown, ended: false };
	const res = {
		status(code: number) {
			response.status = code;
			return res;
		},
		send(body?: unknown) {
			response.body = body;
			response.ended = true;
			return res;
		},
		end(body?: unknown) {
			if (body !== undefined) response.body = body;
			response.ended = true;
			return res;
		},
		json(body: unknown) {
			return res.send(body);
		},
		setHeader() {
			return res;
		},
		header() {
			return res;
		},
		type() {
			return res;
		},
	};
	const call = options.call;
	const req = {
		method: call.method ?? 'GET',
		query: call.query ?? {},
		headers: call.headers ?? {},
		params: call.params ?? {},
		body: call.body ?? {},
	};
	const additionalData = additionalDataFor(options.credentials);
	(additionalData as unknown as IDataObject).httpRequest = req as never;
	(additionalData as unknown as IDataObject).httpResponse = res as never;
	const webhookData = {
		httpMethod: req.method,
		node: node.name,
		path: '',
		webhookDescription: nodeType.description.webhooks?.[0] ?? {},
		workflowId: workflow.id,
	} as unknown as IWebhookData;
	const context = new WebhookContext(
		workflow,
		node,
		additionalData,
		options.mode ?? 'webhook',
		webhookData,
		[],
		null,
	);
	const result = await nodeType.webhook!.call(context);
	return {
		status: response.status,
		body: response.body,
		items: result.workflowData?.[0],
		noWebhookResponse: result.noWebhookResponse,
	};
}
