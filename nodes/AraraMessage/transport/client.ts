/**
 * Arara Message requests: the base URL from the credential. The OAuth2 token (one per execution,
 * a refused token request) is the shared transport's business, switched on by the profile.
 */
import { credentialBaseUrl } from '../../shared/transport/baseUrl';
import type { ProviderApi } from '../../shared/transport/client';
import type { RequestContext } from '../../shared/transport/request';
import { ARARA_CREDENTIAL_TYPE, araraProfile } from './profile';

/** The credential's Host: `https://<host>` for a host name; a full URL (sandbox, proxy) as it is. */
export async function apiBaseUrl(ctx: RequestContext): Promise<string> {
	const host = await credentialBaseUrl(ctx, ARARA_CREDENTIAL_TYPE, 'host');
	return /^https?:\/\//i.test(host) ? host : `https://${host}`;
}

export const araraApi: ProviderApi = { profile: araraProfile, baseUrl: apiBaseUrl };
