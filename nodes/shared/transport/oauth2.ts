/**
 * What the shared transport adds for OAuth2 client-credentials providers on top of n8n's own
 * token handling (fetching, storing and renewing the token with the credential).
 */
import type { ProviderFailure } from './errors';

const firstRequests = new WeakMap<object, Map<string, Promise<unknown>>>();

/**
 * n8n fetches a client-credentials token when the stored one is missing and fetches a new one
 * when a request answers 401; each request in flight would do so on its own. The first request
 * of an execution therefore runs alone; the others start once it has settled (and the token is
 * stored with the credential, where they read it).
 */
export async function oneTokenPerExecution<T>(
	ctx: object,
	credentialType: string,
	send: () => Promise<T>,
): Promise<T> {
	let byCredential = firstRequests.get(ctx);
	if (!byCredential) {
		byCredential = new Map();
		firstRequests.set(ctx, byCredential);
	}
	const first = byCredential.get(credentialType);
	if (!first) {
		const attempt = send();
		byCredential.set(
			credentialType,
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
export function tokenRefusal(
	displayName: string,
	networkCode: string | undefined,
): ProviderFailure | undefined {
	if (networkCode !== 'EAUTH') return undefined;
	return {
		message: `${displayName} refused the token request`,
		description:
			'The token endpoint did not accept the client ID and secret key. Check them and the access token URL in the credential.',
	};
}
