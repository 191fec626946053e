/** What the shared transport needs to know about Customers Mail Cloud's answers. */
import type { ProviderErrorDetail } from '../../shared/transport/errors';
import type { ProviderProfile } from '../../shared/transport/request';

export const CREDENTIAL_TYPE = 'customersMailCloudApi';

/** The API reports errors as {"errors":[{code, field, message}]}, whatever the HTTP status. */
export function readCustomersMailCloudErrors(body: unknown): ProviderErrorDetail[] | undefined {
	const errors = (body as { errors?: unknown } | null)?.errors;
	if (!Array.isArray(errors) || errors.length === 0) return undefined;
	return errors.map((entry: unknown) => {
		const error = (entry ?? {}) as Record<string, unknown>;
		return {
			code: error.code === undefined || error.code === null ? undefined : String(error.code),
			field: error.field ? String(error.field) : undefined,
			message: error.message ? String(error.message) : 'Unknown error',
		};
	});
}

export const customersMailCloudProfile: ProviderProfile = {
	credentialType: CREDENTIAL_TYPE,
	displayName: 'Customers Mail Cloud',
	secretFields: ['apiKey', 'zipPassword'],
	readErrors: (body) => readCustomersMailCloudErrors(body),
	describeStatus(status, details) {
		if (status !== 401) return undefined;
		const said = details.map((detail) => detail.message).join('; ');
		return `Customers Mail Cloud refused the credentials${said ? `: ${said}` : ''}`;
	},
};
