/**
 * One definition per benchmark job: what this package's node, the floor (bench/BenchFloor.node.ts)
 * and n8n's HTTP Request node are given to do it. The engine benchmarks and the real-n8n benchmark
 * both build their runs from here, so a job means the same thing wherever it runs.
 */
import type { IDataObject } from 'n8n-workflow';

import { SANDBOX_CREDENTIALS as CMC_SANDBOX } from '../test/fakes/customers-mail-cloud';
import { SANDBOX_CREDENTIALS as NAIMAR_SANDBOX } from '../test/fakes/naimar-sms';
import { FLOOR_TYPE } from './BenchFloor.node';
import { HTTP_REQUEST_TYPE } from './http-request-node';

/** A node's part in a job: its type (this package's without prefix) and parameters. */
export interface Contender {
	type: string;
	typeVersion?: number;
	parameters: IDataObject;
}

export interface JobSpec {
	benchmark: string;
	/** The job's label, without where it runs (loopback, latency). */
	job: string;
	/** The credential type every contender uses (the HTTP Request node only when it authenticates). */
	credentialType: string;
	node: Contender;
	floor: Contender;
	/** The floor sending through httpRequestWithAuthentication, as every node must. */
	floorAuth: Contender;
	httpRequest?: Contender & { authenticates: boolean };
	note?: string;
}

const en = (count: number) => count.toLocaleString('en');

const floor = (parameters: IDataObject): Contender => ({ type: FLOOR_TYPE, parameters });
const floorAuth = (parameters: IDataObject): Contender => ({
	type: FLOOR_TYPE,
	parameters: { ...parameters, viaAuthentication: true },
});
const httpRequest = (parameters: IDataObject, authenticates = false): JobSpec['httpRequest'] => ({
	type: HTTP_REQUEST_TYPE,
	typeVersion: 4.2,
	parameters: { ...parameters, options: parameters.options ?? {} },
	authenticates,
});

/**
 * Thousands of items at once: n8n's HTTP Request node opens a socket per item, and all 10,000 or
 * 50,000 at once run out of file descriptors or overflow the server's accept queue (resets). A
 * user turns on its Batching option: 2,000 started every 2 s, about what one core finishes meanwhile.
 */
const HTTP_REQUEST_BATCHING = { batching: { batch: { batchSize: 2000, batchInterval: 2000 } } };

/** What a job's label says about requests in flight. */
export const inFlight = (concurrency: number) => `${concurrency} in flight`;

