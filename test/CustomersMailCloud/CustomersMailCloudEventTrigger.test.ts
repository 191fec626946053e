/** The Customers Mail Cloud Event Trigger's webhook() as n8n's server calls it, with the service's Event Webhook POSTs. */
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { loadNodeTypes } from '../harness/node-types';
import { runWebhook } from '../harness/webhook';

const CRED_TYPE = 'customersMailCloudEventApi';

async function post(
	body: IDataObject,
	options: {
		parameters?: IDataObject;
		credential?: IDataObject;
		headers?: Record<string, string>;
	} = {},
) {
	return await runWebhook({
		node: {
			type: 'customersMailCloudEventTrigger',
			parameters: options.parameters ?? {},
			credentials: options.credential ? { [CRED_TYPE]: 'events' } : undefined,
		},
		credentials: options.credential
			? { events: { type: CRED_TYPE, data: options.credential as ICredentialDataDecryptedObject } }
			: {},
		call: { method: 'POST', body, headers: options.headers ?? {} },
	});
}

const delivery = (status: string, to = 'user@example.jp') => ({
	reason: status === 'failed' ? '550 5.1.1 unknown' : '',
	sourceIp: '100.100.100.1',
	returnPath: 'info@return.pro.smtps.jp',
	created: '2023-01-25 14:03:06',
	subject: 'hello',
	apiData: 'CMC1',
	messageId: '<031a32d4@example.com>',
	from: 'info@example.com',
	to,
	senderIp: '',
	status,
});
const bounce = (status: string) => ({
	created: '2023-01-25 14:05:00',
	status,
	to: 'gone@example.jp',
	from: 'info@example.com',
	reason: 'x',
});

const jsonPost = (eventType: string, entries: IDataObject[], extra: IDataObject = {}) => ({
	event_type: eventType,
	server_composition: 'pro',
	event: { [eventType]: entries },
	...extra,
});
/** As n8n parses a form body: every field a string, `event` a JSON text. */
const formPost = (eventType: string, entries: IDataObject[], extra: IDataObject = {}) => ({
	event_type: eventType,
	server_composition: 'pro',
	event: JSON.stringify({ [eventType]: entries }),
	...extra,
});

describe('reading posts', () => {
	it.each([
		['JSON with event as an object', jsonPost],
		['form-encoded with event as a JSON text', formPost],
	])(
		'%s: answers 200 at once and emits one item per event with eventType and serverComposition',
		async (_name, make) => {
			const outcome = await post(make('deliveries', [delivery('queued'), delivery('succeeded')]));
			expect(outcome.status).toBe(200);
			expect(outcome.body).toBe('OK');
			expect(outcome.noWebhookResponse).toBe(true);
			expect(outcome.items?.map((item) => item.json)).toEqual([
				{ eventType: 'deliveries', serverComposition: 'pro', ...delivery('queued') },
				{ eventType: 'deliveries', serverComposition: 'pro', ...delivery('succeeded') },
			]);
		},
	);

	it('JSON mode with event as a JSON text is read too', async () => {
		const outcome = await post({
			...jsonPost('bounces', []),
			event: JSON.stringify({ bounces: [bounce('2')] }),
		});
		expect(outcome.items?.map((item) => item.json)).toEqual([
			{
				eventType: 'bounces',
				serverComposition: 'pro',
				...bounce('2'),
				statusText: 'unknown user',
			},
		]);
	});

	it('bounce and block events get a readable statusText, null for an unknown code', async () => {
		const outcome = await post(
			jsonPost('blocks', [
				{ email: 'a@example.com', status: '10' },
				{ email: 'b@example.com', status: '77' },
			]),
		);
		expect(outcome.items?.map((item) => [item.json.eventType, item.json.statusText])).toEqual([
			['blocks', 'blocked address'],
			['blocks', null],
		]);
	});

	it('version 1 deliveries (envelopeFrom / envelopeTo) read as version 2, originals kept', async () => {
		const outcome = await post(
			jsonPost('deliveries', [
				{ envelopeFrom: 'r@example.com', envelopeTo: 'u@example.jp', status: 'failed' },
			]),
		);
		expect(outcome.items?.[0].json).toMatchObject({
			to: 'u@example.jp',
			returnPath: 'r@example.com',
			envelopeTo: 'u@example.jp',
		});
	});

	it('an empty event list is acknowledged and starts nothing', async () => {
		const outcome = await post(jsonPost('deliveries', []));
		expect(outcome.status).toBe(200);
		expect(outcome.items).toBeUndefined();
	});

	it.each([
		['no event_type', { server_composition: 'pro', event: { deliveries: [] } }],
		['no server_composition', { event_type: 'deliveries', event: { deliveries: [] } }],
		[
			'event that is not JSON',
			{ event_type: 'deliveries', server_composition: 'pro', event: '{"deliveries": [' },
		],
		[
			'event without the list of its type',
			{ event_type: 'deliveries', server_composition: 'pro', event: { bounces: [] } },
		],
		[
			'a list entry that is not an event',
			{ event_type: 'deliveries', server_composition: 'pro', event: { deliveries: ['x'] } },
		],
		['an empty body', {}],
	])('a malformed body (%s) is answered 400 and emits nothing', async (_name, body) => {
		const outcome = await post(body as IDataObject);
		expect(outcome.status).toBe(400);
		expect(String(outcome.body)).toMatch(/^Not a Customers Mail Cloud event/);
		expect(outcome.items).toBeUndefined();
	});
});

