/** The Naimar SMS Trigger's webhook() as n8n's server calls it, with the gateway's push reports. */
import type { IDataObject } from 'n8n-workflow';

import { ensureReady } from '../harness/engine';
import { loadNodeTypes } from '../harness/node-types';
import { runWebhook } from '../harness/webhook';
import { serializeForLeakCheck } from '../harness/leaks';

const SECRET = 's3cr3t-value-0123456789';

/** Calls the trigger like the gateway; `sharedSecret` given = a Naimar SMS Push credential is chosen. */
async function push(
	query: Record<string, string>,
	options: IDataObject = {},
	sharedSecret?: string,
) {
	const withCredential = sharedSecret !== undefined;
	return await runWebhook({
		node: {
			type: 'naimarSmsTrigger',
			parameters: { options },
			credentials: withCredential ? { naimarSmsPushApi: 'push' } : undefined,
		},
		credentials: withCredential
			? { push: { type: 'naimarSmsPushApi', data: { sharedSecret } } }
			: {},
		call: { method: 'GET', query },
	});
}

const report = {
	id: 'abcdefghijklab',
	rcv_msg_id: '98765',
	time: '2024-05-01 10:11:12',
	status: '2',
};

test('answers exactly 200 "OK" and emits the report', async () => {
	const outcome = await push(report);
	expect(outcome.status).toBe(200);
	expect(outcome.body).toBe('OK');
	expect(outcome.noWebhookResponse).toBe(true);
	expect(outcome.items?.map((item) => item.json)).toEqual([
		{
			id: 'abcdefghijklab',
			receivedMessageId: '98765',
			time: '2024-05-01 10:11:12',
			statusCode: 2,
			status: 'delivered',
		},
	]);
});

test.each([
	['2', 'delivered'],
	['3', 'expired'],
	['5', 'failed'],
	['8', 'rejected'],
	['127', 'error'],
	['42', 'unknown'],
])('status code %s is %s', async (code, name) => {
	const outcome = await push({ ...report, status: code });
	expect(outcome.body).toBe('OK');
	expect(outcome.items?.[0].json).toMatchObject({ statusCode: Number(code), status: name });
});

test('a report without rcv_msg_id or time still counts', async () => {
	const outcome = await push({ id: 'x1', status: '5' });
	expect(outcome.items?.[0].json).toEqual({
		id: 'x1',
		receivedMessageId: null,
		time: null,
		statusCode: 5,
		status: 'failed',
	});
});

test('Statuses: other reports are acknowledged with OK but start nothing', async () => {
	const options = { statuses: ['failed', 'rejected', 'error'] };
	const skipped = await push(report, options);
	expect([skipped.status, skipped.body, skipped.items]).toEqual([200, 'OK', undefined]);
	const kept = await push({ ...report, status: '8' }, options);
	expect([kept.status, kept.body]).toEqual([200, 'OK']);
	expect(kept.items?.[0].json.status).toBe('rejected');
});

describe('Shared Secret (Naimar SMS Push credential)', () => {
	test('the right secret is accepted, and nothing emitted carries it', async () => {
		const outcome = await push({ ...report, secret: SECRET }, {}, SECRET);
		expect([outcome.status, outcome.body]).toEqual([200, 'OK']);
		expect(outcome.items).toHaveLength(1);
		expect(serializeForLeakCheck(outcome)).not.toContain(SECRET);
	});

	test.each([
		['a wrong secret', { ...report, secret: 's3cr3t-value-0123456788' }],
		['no secret', report],
		['an empty secret', { ...report, secret: '' }],
	])('%s is answered 403 and starts nothing', async (_case, query) => {
		const outcome = await push(query, {}, SECRET);
		expect(outcome.status).toBe(403);
		expect(outcome.body).not.toBe('OK');
		expect(outcome.items).toBeUndefined();
		expect(serializeForLeakCheck(outcome)).not.toContain(SECRET);
	});

	test('a chosen credential without a secret accepts no call (fails closed)', async () => {
		const outcome = await push({ ...report, secret: '' }, {}, '');
		expect(outcome.status).toBe(403);
		expect(outcome.items).toBeUndefined();
	});

	test('without the credential any call is accepted, a ?secret= included, and the notice says so', async () => {
		const outcome = await push({ ...report, secret: 'anything' });
		expect([outcome.status, outcome.body]).toEqual([200, 'OK']);
		expect(outcome.items).toHaveLength(1);
		await ensureReady();
		const nodeTypes = await loadNodeTypes([]);
		const { description } = nodeTypes.getByNameAndVersion(
			'n8n-nodes-delivery-reports.naimarSmsTrigger',
			1,
		);
		expect(description.credentials).toEqual([
			{ name: 'naimarSmsPushApi', required: false, testedBy: 'naimarSmsPushSecret' },
		]);
		const notice = description.properties.find((property) => property.type === 'notice')!;
		expect(notice.displayName).toMatch(
			/Without a Naimar SMS Push credential that URL accepts any call/,
		);
		const options = description.properties.find((property) => property.name === 'options')!;
		expect((options.options ?? []).map((option) => option.name)).toEqual(['statuses']);
	});
});

describe("the credential Test (checked in the node: the secret is ours, not the gateway's)", () => {
	async function pressTest(sharedSecret: string) {
		await ensureReady();
		const nodeTypes = await loadNodeTypes([]);
		const nodeType = nodeTypes.getByNameAndVersion(
			'n8n-nodes-delivery-reports.naimarSmsTrigger',
			1,
		);
		const test = nodeType.methods!.credentialTest!.naimarSmsPushSecret;
		return await test.call({} as never, {
			id: 'x',
			name: 'push',
			type: 'naimarSmsPushApi',
			data: { sharedSecret },
		});
	}

	test.each([
		[SECRET, 'OK'],
		['', 'Error'],
		['short-1', 'Error'],
		['has a space and & in it 1234', 'Error'],
	])('%j → %s', async (secret, status) => {
		const result = await pressTest(secret);
		expect(result.status).toBe(status);
		if (secret) expect(result.message).not.toContain(secret);
	});
});

test('a call that is not a report (no id or status) is answered 400 and starts nothing', async () => {
	const outcome = await push({ hello: 'world' });
	expect(outcome.status).toBe(400);
	expect(outcome.items).toBeUndefined();
});

describe('a report URL that already has a query', () => {
	// The gateway appends "?id=…&rcv_msg_id=…&time=…&status=…" to the URL it was given. With a
	// Shared Secret that URL is ".../naimar-sms?secret=…", so a gateway that appends naively sends
	// "?secret=…?id=…&…": the report's id then arrives inside the secret's value.
	test('"?secret=…?id=…" is read as the secret plus the report', async () => {
		const outcome = await push(
			{
				secret: `${SECRET}?id=abcdefghijklab`,
				rcv_msg_id: '98765',
				time: '2024-05-01 10:11:12',
				status: '2',
			},
			{},
			SECRET,
		);
		expect([outcome.status, outcome.body]).toEqual([200, 'OK']);
		expect(outcome.items?.map((item) => item.json)).toEqual([
			{
				id: 'abcdefghijklab',
				receivedMessageId: '98765',
				time: '2024-05-01 10:11:12',
				statusCode: 2,
				status: 'delivered',
			},
		]);
	});

	test('a wrong secret followed by a report is still refused', async () => {
		const outcome = await push({ secret: 'wrong?id=abcdefghijklab', status: '2' }, {}, SECRET);
		expect(outcome.status).toBe(403);
		expect(outcome.items).toBeUndefined();
	});
});
