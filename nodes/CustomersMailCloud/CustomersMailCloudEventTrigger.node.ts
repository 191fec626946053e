import type {
	ICredentialTestFunctions,
	ICredentialsDecrypted,
	IDataObject,
	INodeCredentialTestResult,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { ERROR_STATUS_NAMES } from './helpers/blockStatus';
import {
	CONSOLE_MENU_PATH,
	basicAuthMatches,
	readEventPost,
	statusWanted,
	toEventItem,
} from './helpers/eventWebhook';
import {
	answerCaller,
	callerCredential,
	consoleManagedWebhook,
	refuseCaller,
	secretEquals,
} from '../shared/execution/webhook';

const EVENT_CREDENTIAL = 'customersMailCloudEventApi';

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export class CustomersMailCloudEventTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Customers Mail Cloud Event Trigger',
		name: 'customersMailCloudEventTrigger',
		icon: { light: 'file:customersMailCloud.svg', dark: 'file:customersMailCloud.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: 'Event Webhook',
		description:
			'Starts the workflow when Customers Mail Cloud posts delivery, bounce or block events to its Event Webhook',
		defaults: { name: 'Customers Mail Cloud Event Trigger' },
		eventTriggerDescription: 'Waiting for Customers Mail Cloud to post an event to the Test URL',
		activationMessage: `Customers Mail Cloud can now post events to this node's Production URL. Paste it as the Endpoint URL in the console (${CONSOLE_MENU_PATH}).`,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'customersMailCloudEventApi',
				required: false,
				testedBy: 'customersMailCloudEventCheck',
			},
		],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: 'customers-mail-cloud-events',
			},
		],
		properties: [
			{
				displayName: `The webhook cannot be registered through the API. Copy this node's Production URL (it must be https://) and paste it as the Endpoint URL in the Customers Mail Cloud console: ${CONSOLE_MENU_PATH}. Choose Version 2 and tick the event kinds you want; JSON format is optional.`,
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Event Types',
				name: 'eventTypes',
				type: 'multiOptions',
				options: [
					{ name: 'Blocks', value: 'blocks', description: 'Blocking operations (Pro plan only)' },
					{
						name: 'Bounces',
						value: 'bounces',
						description: 'Addresses that caused a sending error',
					},
					{
						name: 'Deliveries',
						value: 'deliveries',
						description: 'Queued, succeeded, failed and deferred mails',
					},
				],
				default: [],
				description:
					'Start the workflow only for these kinds of events (all when empty). Others are still answered 200.',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'Delivery Statuses',
						name: 'deliveryStatuses',
						type: 'multiOptions',
						options: [
							{ name: 'Deferred', value: 'deferred' },
							{ name: 'Failed', value: 'failed' },
							{ name: 'Queued', value: 'queued' },
							{ name: 'Succeeded', value: 'succeeded' },
						],
						default: [],
						description: 'Only delivery events with these statuses (all when empty)',
					},
					{
						displayName: 'Error Statuses',
						name: 'errorStatuses',
						type: 'multiOptions',
						options: ERROR_STATUS_NAMES.map(([code, name]) => ({
							name: `${capitalized(name)} (${code})`,
							value: code,
						})).sort((a, b) => a.name.localeCompare(b.name)),
						default: [],
						description: 'Only bounce and block events with these error statuses (all when empty)',
					},
				],
			},
		],
	};

	methods = {
		credentialTest: {
			/** Nothing to call: the service calls us. Checks that the chosen method has what it needs. */
			async customersMailCloudEventCheck(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				const data = credential.data ?? {};
				const authentication = String(data.authentication ?? 'none');
				if (authentication === 'basicAuth' && (!data.user || !data.password)) {
					return { status: 'Error', message: 'Enter both User and Password for Basic Auth' };
				}
				if (authentication === 'apiKey' && !data.apiKey) {
					return {
						status: 'Error',
						message: 'Enter the API key set in the Customers Mail Cloud console',
					};
				}
				return { status: 'OK', message: 'The credential is complete' };
			},
		},
	};

	// The Event Webhook is set up only in the console.
	webhookMethods = consoleManagedWebhook;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		// The docs promise no redelivery: the service is answered at once, nothing waits on the workflow.
		const credential = await callerCredential(this, EVENT_CREDENTIAL);
		const authentication = String(credential?.authentication ?? 'none');
		if (authentication === 'basicAuth') {
			const headers = this.getHeaderData() as IDataObject;
			if (
				!basicAuthMatches(
					headers.authorization,
					String(credential?.user ?? ''),
					String(credential?.password ?? ''),
				)
			) {
				this.getResponseObject().setHeader(
					'WWW-Authenticate',
					'Basic realm="Customers Mail Cloud events"',
				);
				return refuseCaller(this, 401, 'Unauthorized');
			}
		}
		const body = this.getBodyData() as IDataObject;
		if (
			authentication === 'apiKey' &&
			!secretEquals(body?.api_key, String(credential?.apiKey ?? ''))
		) {
			return refuseCaller(this, 403, 'Forbidden');
		}
		const read = readEventPost(body);
		if ('problem' in read)
			return refuseCaller(this, 400, `Not a Customers Mail Cloud event: ${read.problem}`);
		answerCaller(this, 200, 'OK');
		const { post } = read;
		const eventTypes = this.getNodeParameter('eventTypes', []) as string[];
		if (eventTypes.length && !eventTypes.includes(post.eventType))
			return { noWebhookResponse: true };
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const deliveryStatuses = Array.isArray(options.deliveryStatuses)
			? (options.deliveryStatuses as string[])
			: [];
		const errorStatuses = Array.isArray(options.errorStatuses)
			? (options.errorStatuses as string[])
			: [];
		const items = post.events
			.filter((event) => statusWanted(post.eventType, event, deliveryStatuses, errorStatuses))
			.map((event) => toEventItem(post, event));
		if (items.length === 0) return { noWebhookResponse: true };
		return { noWebhookResponse: true, workflowData: [this.helpers.returnJsonArray(items)] };
	}
}
