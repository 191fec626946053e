import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * The secret a Naimar SMS delivery report URL carries as "?secret=…". It is our own value, not the
 * gateway's, so no request can check it: the Naimar SMS Trigger's credential test checks it locally.
 */
export class NaimarSmsPushApi implements ICredentialType {
	name = 'naimarSmsPushApi';

	displayName = 'Naimar SMS Push API';

	documentationUrl =
		'https://github.com/n8n-nodes-delivery-reports/n8n-nodes-delivery-reports/blob/main/docs/naimar-sms.md#credential-naimar-sms-push-api';

	icon = {
		light: 'file:../nodes/NaimarSms/naimarSms.svg',
		dark: 'file:../nodes/NaimarSms/naimarSms.dark.svg',
	} as const;

	properties: INodeProperties[] = [
		{
			displayName: 'Shared Secret',
			name: 'sharedSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'A value of your choice that the delivery report URL must carry as "?secret=…". Use letters, digits and - . _ ~ only, so it goes into the URL as it is. Calls without it are answered 403 and start nothing.',
		},
	];
}
