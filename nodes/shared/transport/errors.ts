/**
 * Turning provider answers and transport failures into n8n errors that name the provider's own
 * code, field and message, with every secret removed. Raw HTTP-client errors are never passed
 * on: they carry the request (form body, headers) and so the credentials.
 */
import type { INode, INodeParameters, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { REDACTED, redactText } from './redact';

/** One error as the provider states it. */
export interface ProviderErrorDetail {
	code?: string;
	field?: string;
	message: string;
}

export interface ProviderFailure {
	/** HTTP status, or undefined when no answer came (timeout, connection dropped). */
	httpCode?: number;
	/** Short, readable summary shown as the error message. */
	message: string;
	/** What happened in more detail, and what to do. */
	description?: string;
	/** The provider's own errors, when the body carried any. */
	details?: ProviderErrorDetail[];
	/** A network error code such as ECONNRESET, when no answer came. */
	networkCode?: string;
}

/** Builds a NodeApiError from a failure, redacting secrets from every text it will carry. */
export function toNodeApiError(
	node: INode,
	failure: ProviderFailure,
	secrets: readonly string[],
	itemIndex?: number,
): NodeApiError {
	const message = redactText(failure.message, secrets);
	const description = failure.description ? redactText(failure.description, secrets) : undefined;
	const details = (failure.details ?? []).map((detail) => ({
		...(detail.code !== undefined ? { code: redactText(detail.code, secrets) } : {}),
		...(detail.field !== undefined ? { field: redactText(detail.field, secrets) } : {}),
		message: redactText(detail.message, secrets),
	}));
	const response: JsonObject = {
		message,
		...(description ? { description } : {}),
		...(failure.httpCode !== undefined ? { httpCode: String(failure.httpCode) } : {}),
		...(details.length ? { errors: details as unknown as JsonObject[] } : {}),
	};
	const error = new NodeApiError(node, response, {
		message,
		description,
		httpCode: failure.httpCode !== undefined ? String(failure.httpCode) : undefined,
		itemIndex,
	});
	// NodeApiError replaces messages of known statuses and network codes with generic texts;
	// ours name the provider and the fix, so they win.
	error.message = message;
	if (description) error.description = description;
	if (details.length) error.context.providerErrors = details;
	if (failure.networkCode) error.context.networkCode = failure.networkCode;
	return error;
}

/** A problem with the node's own input, found before any request is sent. */
export function invalidInput(node: INode, message: string, hint: string, itemIndex?: number) {
	return new NodeOperationError(node, message, { description: hint, itemIndex });
}

/** The HTTP status a transport error carries; undefined when no answer came. */
export function httpCodeOf(error: unknown): number | undefined {
	const code = (error as { httpCode?: string | null } | undefined)?.httpCode;
	return code ? Number(code) : undefined;
}

/** The provider's own errors a transport error carries (code, field, message); none for other errors. */
export function providerErrorsOf(error: unknown): ProviderErrorDetail[] {
	return (
		(error as { context?: { providerErrors?: ProviderErrorDetail[] } } | undefined)?.context
			?.providerErrors ?? []
	);
}

/**
 * Runs a request and lets the operation answer chosen HTTP statuses itself (e.g. 404 → output
 * nothing, 409 → a clearer error). Other failures pass on unchanged: the shared transport has
 * already made them NodeApiErrors without secrets.
 */
export async function handleStatuses<T>(
	request: () => Promise<T>,
	handlers: Partial<Record<number, (error: unknown) => Promise<T>>>,
): Promise<T> {
	return await request().catch(async (error: unknown) => {
		const handler = handlers[httpCodeOf(error) ?? 0];
		if (handler) return await handler(error);
		throw error;
	});
}

/** The fields a Continue On Fail item carries: enough to branch on, never a secret. */
export function errorToJson(error: unknown): JsonObject {
	const failure = error as {
		message?: string;
		description?: string | null;
		httpCode?: string | null;
		context?: { networkCode?: string };
	};
	const json: JsonObject = { error: failure.message ?? String(error) };
	if (failure.description) json.description = failure.description;
	if (failure.httpCode) json.httpCode = failure.httpCode;
	const provider = providerErrorsOf(error);
	if (provider.length) {
		json.code = provider[0].code ?? null;
		json.field = provider[0].field ?? null;
		if (provider.length > 1) json.errors = provider as unknown as JsonObject[];
	}
	if (failure.context?.networkCode) json.networkCode = failure.context.networkCode;
	return json;
}

/**
 * n8n errors carry the node, parameters included, into execution data and logs. A secret that
 * a workflow still holds in its Options collection is replaced in the copy the error carries.
 */
export function withoutSecretOptions(
	error: unknown,
	node: INode,
	names: readonly string[],
): unknown {
	const options = (node.parameters?.options ?? {}) as INodeParameters;
	const present = names.filter((name) => options[name]);
	if (!present.length || !error || typeof error !== 'object' || !('node' in error)) return error;
	const cleaned: INodeParameters = { ...options };
	for (const name of present) cleaned[name] = REDACTED;
	(error as { node: INode }).node = {
		...node,
		parameters: { ...node.parameters, options: cleaned },
	};
	return error;
}
