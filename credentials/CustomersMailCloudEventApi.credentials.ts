import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * How the Customers Mail Cloud Event Trigger checks that a POST really comes from the service:
 * BASIC authentication in the Authorization header, or the API key set in the console (sent as
 * the `api_key` body field).
 */
export class CustomersMailCloudEventApi implements ICredentialType {
	name = 'customersMailCloudEventApi';

	displayName = 'Customers Mail Cloud Event API';

	icon: Icon = {
		light: 'file:../nodes/CustomersMailCloud/customersMailCloud.svg',
		dark: 'file:../nodes/CustomersMailCloud/customersMailCloud.dark.svg',
	};

	documentationUrl = 'https://smtps.jp/docs-en/apiv2/webhook/event';

	properties: INodeProperties[] = [
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			options: [
				{ name: 'None', value: 'none', description: 'Accept every POST to the webhook URL' },
				{
					name: 'Basic Auth',
					value: 'basicAuth',
					description: 'The service sends a user and password (BASIC authentication)',
				},
				{
					name: 'API Key',
					value: 'apiKey',
					description: 'The service sends the API key set in the console with every event',
				},
			],
			default: 'apiKey',
		},
		{
			displayName: 'User',
			name: 'user',
			type: 'string',
			default: '',
			displayOptions: { show: { authentication: ['basicAuth'] } },
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { authentication: ['basicAuth'] } },
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'The API key entered in the console (Menu → API settings → Webhook tab → Event tab → Settings tab). Calls without it are answered 403 and start nothing.',
			displayOptions: { show: { authentication: ['apiKey'] } },
		},
	];
}
