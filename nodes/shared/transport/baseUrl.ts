/** The API address a credential names, read once per execution context (every request needs it). */
import type { RequestContext } from './request';
import { credentialsOnce } from './request';

const cache = new WeakMap<object, Map<string, Promise<string>>>();

/**
 * The credential's `field` (or `fallback` when it is empty), trimmed and without trailing
 * slashes, so that a path can be appended.
 */
export async function credentialBaseUrl(
	ctx: RequestContext,
	credentialType: string,
	field: string,
	fallback = '',
): Promise<string> {
	let byField = cache.get(ctx);
	if (!byField) {
		byField = new Map();
		cache.set(ctx, byField);
	}
	const key = `${credentialType}.${field}`;
	let url = byField.get(key);
	if (!url) {
		url = (async () => {
			const credentials = await credentialsOnce(ctx, credentialType);
			return String(credentials[field] || fallback)
				.trim()
				.replace(/\/+$/, '');
		})();
		byField.set(key, url);
	}
	return await url;
}
