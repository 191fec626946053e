import type {
	IAuthenticate,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class CustomersMailCloudApi implements ICredentialType {
	name = 'customersMailCloudApi';

	displayName = 'Customers Mail Cloud API';

	icon: Icon = {
		light: 'file:../nodes/CustomersMailCloud/customersMailCloud.svg',
		dark: 'file:../nodes/CustomersMailCloud/customersMailCloud.dark.svg',
	};

	documentationUrl = 'https://smtps.jp/docs/en/api/transaction/v2/blocks.html';

	properties: INodeProperties[] = [
		{
			displayName: 'API User',
			name: 'apiUser',
			type: 'string',
			default: '',
			required: true,
			description: 'The API user ID from the Customers Mail Cloud console',
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The secret key of that API user',
		},
		{
			displayName: 'Host',
			name: 'host',
			type: 'string',
			default: 'https://api.smtps.jp',
			description: 'Base URL of the management API, without a trailing slash',
		},
		{
			displayName: 'Language',
			name: 'language',
			type: 'options',
			options: [
				{ name: 'English', value: 'en' },
				{ name: 'Japanese', value: 'ja' },
			],
			default: 'en',
			description: 'Language of the error messages the API returns (sent as Accept-Language)',
		},
		{
			displayName: 'Default Server Composition',
			name: 'serverComposition',
			type: 'string',
			default: '',
			required: true,
			description:
				'Name of a server composition (sending environment) of this account. The API cannot check a key without one; the node uses it when its own Server Composition field is empty.',
		},
		{
			displayName: 'ZIP Password',
			name: 'zipPassword',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				"The password of the account's data encryption. Only needed when data encryption is turned on and Download unzips the file (Output One Item per Block).",
		},
	];

	// The API reads the credentials from the form body of every request. A function rather than
	// expressions: n8n would otherwise evaluate three expressions on every request.
	authenticate: IAuthenticate = async (credentials, requestOptions) => {
		const body = requestOptions.body;
		const form = body !== null && typeof body === 'object' && !Array.isArray(body) ? body : {};
		return {
			...requestOptions,
			body: { ...form, api_user: credentials.apiUser, api_key: credentials.apiKey },
			headers: { ...requestOptions.headers, 'Accept-Language': credentials.language || 'en' },
		};
	};

	// A one-record list is the cheapest call that fails for a wrong key. The API may answer an
	// error with HTTP 200 (decide by the body): an answer without a block list fails the test.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.host.replace(/\\/+$/, "")}}',
			url: '/transaction/v2/blocks/list.json',
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: {
				server_composition: '={{$credentials.serverComposition}}',
				r: 1,
			},
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'errors[0].code',
					value: '10-002',
					message:
						'Customers Mail Cloud does not know the Default Server Composition of this credential',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'blocks',
					value: undefined,
					message:
						'Customers Mail Cloud did not accept the credential (no block list came back): check the API User, API Key, Host and Default Server Composition',
				},
			},
		],
	};
}
