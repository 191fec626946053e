import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * Arara Message API v2: OAuth2 client credentials. Extending n8n's own `oAuth2Api` lets n8n fetch
 * the token, store it with the credential, reuse it across items and executions, and fetch a new
 * one when the API answers 401 (the token lives one hour).
 */
export class AraraMessageOAuth2Api implements ICredentialType {
	name = 'araraMessageOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Arara Message OAuth2 API';

	icon = {
		light: 'file:../nodes/AraraMessage/araraMessage.svg',
		dark: 'file:../nodes/AraraMessage/araraMessage.dark.svg',
	} as const;

	documentationUrl = 'https://docs.am.arara.com/apiv2/';

	properties: INodeProperties[] = [
		{
			displayName: 'Host',
			name: 'host',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'api.example.com',
			description:
				'The API host name from your Arara Message contract (https:// is assumed), or a full base URL such as http://127.0.0.1:8403 for a sandbox or proxy',
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
		},
		{
			displayName: 'Secret Key',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'string',
			// auth.<host> for a host name; <base URL>/oauth2/token for a full URL (sandboxes, proxies).
			default:
				'={{ ($self["host"].startsWith("http://") || $self["host"].startsWith("https://")) ? ($self["host"].endsWith("/") ? $self["host"].slice(0, -1) : $self["host"]) + "/oauth2/token" : "https://auth." + $self["host"] + "/oauth2/token" }}',
			required: true,
			description:
				'Where tokens come from. Defaults to https://auth.&lt;host&gt;/oauth2/token, or &lt;base URL&gt;/oauth2/token when Host is a full URL.',
		},
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'hidden',
			default: 'clientCredentials',
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			default: 'header',
		},
	];
}
