import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { AraraFake } from '../../fakes/arara-message';
import { japanMinute } from '../../fakes/arara-message';
import { runNode } from '../../harness/engine';
import { credentialStore, runArara, serializeError, startFake } from '../setup';

const MINUTE = 60_000;
const DAY = 86_400_000;

const bodies = (fake: AraraFake) =>
	fake
		.apiRequests()
		.filter((request) => request.method === 'POST')
		.map((request) => JSON.parse(request.body) as { delivery: IDataObject[] });

describe('Arara Message: send (reserve) and cancel', () => {
	let fake: AraraFake;
	beforeAll(async () => {
		fake = await startFake();
	});
	afterAll(async () => await fake.close());
	beforeEach(() => {
		fake.server.resetLog();
		fake.server.clearFaults();
	});

	const base = {
		operation: 'reserve',
		toAddress: '={{ $json.email }}',
		subject: 'Hello {{name}}',
		text: 'Dear customer,\nyour order has shipped.',
		fromAddress: 'shop@example.jp',
		fromName: 'Arara Shop',
	};

	it('one delivery for all items: each item a recipient with its substitutions; one output paired to all', async () => {
		const { items, error } = await runArara({
			parameters: {
				...base,
				substitutions: { values: [{ key: 'name', value: '={{ $json.name }}' }] },
				additionalFields: {
					replyTo: 'help@example.jp',
					requestId: 'batch20240501',
					lifetime: 7200,
					stopSendFrom: '22:00',
					stopSendUntil: '07:00',
					throttle: 300,
					errorCount: 0,
				},
			},
			input: [
				{ email: 'a@example.com', name: 'A' },
				{ email: 'b@example.com', name: 'B' },
				{ email: 'c@example.com', name: 'C' },
			],
			credentials: credentialStore(fake),
		});
		expect(error).toBeUndefined();
		const [body] = bodies(fake);
		expect(body.delivery).toHaveLength(1);
		expect(body.delivery[0]).toEqual({
			'mailing-list': [
				{ to: { address: 'a@example.com' }, substitutions: { name: 'A' } },
				{ to: { address: 'b@example.com' }, substitutions: { name: 'B' } },
				{ to: { address: 'c@example.com' }, substitutions: { name: 'C' } },
			],
			contents: {
				subject: 'Hello {{name}}',
				body: { text: 'Dear customer,\nyour order has shipped.' },
			},
			settings: {
				send_time: 'now',
				request_id: 'batch20240501',
				from: { name: 'Arara Shop', address: 'shop@example.jp' },
				reply_to: { address: 'help@example.jp' },
				tc_option: {
					stop_send: { timemin: '22:00+09:00', timemax: '07:00+09:00' },
					lifetime: 7200,
				},
				throttle: 300,
				error_count: 0,
			},
		});
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({
			result: 'success',
			count: 3,
			recipients: 3,
			request_id: 'batch20240501',
			send_time: 'now',
		});
		expect(typeof items[0].json.delivery_id).toBe('string');
		expect(items[0].pairedItem).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(fake.store.get(String(items[0].json.delivery_id))?.status).toBe('reserved');
	});

	it('one delivery per item: 250 items go out in 3 requests of ≤ 100, each output paired to its item, deliver_id mapped', async () => {
		const input = Array.from({ length: 250 }, (_, index) => ({
			email: `user${index}@example.com`,
			rid: `order${index}`,
		}));
		const { items, error } = await runArara({
			parameters: {
				...base,
				deliveryMode: 'perItem',
				additionalFields: { requestId: '={{ $json.rid }}' },
			},
			input,
			credentials: credentialStore(fake),
		});
		expect(error).toBeUndefined();
		expect(
			bodies(fake)
				.map((body) => body.delivery.length)
				.sort(),
		).toEqual([100, 100, 50]);
		// Each delivery's JSON is sent as it was measured: still declared as JSON.
		const posts = fake.apiRequests().filter((request) => request.method === 'POST');
		expect(posts.map((request) => String(request.headers['content-type']))).toEqual(
			posts.map(() => expect.stringMatching(/^application\/json/)),
		);
		expect(items).toHaveLength(250);
		expect(items.map((item) => item.pairedItem)).toEqual(input.map((_, item) => [{ item }]));
		expect(items.map((item) => item.json.request_id)).toEqual(input.map((entry) => entry.rid));
		expect(
			items.every(
				(item) => typeof item.json.delivery_id === 'string' && !('deliver_id' in item.json),
			),
		).toBe(true);
		expect(new Set(items.map((item) => item.json.delivery_id)).size).toBe(250);
		expect(fake.tokenRequests()).toHaveLength(1);
	});

	it('checks the documented limits before sending, naming the field; Continue On Fail sends the valid items', async () => {
		const now = Date.now();
		const cases: Array<[IDataObject, string]> = [
			[
				{ subject: 'あ'.repeat(167) },
				'"Subject" is 501 bytes long (UTF-8); at most 500 are allowed',
			],
			[
				{ toAddress: `${'x'.repeat(250)}@example.com` },
				'"To" is 262 bytes long; at most 256 are allowed',
			],
			[
				{ additionalFields: { requestId: 'Order-1' } },
				'"Request ID" "Order-1" is not allowed: use 1 to 64 lowercase letters (a–z) and digits only',
			],
			[
				{ sendTime: 'at', sendAt: new Date(now - DAY).toISOString() },
				`"Send At" (${japanMinute(now - DAY)}) lies in the past (or in the current minute)`,
			],
			[
				{ sendTime: 'at', sendAt: new Date(now + 32 * DAY + 2 * MINUTE).toISOString() },
				`"Send At" (${japanMinute(now + 32 * DAY + 2 * MINUTE)}) is 32 or more days ahead`,
			],
			[{ text: '', html: '' }, 'The mail has no body'],
			[
				{ text: 'a'.repeat(1001) },
				'"Text" has a line (line 1) of 1001 bytes; at most 1000 bytes per line are allowed',
			],
			[
				{ substitutions: { values: [{ key: 'First Name', value: 'x' }] } },
				'"Substitutions" key "First Name" is not allowed: use lowercase letters, digits, "-" and "_" only',
			],
			[
				{ additionalFields: { stopSendFrom: '25:00', stopSendUntil: '07:00' } },
				'"Stop Sending From" must be a time of day as hh:mm (Japan time)',
			],
		];
		for (const [parameters, message] of cases) {
			const { error } = await runArara({
				parameters: { ...base, deliveryMode: 'perItem', ...parameters },
				input: [{ email: 'a@example.com' }],
				credentials: credentialStore(fake),
			});
			expect(error?.message).toBe(message);
		}
		expect(bodies(fake)).toHaveLength(0);

		const mixed = await runArara({
			parameters: {
				...base,
				deliveryMode: 'perItem',
				additionalFields: { requestId: '={{ $json.rid }}' },
			},
			input: [
				{ email: 'a@example.com', rid: 'one1' },
				{ email: 'not-an-address', rid: 'two2' },
				{ email: 'c@example.com', rid: 'one1' },
				{ email: 'd@example.com', rid: 'four4' },
			],
			credentials: credentialStore(fake),
			continueOnFail: true,
		});
		expect(mixed.error).toBeUndefined();
		expect(mixed.items.map((item) => item.json.error ?? item.json.request_id)).toEqual([
			'one1',
			'"To" "not-an-address" is not an e-mail address',
			'The "Request ID" "one1" is used by more than one delivery',
			'four4',
		]);
		expect(mixed.items.map((item) => item.pairedItem)).toEqual([
			[{ item: 0 }],
			{ item: 1 },
			{ item: 2 },
			[{ item: 3 }],
		]);
		expect(bodies(fake).flatMap((body) => body.delivery)).toHaveLength(2);
	});

	it('an expression giving several addresses or an object fails the item naming the field, before sending', async () => {
		const credentials = credentialStore(fake);
		const several = await runArara({
			parameters: { ...base, deliveryMode: 'perItem' },
			input: [{ email: ['a@example.com', 'b@example.com'] }],
			credentials,
		});
		expect(several.error?.message).toBe(
			'"To" "a@example.com,b@example.com" is not one e-mail address',
		);
		expect(String(several.error?.description)).toContain('One Delivery for All Items');
		const spaced = await runArara({
			parameters: { ...base, deliveryMode: 'perItem' },
			input: [{ email: 'a@example.com b@example.com' }],
			credentials,
		});
		expect(spaced.error?.message).toBe(
			'"To" "a@example.com b@example.com" is not one e-mail address',
		);
		// CC and BCC are plain strings in the API: a list there is left to Arara Message to judge.
		const cc = await runArara({
			parameters: { ...base, additionalFields: { cc: 'a@example.com, b@example.com' } },
			input: [{ email: 'a@example.com' }],
			credentials,
		});
		expect(cc.error).toBeUndefined();
		expect((bodies(fake)[0].delivery[0].contents as IDataObject).cc).toBe(
			'a@example.com, b@example.com',
		);
		fake.server.resetLog();
		const object = await runArara({
			parameters: {
				...base,
				substitutions: { values: [{ key: 'order', value: '={{ $json.order }}' }] },
			},
			input: [{ email: 'a@example.com', order: { id: 7 } }],
			credentials,
		});
		expect(object.error?.message).toBe('"Substitutions" value of "order" is an object, not text');
		expect(bodies(fake)).toHaveLength(0);
		// Numbers and booleans are text enough.
		const number = await runArara({
			parameters: {
				...base,
				substitutions: { values: [{ key: 'order', value: '={{ $json.order }}' }] },
			},
			input: [{ email: 'a@example.com', order: 7 }],
			credentials,
		});
		expect(number.error).toBeUndefined();
		expect(bodies(fake)[0].delivery[0]['mailing-list']).toEqual([
			{ to: { address: 'a@example.com' }, substitutions: { order: '7' } },
		]);
	});

	it('a Subject, Text or From Name that resolves to a list or an object fails the item naming the field, before sending', async () => {
		const credentials = credentialStore(fake);
		for (const [parameter, label] of [
			['subject', 'Subject'],
			['text', 'Text'],
		] as const) {
			const { error } = await runArara({
				parameters: { ...base, [parameter]: '={{ $json.value }}' },
				input: [{ email: 'a@example.com', value: { title: 'x' } }],
				credentials,
			});
			expect(error?.message).toBe(`${label} must be one value, not an object`);
		}
		const fromName = await runArara({
			parameters: { ...base, fromName: '={{ $json.names }}' },
			input: [{ email: 'a@example.com', names: ['A', 'B'] }],
			credentials,
		});
		expect(fromName.error?.message).toBe('From Name must be one value, not a list');
		expect(bodies(fake)).toHaveLength(0);
	});

	it('the subject is checked as it is sent: surrounding spaces do not push it past 500 bytes', async () => {
		const { error } = await runArara({
			parameters: { ...base, subject: ` ${'x'.repeat(500)}  ` },
			input: [{ email: 'a@example.com' }],
			credentials: credentialStore(fake),
		});
		expect(error).toBeUndefined();
		expect((bodies(fake)[0].delivery[0].contents as IDataObject).subject).toBe('x'.repeat(500));
	});

	it('a send time is converted to Japan time to the minute', async () => {
		const at = Date.now() + 2 * DAY + 37 * 1000;
		const { items, error } = await runArara({
			parameters: { ...base, sendTime: 'at', sendAt: new Date(at).toISOString() },
			input: [{ email: 'a@example.com' }],
			credentials: credentialStore(fake),
			timezone: 'America/Los_Angeles',
		});
		expect(error).toBeUndefined();
		const expected = japanMinute(at);
		expect(bodies(fake)[0].delivery[0].settings).toMatchObject({ send_time: expected });
		expect(items[0].json.send_time).toBe(expected);
	});

	it('attachments come from binary properties; requests stay under 6 MB by splitting', async () => {
		const megabytes = (count: number, fill: number) =>
			Buffer.alloc(count * 1_000_000, fill).toString('base64');
		const input: INodeExecutionData[] = Array.from({ length: 5 }, (_, index) => ({
			json: { email: `user${index}@example.com` },
			binary: {
				file: {
					data: megabytes(1.4, index),
					mimeType: 'application/pdf',
					fileName: `invoice${index}.pdf`,
				},
			},
		}));
		const { items, error } = await runArara({
			parameters: { ...base, deliveryMode: 'perItem', additionalFields: { attachments: 'file' } },
			input,
			credentials: credentialStore(fake),
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(5);
		const posts = fake.apiRequests().filter((request) => request.method === 'POST');
		// 1.4 MB of file is about 1.87 MB of base64: three deliveries fit in 6 MB, not four.
		expect(
			posts.map((request) => (JSON.parse(request.body) as { delivery: unknown[] }).delivery.length),
		).toEqual([3, 2]);
		expect(posts.every((request) => Buffer.byteLength(request.body) <= 6_000_000)).toBe(true);
		const first = (JSON.parse(posts[0].body) as { delivery: Array<{ contents: IDataObject }> })
			.delivery[0].contents;
		expect(first['attachments-list']).toEqual([
			{ filename: 'invoice0.pdf', mimetype: 'application/pdf', data: megabytes(1.4, 0) },
		]);

		const missing = await runArara({
			parameters: { ...base, deliveryMode: 'perItem', additionalFields: { attachments: 'nope' } },
			input: [input[0]],
			credentials: credentialStore(fake),
		});
		expect(missing.error?.message).toBe('"Attachments": the item has no binary property "nope"');
	});

	it('one delivery for all items with a mailing list over 6 MB becomes several deliveries', async () => {
		const input = Array.from({ length: 3_200 }, (_, index) => ({
			email: `member${index}@example.com`,
			note: 'n'.repeat(2_000),
		}));
		const { items, error } = await runArara({
			parameters: {
				...base,
				substitutions: { values: [{ key: 'note', value: '={{ $json.note }}' }] },
			},
			input,
			credentials: credentialStore(fake),
		});
		expect(error).toBeUndefined();
		const posts = fake.apiRequests().filter((request) => request.method === 'POST');
		expect(posts.length).toBe(2);
		expect(posts.every((request) => Buffer.byteLength(request.body) <= 6_000_000)).toBe(true);
		expect(items).toHaveLength(2);
		const paired = items.flatMap((item) =>
			(item.pairedItem as Array<{ item: number }>).map((entry) => entry.item),
		);
		expect(paired).toEqual(input.map((_, index) => index));
		expect(items.reduce((sum, item) => sum + Number(item.json.recipients), 0)).toBe(3_200);

		const withRequestId = await runArara({
			parameters: {
				...base,
				substitutions: { values: [{ key: 'note', value: '={{ $json.note }}' }] },
				additionalFields: { requestId: 'big1' },
			},
			input,
			credentials: credentialStore(fake),
		});
		expect(withRequestId.error?.message).toContain('cannot share the "Request ID"');
	}, 60_000);

	it('a mailing list split near 6 MB counts the request ID the node gives each part', async () => {
		const withNote = { substitutions: { values: [{ key: 'note', value: '={{ $json.note }}' }] } };
		const input = (lastNote: number) => [
			{ email: 'a@example.com', note: 'n'.repeat(3_000_000) },
			{ email: 'b@example.com', note: 'n'.repeat(lastNote) },
		];
		// A small run gives the body's size; it grows byte for byte with the last note.
		const small = await runArara({
			parameters: { ...base, ...withNote },
			input: input(1),
			credentials: credentialStore(fake),
		});
		expect(small.error).toBeUndefined();
		const [sizing] = fake.apiRequests().filter((request) => request.method === 'POST');
		const generated = (JSON.parse(sizing.body) as { delivery: Array<{ settings: IDataObject }> })
			.delivery[0].settings.request_id as string;
		expect(generated).toMatch(/^n8n[0-9a-f]{40}$/);
		// 30 bytes over 6 MB with the request ID, under it without: only the ID's bytes decide the split.
		const lastNote = 1 + 6_000_030 - Buffer.byteLength(sizing.body);
		expect(6_000_030 - generated.length - ',"request_id":""'.length).toBeLessThan(6_000_000);
		fake.server.resetLog();

		const { items, error } = await runArara({
			parameters: { ...base, ...withNote },
			input: input(lastNote),
			credentials: credentialStore(fake),
		});
		expect(error).toBeUndefined();
		const posts = fake.apiRequests().filter((request) => request.method === 'POST');
		expect(posts.map((request) => Buffer.byteLength(request.body) <= 6_000_000)).toEqual([
			true,
			true,
		]);
		expect(items.map((item) => item.pairedItem)).toEqual([[{ item: 0 }], [{ item: 1 }]]);
	}, 60_000);

	it('a recipient too big for a request on its own fails its item; Continue On Fail sends the others as one delivery', async () => {
		const input = [
			{ email: 'a@example.com', note: 'short' },
			{ email: 'b@example.com', note: 'n'.repeat(6_000_000) },
			{ email: 'c@example.com', note: 'short' },
		];
		const parameters = {
			...base,
			substitutions: { values: [{ key: 'note', value: '={{ $json.note }}' }] },
		};
		const { items, error } = await runArara({
			parameters,
			input,
			credentials: credentialStore(fake),
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.error ?? item.json.recipients)).toEqual([
			2,
			'The delivery is 6.0 MB; a request may carry at most 6 MB',
		]);
		expect(items.map((item) => item.pairedItem)).toEqual([[{ item: 0 }, { item: 2 }], { item: 1 }]);
		expect(items[1].json.description).toBe(
			'Shorten this recipient\'s "Substitutions" (or its other fields).',
		);
		const sent = bodies(fake).flatMap((body) => body.delivery);
		expect(sent).toHaveLength(1);
		expect(
			(sent[0]['mailing-list'] as Array<{ to: { address: string } }>).map(
				(recipient) => recipient.to.address,
			),
		).toEqual(['a@example.com', 'c@example.com']);
		fake.server.resetLog();

		// Without Continue On Fail the node stops before anything is sent.
		const stopped = await runArara({ parameters, input, credentials: credentialStore(fake) });
		expect(stopped.error?.message).toBe('The delivery is 6.0 MB; a request may carry at most 6 MB');
		expect(fake.apiRequests().filter((request) => request.method === 'POST')).toHaveLength(0);
	}, 60_000);

	it('a reservation is re-sent after a 429 but never after a 500 (it is not idempotent)', async () => {
		fake.server.inject({ kind: 'rateLimit', retryAfterSeconds: 0 }, { pathPrefix: '/send' });
		const limited = await runArara({
			parameters: { ...base },
			input: [{ email: 'a@example.com' }],
			credentials: credentialStore(fake),
		});
		expect(limited.error).toBeUndefined();
		expect(fake.apiRequests().filter((request) => request.method === 'POST')).toHaveLength(2);

		fake.server.resetLog();
		fake.server.inject(
			{ kind: 'status', status: 500, body: '{"message":"Internal Server Error"}' },
			{ pathPrefix: '/send' },
		);
		const credentials = credentialStore(fake);
		const failed = await runArara({
			parameters: { ...base },
			input: [{ email: 'a@example.com' }, { email: 'b@example.com' }],
			credentials,
			continueOnFail: true,
		});
		expect(fake.apiRequests().filter((request) => request.method === 'POST')).toHaveLength(1);
		expect(failed.items.map((item) => [item.json.httpCode, item.pairedItem])).toEqual([
			['500', { item: 0 }],
			['500', { item: 1 }],
		]);
		const text = JSON.stringify(failed.items) + serializeError(failed.error);
		expect(text).not.toContain(fake.credentials.clientSecret);

		fake.server.inject(
			{
				kind: 'status',
				status: 400,
				body: '{"message":"delivery[0].settings.request_id is already used"}',
			},
			{ pathPrefix: '/send' },
		);
		const refused = await runArara({
			parameters: { ...base },
			input: [{ email: 'a@example.com' }],
			credentials,
		});
		expect(refused.error?.message).toBe('delivery[0].settings.request_id is already used');
	});

	it('when one request fails without Continue On Fail, the error says which deliveries were reserved anyway', async () => {
		const input = Array.from({ length: 250 }, (_, index) => ({
			email: `again${index}@example.com`,
		}));
		fake.server.inject(
			{ kind: 'status', status: 500, body: '{"message":"Internal Server Error"}' },
			{ pathPrefix: '/send' },
		);
		const before = new Set(fake.store.all().map((delivery) => delivery.delivery_id));
		const { error } = await runArara({
			parameters: { ...base, deliveryMode: 'perItem' },
			input,
			credentials: credentialStore(fake),
		});
		expect(error?.message).toContain('HTTP 500');
		const posts = fake.apiRequests().filter((request) => request.method === 'POST');
		const accepted = posts.filter((request) => request.fault === undefined).length;
		expect(accepted).toBeGreaterThan(0);
		// Re-running the whole input would mail these recipients twice: the error must say so.
		const reserved = fake.store
			.all()
			.filter((delivery) => !before.has(delivery.delivery_id) && delivery.status === 'reserved');
		const description = String(error?.description);
		expect(description).toMatch(/\d+ deliveries of this execution were reserved anyway/);
		const ids = [...description.matchAll(/\b1\d{6}\b/g)].map((match) => match[0]);
		expect(ids.length).toBeGreaterThan(0);
		for (const id of ids)
			expect(reserved.some((delivery) => delivery.delivery_id === id)).toBe(true);
	});

	it('a rerun in the same execution finds what an earlier try reserved by its request ID and sends only the rest', async () => {
		const credentials = credentialStore(fake);
		const executionId = `rerun${Date.now()}`;
		const parameters = { ...base, deliveryMode: 'perItem' };
		const first = await runArara({
			parameters,
			input: [{ email: 'first@example.com' }],
			credentials,
			executionId,
		});
		expect(first.error).toBeUndefined();
		const requestId = String(first.items[0].json.request_id);
		expect(requestId).toMatch(/^n8n[0-9a-f]{40}$/);
		const before = fake.store.size;
		fake.server.resetLog();

		// The same execution again (as Retry On Fail runs it), now with one more item.
		const again = await runArara({
			parameters,
			input: [{ email: 'first@example.com' }, { email: 'second@example.com' }],
			credentials,
			executionId,
		});
		expect(again.error).toBeUndefined();
		expect(again.items.map((item) => [item.json.alreadyReserved, item.pairedItem])).toEqual([
			[true, [{ item: 0 }]],
			[undefined, [{ item: 1 }]],
		]);
		expect(again.items[0].json).toMatchObject({
			delivery_id: first.items[0].json.delivery_id,
			request_id: requestId,
			status: 'reserved',
		});
		expect(fake.store.size - before).toBe(1);
		// Refused once (the API does not say which ID), each delivery looked up, then only the new one went out.
		const posts = bodies(fake);
		expect(posts.map((body) => body.delivery.length)).toEqual([2, 1]);
		const lookedUp = fake
			.apiRequests()
			.filter((request) => request.method === 'GET')
			.map((request) => request.query.get('request_id'));
		expect(lookedUp).toHaveLength(2);
		expect(lookedUp).toContain(requestId);
		expect(lookedUp).toContain((posts[1].delivery[0].settings as IDataObject).request_id);

		// Another execution has other request IDs: it sends again, as a new Send should.
		const other = await runArara({
			parameters,
			input: [{ email: 'first@example.com' }],
			credentials,
		});
		expect(other.items[0].json.alreadyReserved).toBeUndefined();
		expect(other.items[0].json.request_id).not.toBe(requestId);
	});

	it('Retry On Fail after one request failed mid-way: the retry sends the failed deliveries and outputs the others, none twice', async () => {
		const input = Array.from({ length: 150 }, (_, index) => ({
			email: `retry${index}@example.com`,
		}));
		const before = fake.store.size;
		fake.server.inject(
			{ kind: 'status', status: 500, body: '{"message":"Internal Server Error"}' },
			{ pathPrefix: '/send' },
		);
		const { items, error } = await runArara({
			parameters: { ...base, deliveryMode: 'perItem' },
			input,
			credentials: credentialStore(fake),
			retryOnFail: { maxTries: 3 },
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(150);
		expect(items.map((item) => item.pairedItem)).toEqual(input.map((_, item) => [{ item }]));
		// Each recipient reserved once: the second try met the first try's request IDs.
		expect(fake.store.size - before).toBe(150);
		const recovered = items.filter((item) => item.json.alreadyReserved === true);
		expect(recovered.length).toBeGreaterThan(0);
		expect(recovered.length).toBeLessThan(150);
		expect(new Set(items.map((item) => item.json.delivery_id)).size).toBe(150);
	});

	it('Retry On Fail recognises its own deliveries even when the refusal does not name the request ID', async () => {
		const other = await startFake({ requestIdUsedMessage: 'Duplicate delivery' });
		try {
			const { items, errorItems } = await runNode({
				node: {
					type: 'araraMessage',
					parameters: { resource: 'delivery', ...base, deliveryMode: 'perItem' },
					credentials: { araraMessageOAuth2Api: 'Arara test' },
					onError: 'continueErrorOutput',
					retryOnFail: true,
					maxTries: 2,
					waitBetweenTries: 1,
				},
				// Item 0 fails, so n8n reruns the node; item 1 was reserved by the first try.
				input: [{ email: 'nope' }, { email: 'kept@example.com' }],
				credentials: credentialStore(other),
			});
			expect(errorItems.map((item) => item.pairedItem)).toEqual([{ item: 0 }]);
			expect(items).toHaveLength(1);
			expect(items[0].json).toMatchObject({ alreadyReserved: true, recipients: 1 });
			expect(other.store.size).toBe(1);
			const posts = other.apiRequests().filter((request) => request.method === 'POST');
			expect(posts).toHaveLength(2);
		} finally {
			await other.close();
		}
	});

	it('a Request ID of yours that an earlier execution used stays an error: the node cannot tell it reserved it', async () => {
		const credentials = credentialStore(fake);
		const parameters = { ...base, additionalFields: { requestId: `mine${Date.now()}` } };
		const first = await runArara({ parameters, input: [{ email: 'a@example.com' }], credentials });
		expect(first.error).toBeUndefined();
		const second = await runArara({ parameters, input: [{ email: 'a@example.com' }], credentials });
		expect(second.error?.message).toMatch(/request_id is already used/);
		expect(second.items).toHaveLength(0);
	});

	it('cancel: a reserved delivery becomes deleted; 409 when it can no longer be cancelled', async () => {
		const sendAt = new Date(Date.now() + DAY).toISOString();
		const reserved = await runArara({
			parameters: { ...base, deliveryMode: 'perItem', sendTime: 'at', sendAt },
			input: [{ email: 'a@example.com' }, { email: 'b@example.com' }],
			credentials: credentialStore(fake),
		});
		const [first, second] = reserved.items.map((item) => String(item.json.delivery_id));
		fake.setStatus(second, 'sending');

		const { items, error } = await runArara({
			parameters: { operation: 'cancel', deliveryId: '={{ $json.id }}' },
			input: [{ id: first }, { id: first }, { id: second }, { id: '999' }],
			credentials: credentialStore(fake),
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toEqual({ delivery_id: first, cancelled: true });
		expect(fake.store.get(first)?.status).toBe('deleted');
		expect(items[1].json.error).toBe(
			`Delivery "${first}" can no longer be cancelled (it is sending or past the 2-minute limit)`,
		);
		expect(items[1].json.httpCode).toBe('409');
		expect(items[2].json.error).toBe(
			`Delivery "${second}" can no longer be cancelled (it is sending or past the 2-minute limit)`,
		);
		expect(items[3].json.error).toBe('delivery_id 999 is invalid');
		// The API's 400 alone does not say which field or what to do.
		expect(String(items[3].json.description)).toContain('"Delivery ID"');
		expect(items[3].json.httpCode).toBe('400');
		expect(items.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
		const deletes = fake.apiRequests().filter((request) => request.method === 'DELETE');
		expect(deletes.map((request) => request.path)).toEqual([
			`/send/${first}`,
			`/send/${first}`,
			`/send/${second}`,
			'/send/999',
		]);
	});
});
