import type {
	IAuthenticate,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import {
	DEFAULT_BASE_URL,
	MAX_LOGIN_LENGTH,
	loginProblem,
} from '../nodes/NaimarSms/transport/login';

/** Puts the login into the JSON body, where the gateway expects it, after checking its length. */
async function addLoginToBody(
	credentials: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const problem = loginProblem(credentials);
	if (problem) throw new Error(problem);
	const body =
		requestOptions.body !== null &&
		typeof requestOptions.body === 'object' &&
		!Array.isArray(requestOptions.body)
			? (requestOptions.body as IDataObject)
			: {};
	return {
		...requestOptions,
		body: { username: credentials.username, password: credentials.password, ...body },
	};
}

export class NaimarSmsApi implements ICredentialType {
	name = 'naimarSmsApi';

	displayName = 'Naimar SMS API';

	documentationUrl =
		'https://github.com/n8n-nodes-delivery-reports/n8n-nodes-delivery-reports/blob/main/docs/naimar-sms.md#credential-naimar-sms-api';

	icon = {
		light: 'file:../nodes/NaimarSms/naimarSms.svg',
		dark: 'file:../nodes/NaimarSms/naimarSms.dark.svg',
	} as const;

	properties: INodeProperties[] = [
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			required: true,
			description: `Your Naimar SMS login name (at most ${MAX_LOGIN_LENGTH} characters)`,
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: `Your Naimar SMS password (at most ${MAX_LOGIN_LENGTH} characters)`,
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: DEFAULT_BASE_URL,
			description:
				"The gateway's API address, up to and including /api/v6. Naimar documents it as plain http; use https if your account supports it.",
			hint: 'The documented address is plain http: the login travels unencrypted unless you switch to https',
		},
	];

	authenticate: IAuthenticate = addLoginToBody;

	// A made-up id: a right login answers 200 (with no report for it), a wrong one 401.
	test: ICredentialTestRequest = {
		request: {
			method: 'POST',
			// As deliveryUrl() in the node: trimmed, an emptied field means the default, no trailing slash.
			url: `={{ (($credentials.baseUrl || "").trim() || "${DEFAULT_BASE_URL}").replace(/\\/+$/, "") }}/rest/delivery/json/`,
			body: { deliveries: [{ id: 'n8ntest' }] },
			json: true,
		},
	};
}
