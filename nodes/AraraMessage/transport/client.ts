/**
 * Arara Message requests: the base URL from the credential. The OAuth2 token (one per execution,
 * a refused token request) is the shared transport's business, switched on by the profile.
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

export async function araraRequest<T = unknown>(
	ctx: RequestContext,
	request: Omit<ApiRequest, 'url'> & { path: string },
	settings: TransportSettings,
	itemIndex?: number,
): Promise<ApiResponse<T>> {
	const { path, ...rest } = request;
	const url = (await apiBaseUrl(ctx)) + path;
	return await sendRequest<T>(ctx, araraProfile, { ...rest, url }, settings, itemIndex);
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
