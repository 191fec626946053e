/**
 * Arara Message requests: the base URL from the credential. The OAuth2 token (one per execution,
 * a refused token request) is the shared transport's business, switched on by the profile.
 */
import type { IDataObject } from 'n8n-workflow';

import {
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
