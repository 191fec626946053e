/**
 * A provider's client for one item (or one trigger poll). It reads the request options itself,
 * and it alone turns what a provider answers into errors: a failed request, a status the
 * operation words in its own terms, and an answer that is not the shape the request expects.
 * Every error is built by `toNodeApiError`, which redacts the credential's secrets, so no
 * operation ever handles an error text that could carry one.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import { readOperationOptions } from '../description/options';
import { httpCodeOf, providerErrorsOf, toNodeApiError } from './errors';
import type {
	ApiRequest,
	ApiResponse,
	ProviderProfile,
	RequestContext,
	TransportSettings,
} from './request';
import { credentialSecrets, excerptOf, sendRequest } from './request';

/** What a provider's client needs besides its profile: where its paths go. */
export interface ProviderApi {
	profile: ProviderProfile;
	/** The address every request path is appended to, e.g. from the credential's Host. */
	baseUrl(ctx: RequestContext): Promise<string>;
}

/** An operation's own words for an error status; without `message` the provider's summary stays the message. */
export interface StatusWording {
	message?: string;
	description: string;
}

/** A status the operation expects and reads as "nothing there" (e.g. 404 with "Output Nothing If Not Found"). */
export const ANSWERS_NOTHING = 'nothing';

export type StatusRule = StatusWording | typeof ANSWERS_NOTHING;

/** The shape a successful answer must have, and what the error says when it has not. */
export interface ExpectedAnswer {
	holds(body: unknown): boolean;
	message: string;
	/** `got` is a short excerpt of what came instead. */
	description(got: string): string;
}

export interface ClientRequest<Rules extends StatusRule = StatusWording>
	extends Omit<ApiRequest, 'url'> {
	/** Appended to the provider's base URL. */
	path: string;
	/** The operation's words per HTTP status, or statuses that mean "nothing". */
	statuses?: Partial<Record<number, Rules>>;
	expect?: ExpectedAnswer;
}

export interface ApiClient {
	readonly ctx: RequestContext;
	/** The input item errors name (the first one a batch serves), if any. */
	readonly itemIndex?: number;
	readonly settings: TransportSettings;
	send<T>(request: ClientRequest): Promise<ApiResponse<T>>;
	/** Resolves undefined when a status the rules read as ANSWERS_NOTHING came. */
	send<T>(request: ClientRequest<StatusRule>): Promise<ApiResponse<T> | undefined>;
}

/**
 * Where a client's requests come from: an operation's input item (a number: its Options
 * collection is read, its index named in errors), or explicit settings (a trigger poll, a batch
 * serving several items).
 */
export type ClientScope = number | { settings: TransportSettings; itemIndex?: number };

export function apiClient(ctx: RequestContext, api: ProviderApi, scope: ClientScope): ApiClient {
	const { settings, itemIndex } =
		typeof scope === 'number'
			? {
					settings: readOperationOptions(ctx as IExecuteFunctions, scope).settings,
					itemIndex: scope,
				}
			: scope;
	const { profile } = api;
	const failWith = async (failure: Parameters<typeof toNodeApiError>[1]) =>
		toNodeApiError(ctx.getNode(), failure, await credentialSecrets(ctx, profile), itemIndex);

	async function send<T>(request: ClientRequest<StatusRule>): Promise<ApiResponse<T> | undefined> {
		const { path, statuses, expect } = request;
		const url = (await api.baseUrl(ctx)) + path;
		const response = await sendRequest<T>(
			ctx,
			profile,
			// The whole request with its URL: the transport reads only ApiRequest's fields (an object
			// rest here was a slow copy per request).
			{ ...request, url },
			settings,
			itemIndex,
		).catch(async (error: unknown) => {
			const rule = statuses?.[httpCodeOf(error) ?? 0];
			// Already an error from the shared transport, without secrets.
			if (rule === undefined) throw error;
			if (rule === ANSWERS_NOTHING) return undefined;
			throw await failWith(reworded(profile, error, rule));
		});
		if (response === undefined) return undefined;
		if (expect && !expect.holds(response.body)) {
			const body = Buffer.isBuffer(response.body) ? response.body.subarray(0, 2000) : response.body;
			// The answer may echo the request, secrets included: failWith redacts it.
			throw await failWith({
				httpCode: response.status,
				message: expect.message,
				description: expect.description(excerptOf(body)),
			});
		}
		return response;
	}

	return { ctx, itemIndex, settings, send: send as ApiClient['send'] };
}

/** The error in the operation's words; the status and the provider's own errors stay. */
function reworded(profile: ProviderProfile, error: unknown, words: StatusWording) {
	const details = providerErrorsOf(error);
	const said = details.map((detail) => detail.message).join('; ');
	const message =
		words.message ??
		(error instanceof Error && error.message
			? error.message
			: `${profile.displayName} refused the request`);
	return {
		httpCode: httpCodeOf(error),
		message,
		description: said
			? `${words.description} ${profile.displayName} said: ${said}`
			: words.description,
		details,
	};
}
