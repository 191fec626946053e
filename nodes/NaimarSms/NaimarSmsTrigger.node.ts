import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IDataObject,
	INodeCredentialTestResult,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import {
	PUSH_CREDENTIAL_TYPE,
	PUSH_STATUS_NAMES,
	UNKNOWN_STATUS,
	readPushReport,
	sharedSecretProblem,
	unfoldQuery,
} from './helpers/pushReport';
import {
	answerCaller,
	callerCredential,
	consoleManagedWebhook,
	refuseCaller,
	secretEquals,
} from '../shared/execution/webhook';

const STATUS_OPTIONS = [
	...Object.entries(PUSH_STATUS_NAMES).map(([code, name]) => ({
		name: `${name.charAt(0).toUpperCase()}${name.slice(1)} (${code})`,
		value: name,
	})),
	{ name: 'Unknown (Any Other Code)', value: UNKNOWN_STATUS },
];

/**
 * The Shared Secret calls must carry: undefined when no Naimar SMS Push credential is chosen
 * (any call is accepted), '' when the chosen one holds none (no call is accepted).
 */
async function expectedSecret(ctx: IWebhookFunctions): Promise<string | undefined> {
	const credential = await callerCredential(ctx, PUSH_CREDENTIAL_TYPE);
	if (!credential) return undefined;
	return typeof credential.sharedSecret === 'string' ? credential.sharedSecret : '';
}

export class NaimarSmsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Naimar SMS Trigger',
		name: 'naimarSmsTrigger',
		icon: { light: 'file:naimarSms.svg', dark: 'file:naimarSms.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: 'Push delivery reports',
		description: 'Starts the workflow when the Naimar SMS gateway pushes a delivery report',
		defaults: { name: 'Naimar SMS Trigger' },
		eventTriggerDescription: 'Waiting for a delivery report on the Test URL',
		activationMessage:
			"Naimar SMS can now push delivery reports to this node's Production URL. Set it as your delivery report URL at Naimar SMS.",
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'naimarSmsPushApi', required: false, testedBy: 'naimarSmsPushSecret' }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'GET',
				responseMode: 'onReceived',
				path: 'naimar-sms',
			},
		],
		properties: [
			{
				displayName:
					'Give this node\'s Production URL to Naimar SMS as your delivery report URL. Without a Naimar SMS Push credential that URL accepts any call, so anyone who knows it can start this workflow: choose one and add its Shared Secret to the URL as "?secret=…".',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'Statuses',
						name: 'statuses',
						type: 'multiOptions',
						options: STATUS_OPTIONS,
						default: [],
						description:
							'Start the workflow only for these statuses (all when empty). Other reports are still acknowledged, so the gateway does not resend them.',
					},
				],
			},
		],
	};

	methods = {
		credentialTest: {
			// The secret is ours, not the gateway's: nothing remote can check it, so check that it will work in the URL.
			async naimarSmsPushSecret(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				const problem = sharedSecretProblem(credential.data?.sharedSecret);
				return problem
					? { status: 'Error', message: problem }
					: { status: 'OK', message: 'The Shared Secret can go into the URL as it is' };
			},
		},
	};

	// Naimar SMS has no API to register a report URL: it is set in the customer portal.
	webhookMethods = consoleManagedWebhook;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const query = unfoldQuery(this.getQueryData() as Record<string, unknown>);
		const secret = await expectedSecret(this);
		if (secret !== undefined && (secret === '' || !secretEquals(query.secret, secret))) {
			return refuseCaller(this, 403, 'Forbidden');
		}
		const report = readPushReport(query);
		if (!report)
			return refuseCaller(this, 400, 'Not a delivery report: the query needs "id" and "status"');
		// The gateway retries for 24 hours unless it gets exactly HTTP 200 with the body "OK".
		answerCaller(this, 200, 'OK');
		const statuses = Array.isArray(options.statuses) ? (options.statuses as string[]) : [];
		if (statuses.length && !statuses.includes(report.status as string))
			return { noWebhookResponse: true };
		return { noWebhookResponse: true, workflowData: [this.helpers.returnJsonArray([report])] };
	}
}
