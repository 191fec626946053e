/**
 * Arara Message requests: the base URL from the credential, and one gate per execution so the
 * OAuth2 token is fetched (or refreshed after it expired) by one request, not by every request
 * that starts at the same moment.
 */
import type { IDataObject } from 'n8n-workflow';

import { toNodeApiError, type ProviderErrorDetail } from '../../shared/errors';
import {
	credentialSecrets,
	sendRequest,
	type ApiRequest,
	type ApiResponse,
	type RequestContext,
	type TransportSettings,
} from '../../shared/transport';
import { ARARA_CREDENTIAL_TYPE, araraProfile } from './profile';

/** `https://<host>` for a host name; the URL itself (without trailing slashes) for a full URL. */
export function baseUrlOf(host: string): string {
	const trimmed = host.trim().replace(/\/+$/, '');
	return /^https?:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
}

const baseUrls = new WeakMap<object, Promise<string>>();

export async function apiBaseUrl(ctx: RequestContext): Promise<string> {
	let url = baseUrls.get(ctx);
	if (!url) {
		url = (async () => {
			const credentials = (await ctx.getCredentials(ARARA_CREDENTIAL_TYPE)) as IDataObject;
			return baseUrlOf(String(credentials.host ?? ''));
		})();
		baseUrls.set(ctx, url);
	}
	return await url;
}

/**
 * n8n fetches a client-credentials token when the stored one is missing and fetches a new one
 * when a request answers 401; each request in flight would do so on its own. The first request
 * of an execution therefore runs alone; the others start once it has settled (and the token is
 * stored with the credential, where they read it).
 */
const firstRequests = new WeakMap<object, Promise<unknown>>();

export async function araraRequest<T = unknown>(
	ctx: RequestContext,
	request: Omit<ApiRequest, 'url'> & { path: string },
	settings: TransportSettings,
	itemIndex?: number,
): Promise<ApiResponse<T>> {
	const { path, ...rest } = request;
	const url = (await apiBaseUrl(ctx)) + path;
	const send = async () => {
		try {
			return await sendRequest<T>(ctx, araraProfile, { ...rest, url }, settings, itemIndex);
		} catch (error) {
			throw await clarifyTokenFailure(ctx, error, itemIndex);
		}
	};
	const first = firstRequests.get(ctx);
	if (!first) {
		const attempt = send();
		firstRequests.set(
			ctx,
			attempt.catch(() => undefined),
		);
		return await attempt;
	}
	await first;
	return await send();
}

/**
 * n8n's OAuth2 client reports a refused token request as an error with code EAUTH (no HTTP
 * answer), which would otherwise read as a connection failure.
 */
async function clarifyTokenFailure(ctx: RequestContext, error: unknown, itemIndex?: number): Promise<unknown> {
	const networkCode = (error as { context?: { networkCode?: unknown } }).context?.networkCode;
	if (networkCode !== 'EAUTH') return error;
	return toNodeApiError(
		ctx.getNode(),
		{
			message: 'Arara Message refused the token request',
			description:
				'The token endpoint did not accept the client ID and secret key. Check them and the access token URL in the credential.',
		},
		await credentialSecrets(ctx, araraProfile),
		itemIndex,
	);
}

/** Re-throws an API error with a clearer message (e.g. a 404 that names the delivery id). */
export async function withMessage(
	ctx: RequestContext,
	error: unknown,
	message: string,
	description: string,
	itemIndex?: number,
): Promise<Error> {
	const failed = error as { httpCode?: string | null; context?: { providerErrors?: ProviderErrorDetail[] } };
	const details = failed.context?.providerErrors ?? [];
	const said = details.map((detail) => detail.message).join('; ');
	return toNodeApiError(
		ctx.getNode(),
		{
			httpCode: failed.httpCode ? Number(failed.httpCode) : undefined,
			message,
			description: said ? `${description} Arara Message said: ${said}` : description,
			details,
		},
		await credentialSecrets(ctx, araraProfile),
		itemIndex,
	);
}

export function httpCodeOf(error: unknown): number | undefined {
	const code = (error as { httpCode?: string | null }).httpCode;
	return code ? Number(code) : undefined;
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