describe('filters', () => {
	it('Event Types: other kinds are acknowledged and start nothing', async () => {
		const parameters = { eventTypes: ['bounces'] };
		const skipped = await post(jsonPost('deliveries', [delivery('failed')]), { parameters });
		expect(skipped.status).toBe(200);
		expect(skipped.items).toBeUndefined();
		const kept = await post(jsonPost('bounces', [bounce('2')]), { parameters });
		expect(kept.items).toHaveLength(1);
	});

	it('Delivery Statuses and Error Statuses keep only those events', async () => {
		const parameters = {
			options: { deliveryStatuses: ['failed', 'deferred'], errorStatuses: ['2'] },
		};
		const deliveries = await post(
			jsonPost('deliveries', [
				delivery('queued'),
				delivery('failed', 'a@x.jp'),
				delivery('succeeded'),
				delivery('deferred', 'b@x.jp'),
			]),
			{ parameters },
		);
		expect(deliveries.items?.map((item) => [item.json.status, item.json.to])).toEqual([
			['failed', 'a@x.jp'],
			['deferred', 'b@x.jp'],
		]);
		const bounces = await post(jsonPost('bounces', [bounce('1'), bounce('2')]), { parameters });
		expect(bounces.items?.map((item) => item.json.status)).toEqual(['2']);
		const none = await post(jsonPost('deliveries', [delivery('queued')]), { parameters });
		expect(none.status).toBe(200);
		expect(none.items).toBeUndefined();
	});
});

describe('authenticating the caller', () => {
	const apiKey = 'cmc-event-key-8d31f0';

	it('API key: the right key passes and never reaches an item; a wrong or missing one is 403 and emits nothing', async () => {
		const credential = { authentication: 'apiKey', apiKey };
		const ok = await post(formPost('deliveries', [delivery('failed')], { api_key: apiKey }), {
			credential,
		});
		expect(ok.status).toBe(200);
		expect(ok.items).toHaveLength(1);
		expect(JSON.stringify(ok.items)).not.toContain(apiKey);
		expect(ok.items?.[0].json).not.toHaveProperty('api_key');
		for (const body of [
			formPost('deliveries', [delivery('failed')], { api_key: 'wrong' }),
			formPost('deliveries', [delivery('failed')]),
		]) {
			const refused = await post(body, { credential });
			expect(refused.status).toBe(403);
			expect(refused.items).toBeUndefined();
			expect(JSON.stringify(refused.body)).not.toContain(apiKey);
		}
	});

	it('without a credential the api_key field is accepted but still never reaches an item', async () => {
		const outcome = await post(
			jsonPost('deliveries', [{ ...delivery('queued'), api_key: 'inner' }], {
				api_key: 'anything-123',
			}),
		);
		expect(outcome.status).toBe(200);
		expect(JSON.stringify(outcome.items)).not.toContain('anything-123');
		expect(JSON.stringify(outcome.items)).not.toContain('inner');
	});

	it('Basic Auth: the right user and password pass; wrong ones, another scheme or none are 401', async () => {
		const credential = { authentication: 'basicAuth', user: 'cmc', password: 'pa55-word' };
		const basic = (text: string) => ({
			authorization: `Basic ${Buffer.from(text).toString('base64')}`,
		});
		const ok = await post(jsonPost('bounces', [bounce('2')]), {
			credential,
			headers: basic('cmc:pa55-word'),
		});
		expect(ok.status).toBe(200);
		expect(ok.items).toHaveLength(1);
		for (const headers of [
			basic('cmc:wrong'),
			basic('other:pa55-word'),
			{ authorization: 'Bearer pa55-word' },
			{},
		]) {
			const refused = await post(jsonPost('bounces', [bounce('2')]), { credential, headers });
			expect(refused.status).toBe(401);
			expect(refused.items).toBeUndefined();
		}
	});

	it('authentication None accepts every post', async () => {
		const outcome = await post(jsonPost('bounces', [bounce('2')]), {
			credential: { authentication: 'none' },
		});
		expect(outcome.status).toBe(200);
		expect(outcome.items).toHaveLength(1);
	});
});

describe('lifecycle and description', () => {
	it('the webhook methods succeed without any call, and the notice shows the console menu path', async () => {
		const nodeTypes = await loadNodeTypes([]);
		const type = nodeTypes.getByNameAndVersion(
			'n8n-nodes-delivery-reports.customersMailCloudEventTrigger',
			1,
		);
		const methods = type.webhookMethods!.default!;
		const noContext = {} as never;
		expect(await methods.checkExists.call(noContext)).toBe(true);
		expect(await methods.create!.call(noContext)).toBe(true);
		expect(await methods.delete!.call(noContext)).toBe(true);
		const notice = type.description.properties.find((property) => property.type === 'notice');
		expect(notice?.displayName).toContain(
			'Menu → API settings → Webhook tab → Event tab → Settings tab',
		);
		expect(type.description.webhooks?.[0]).toMatchObject({
			httpMethod: 'POST',
			responseMode: 'onReceived',
		});
		expect(type.description.credentials).toEqual([
			expect.objectContaining({ name: CRED_TYPE, required: false }),
		]);
	});

	it('the credential check says what is missing', async () => {
		const nodeTypes = await loadNodeTypes([]);
		const type = nodeTypes.getByNameAndVersion(
			'n8n-nodes-delivery-reports.customersMailCloudEventTrigger',
			1,
		);
		const check = type.methods!.credentialTest!.customersMailCloudEventCheck;
		const run = async (data: IDataObject) =>
			await check.call({} as never, { id: '1', name: 'x', type: CRED_TYPE, data } as never);
		expect((await run({ authentication: 'apiKey', apiKey: '' })).status).toBe('Error');
		expect((await run({ authentication: 'basicAuth', user: 'u', password: '' })).status).toBe(
			'Error',
		);
		expect((await run({ authentication: 'apiKey', apiKey: 'k' })).status).toBe('OK');
		expect((await run({ authentication: 'none' })).status).toBe('OK');
	});
});