export const jobs = {
	naimarGet(url: string, ids: number, concurrency: number): JobSpec {
		const options = { batchSize: 100, concurrency };
		return {
			benchmark: 'Naimar SMS',
			job: `Get delivery reports, ${en(ids)} ids (batches of 100, ${inFlight(concurrency)})`,
			credentialType: 'naimarSmsApi',
			node: {
				type: 'naimarSms',
				parameters: {
					resource: 'deliveryReport',
					operation: 'get',
					messageIds: '={{ $json.id }}',
					options,
				},
			},
			floor: floor({ job: 'naimarGet', messageIds: '={{ $json.id }}', options }),
			floorAuth: floorAuth({ job: 'naimarGet', messageIds: '={{ $json.id }}', options }),
			httpRequest: httpRequest({
				method: 'POST',
				url: `${url}/rest/delivery/json/`,
				sendBody: true,
				contentType: 'json',
				specifyBody: 'json',
				jsonBody: `={{ JSON.stringify({ username: ${JSON.stringify(NAIMAR_SANDBOX.username)}, password: ${JSON.stringify(NAIMAR_SANDBOX.password)}, deliveries: [ { id: $json.id } ] }) }}`,
				options: HTTP_REQUEST_BATCHING,
			}),
			note: 'HTTP Request node: one POST per id, as a user builds it, its Batching option starting 2,000 every 2 s',
		};
	},

	cmcList(blocks: number, concurrency: number): JobSpec {
		const options = { concurrency };
		return {
			benchmark: 'Customers Mail Cloud',
			job: `Get Many, Return All over ${en(blocks)} blocks (${inFlight(concurrency)})`,
			credentialType: 'customersMailCloudApi',
			node: {
				type: 'customersMailCloud',
				parameters: { resource: 'block', operation: 'getAll', returnAll: true, options },
			},
			floor: floor({ job: 'cmcList', options }),
			floorAuth: floorAuth({ job: 'cmcList', options }),
			note: 'HTTP Request node: not measured (it has no page-until-short loop a user would build)',
		};
	},

	cmcUnblock(
		url: string,
		kind: 'cancel' | 'delete',
		composition: string,
		addresses: number,
		concurrency: number,
	): JobSpec {
		const options = { concurrency };
		const shared = {
			operation: kind,
			serverComposition: composition,
			email: '={{ $json.email }}',
			options,
		};
		return {
			benchmark: 'Customers Mail Cloud',
			job: `${kind === 'cancel' ? 'Unblock Once' : 'Unblock Permanently'}, ${en(addresses)} addresses (${inFlight(concurrency)})`,
			credentialType: 'customersMailCloudApi',
			node: { type: 'customersMailCloud', parameters: { resource: 'block', ...shared } },
			floor: floor({ job: 'cmcUnblock', ...shared }),
			floorAuth: floorAuth({ job: 'cmcUnblock', ...shared }),
			httpRequest: httpRequest({
				method: 'POST',
				url: `${url}/transaction/v2/blocks/${kind}.json`,
				sendBody: true,
				contentType: 'form-urlencoded',
				bodyParameters: {
					parameters: [
						{ name: 'api_user', value: CMC_SANDBOX.apiUser },
						{ name: 'api_key', value: CMC_SANDBOX.apiKey },
						{ name: 'server_composition', value: composition },
						{ name: 'email', value: '={{ $json.email }}' },
					],
				},
			}),
			note: 'HTTP Request node: one POST per item, all started at once',
		};
	},

	/** Deliveries of one day, every page (the node's Return All; the HTTP Request node's pagination). */
	cmcDeliveries(url: string, date: string, records: number, concurrency: number): JobSpec {
		const options = { concurrency };
		return {
			benchmark: 'Customers Mail Cloud',
			job: `Delivery → Get Many, Return All over a busy day (${en(records)} records, pages of 100, ${inFlight(concurrency)})`,
			credentialType: 'customersMailCloudApi',
			node: {
				type: 'customersMailCloud',
				parameters: {
					resource: 'delivery',
					operation: 'getAll',
					date,
					returnAll: true,
					filters: {},
					options,
				},
			},
			floor: floor({ job: 'cmcDeliveries', date, returnAll: true, filters: {}, options }),
			floorAuth: floorAuth({ job: 'cmcDeliveries', date, returnAll: true, filters: {}, options }),
			httpRequest: httpRequest({
				method: 'POST',
				url: `${url}/transaction/v2/deliveries/list.json`,
				sendBody: true,
				contentType: 'form-urlencoded',
				bodyParameters: {
					parameters: [
						{ name: 'api_user', value: CMC_SANDBOX.apiUser },
						{ name: 'api_key', value: CMC_SANDBOX.apiKey },
						{ name: 'server_composition', value: CMC_SANDBOX.serverComposition },
						{ name: 'date', value: date },
						{ name: 'r', value: '100' },
					],
				},
				options: {
					pagination: {
						pagination: {
							paginationMode: 'updateAParameterInEachRequest',
							parameters: { parameters: [{ type: 'body', name: 'p', value: '={{ $pageCount }}' }] },
							paginationCompleteWhen: 'other',
							completeExpression: '={{ $response.body.deliveries.length < 100 }}',
						},
					},
				},
			}),
			note: 'HTTP Request node: its Pagination option (p = $pageCount until a short page), one page after another; it outputs one item per page, the records still to split out',
		};
	},

	araraGet(url: string, ids: number, concurrency: number): JobSpec {
		const options = { concurrency };
		return {
			benchmark: 'Arara Message',
			job: `Get (by delivery id), ${en(ids)} ids (${inFlight(concurrency)})`,
			credentialType: 'araraMessageOAuth2Api',
			node: {
				type: 'araraMessage',
				parameters: {
					resource: 'delivery',
					operation: 'get',
					deliveryId: '={{ $json.id }}',
					options,
				},
			},
			floor: floor({ job: 'araraGet', deliveryId: '={{ $json.id }}', options }),
			floorAuth: floorAuth({ job: 'araraGet', deliveryId: '={{ $json.id }}', options }),
			httpRequest: httpRequest(
				araraAuth({ method: 'GET', url: `=${url}/send/{{ $json.id }}` }),
				true,
			),
			note: 'HTTP Request node: one GET per item, all started at once',
		};
	},

	araraCancel(url: string, deliveries: number, concurrency: number): JobSpec {
		const options = { concurrency };
		return {
			benchmark: 'Arara Message',
			job: `Cancel, ${en(deliveries)} reserved deliveries (${inFlight(concurrency)})`,
			credentialType: 'araraMessageOAuth2Api',
			node: {
				type: 'araraMessage',
				parameters: {
					resource: 'delivery',
					operation: 'cancel',
					deliveryId: '={{ $json.id }}',
					options,
				},
			},
			floor: floor({ job: 'araraCancel', deliveryId: '={{ $json.id }}', options }),
			floorAuth: floorAuth({ job: 'araraCancel', deliveryId: '={{ $json.id }}', options }),
			httpRequest: httpRequest(
				araraAuth({ method: 'DELETE', url: `=${url}/send/{{ $json.id }}` }),
				true,
			),
			note: 'HTTP Request node: one DELETE per item, all started at once',
		};
	},

	araraSend(url: string, deliveries: number, concurrency: number): JobSpec {
		const options = { concurrency };
		const send = { toAddress: '={{ $json.email }}', ...ARARA_SEND };
		return {
			benchmark: 'Arara Message',
			job: `Send, ${en(deliveries)} deliveries (one per item; 100 per request, ${inFlight(concurrency)})`,
			credentialType: 'araraMessageOAuth2Api',
			node: {
				type: 'araraMessage',
				parameters: {
					resource: 'delivery',
					operation: 'reserve',
					deliveryMode: 'perItem',
					...send,
					options,
				},
			},
			floor: floor({ job: 'araraSend', ...send, options }),
			floorAuth: floorAuth({ job: 'araraSend', ...send, options }),
			httpRequest: httpRequest(
				araraAuth({
					method: 'POST',
					url: `${url}/send`,
					sendBody: true,
					contentType: 'json',
					specifyBody: 'json',
					// Spaces between braces: "}}" would end the expression.
					jsonBody: `={{ JSON.stringify({ delivery: [ { 'mailing-list': [ { to: { address: $json.email } } ], contents: { subject: ${JSON.stringify(ARARA_SEND.subject)}, body: { text: ${JSON.stringify(ARARA_SEND.text)} } }, settings: { send_time: 'now', from: { address: ${JSON.stringify(ARARA_SEND.fromAddress)}, name: ${JSON.stringify(ARARA_SEND.fromName)} } } } ] }) }}`,
				}),
				true,
			),
			note: 'HTTP Request node: one POST (one delivery) per item, all started at once',
		};
	},

	/** Error Filter → Look Up: the node and the floor batch 10,000 addresses per request. */
	araraLookup(url: string, addresses: number, concurrency: number): JobSpec {
		const options = { concurrency };
		return {
			benchmark: 'Arara Message',
			job: `Error Filter → Look Up, ${en(addresses)} addresses (10,000 per request, ${inFlight(concurrency)})`,
			credentialType: 'araraMessageOAuth2Api',
			node: {
				type: 'araraMessage',
				parameters: {
					resource: 'errorFilter',
					operation: 'lookup',
					address: '={{ $json.email }}',
					options,
				},
			},
			floor: floor({ job: 'araraLookup', address: '={{ $json.email }}', options }),
			floorAuth: floorAuth({ job: 'araraLookup', address: '={{ $json.email }}', options }),
			httpRequest: httpRequest(
				araraAuth({
					method: 'POST',
					url: `${url}/errorfilter`,
					sendBody: true,
					contentType: 'json',
					specifyBody: 'json',
					jsonBody: '={{ JSON.stringify({ items: [ { address: $json.email } ] }) }}',
					options: HTTP_REQUEST_BATCHING,
				}),
				true,
			),
			note: 'HTTP Request node: one POST per address (as for any per-item call), its Batching option starting 2,000 every 2 s',
		};
	},
};

export const ARARA_SEND = {
	subject: 'Your order has shipped',
	text: 'Dear customer,\nyour order has shipped.',
	fromAddress: 'shop@example.jp',
	fromName: 'Arara Shop',
};

/** The HTTP Request node with this package's Arara credential (n8n's OAuth2 handling). */
function araraAuth(parameters: IDataObject): IDataObject {
	return {
		authentication: 'predefinedCredentialType',
		nodeCredentialType: 'araraMessageOAuth2Api',
		...parameters,
	};
}
