/** What the shared transport needs to know about Arara Message: its credential and its error bodies. */
import type { ProviderErrorDetail } from '../../shared/transport/errors';
import type { ProviderProfile } from '../../shared/transport/request';

export const ARARA_CREDENTIAL_TYPE = 'araraMessageOAuth2Api';

function readMessage(body: unknown): string | undefined {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
	const { message, error, error_description: errorDescription } = body as Record<string, unknown>;
	if (typeof message === 'string' && message) return message;
	if (typeof errorDescription === 'string' && errorDescription) return errorDescription;
	if (typeof error === 'string' && error) return error;
	return undefined;
}

export const araraProfile: ProviderProfile = {
	credentialType: ARARA_CREDENTIAL_TYPE,
	displayName: 'Arara Message',
	secretFields: ['clientSecret'],
	// Client credentials; the token lives one hour: a 401 goes once more through n8n's OAuth2 path, which fetches a new one.
	oauth2ClientCredentials: true,
	// Errors come as `{"message": "..."}` with a 4xx/5xx status; a 2xx answer is never an error.
	readErrors(body, status): ProviderErrorDetail[] | undefined {
		if (status < 400) return undefined;
		const message = readMessage(body);
		return message ? [{ message }] : undefined;
	},
	describeStatus(status, details) {
		const said = details.length ? `: ${details.map((detail) => detail.message).join('; ')}` : '';
		if (status === 401 || status === 403) {
			return `Arara Message did not accept the access token (HTTP ${status})${said}. Check the client ID, secret key and access token URL in the credential.`;
		}
		if (status === 429) return `Arara Message is rate limiting requests (HTTP 429)${said}`;
		if (status >= 500) return `Arara Message had an internal error (HTTP ${status})${said}`;
		return undefined;
	},
};
