/** The gateway's login rules, shared by the credential (Test button, every request) and the node. */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

/** The API declares username and password as varchar(16). */
export const MAX_LOGIN_LENGTH = 16;

export const DEFAULT_BASE_URL = 'http://text421.naimar.sk/api/v6';

/**
 * What is wrong with the login fields, or undefined when they can be sent. Never quotes a value:
 * the message may end up in an error shown to anyone who can open the execution.
 */
export function loginProblem(credentials: ICredentialDataDecryptedObject): string | undefined {
	const checks: Array<[field: string, label: string]> = [
		['username', 'Username'],
		['password', 'Password'],
	];
	for (const [field, label] of checks) {
		const value = credentials[field];
		if (typeof value !== 'string' || value === '') {
			return `"${label}" in the Naimar SMS credential is empty: enter your Naimar SMS ${field}`;
		}
		if (value.length > MAX_LOGIN_LENGTH) {
			return `"${label}" in the Naimar SMS credential is ${value.length} characters long, but Naimar SMS allows at most ${MAX_LOGIN_LENGTH}: check the ${field} you were given`;
		}
	}
	return undefined;
}

/** The delivery endpoint under the credential's base URL (trailing slashes tolerated). */
export function deliveryUrl(baseUrl: unknown): string {
	const base = (
		typeof baseUrl === 'string' && baseUrl.trim() ? baseUrl.trim() : DEFAULT_BASE_URL
	).replace(/\/+$/, '');
	return `${base}/rest/delivery/json/`;
}
