/** How Naimar SMS reports errors, for the shared transport. */
import type { ProviderErrorDetail } from '../../shared/transport/errors';
import type { ProviderProfile } from '../../shared/transport/request';
import { DEFAULT_BASE_URL } from './login';

/** The gateway's documented error statuses and what they mean, for bodies we cannot read. */
const DOCUMENTED_ERRORS: Record<number, string> = {
	400: 'missing parameter',
	401: 'unknown username/password',
	500: 'unknown error',
};

/** `{"response":{"status":400,"description":"missing parameter"}}`, possibly with HTTP 200. */
function readNaimarErrors(body: unknown): ProviderErrorDetail[] | undefined {
	if (body === null || typeof body !== 'object') return undefined;
	const response = (body as { response?: unknown }).response;
	if (response === null || typeof response !== 'object') return undefined;
	const { status, description } = response as { status?: unknown; description?: unknown };
	const code = Number(status);
	if (!Number.isFinite(code) || code < 400) return undefined;
	const text =
		typeof description === 'string' && description.trim()
			? description.trim()
			: DOCUMENTED_ERRORS[code];
	return [{ code: String(code), message: text ?? `error ${code}` }];
}

export const naimarProfile: ProviderProfile = {
	credentialType: 'naimarSmsApi',
	displayName: 'Naimar SMS',
	secretFields: ['password'],
	readErrors: readNaimarErrors,
	describeStatus(httpStatus, details) {
		// An error body sent with HTTP 200 is described by the status it names.
		const bodyStatus = Number(details[0]?.code);
		const status = httpStatus < 400 && Number.isFinite(bodyStatus) ? bodyStatus : httpStatus;
		if (status === 401) {
			const said = details[0]?.message ?? DOCUMENTED_ERRORS[401];
			return `Naimar SMS refused the login (${said}): check Username and Password in the credential`;
		}
		if (status === 404 || status === 405) {
			// The gateway documents no 404: the address is wrong, e.g. a Base URL without /api/v6.
			return `Naimar SMS has no delivery report endpoint at this address (HTTP ${status}): check the Base URL in the credential, which ends with /api/v6 (default ${DEFAULT_BASE_URL})`;
		}
		if (details.length) return undefined;
		// The body was not readable (the API's own sample error is invalid JSON): name the documented meaning.
		const documented = DOCUMENTED_ERRORS[status];
		return documented ? `Naimar SMS answered HTTP ${status} (${documented})` : undefined;
	},
};
