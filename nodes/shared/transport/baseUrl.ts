/** The API address a credential names, read once per execution context (every request needs it). */
import type { RequestContext } from './request';
import { oncePerContext } from './perContext';
import { credentialsOnce } from './request';

const cache = oncePerContext<string>();

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
	return await cache(ctx, `${credentialType}.${field}`, async () => {
		const credentials = await credentialsOnce(ctx, credentialType);
		return String(credentials[field] || fallback)
			.trim()
			.replace(/\/+$/, '');
	});
}
