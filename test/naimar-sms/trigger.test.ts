/** The Naimar SMS Trigger's webhook() as n8n's server calls it, with the gateway's push reports. */
import type { IDataObject } from 'n8n-workflow';

import { runWebhook } from '../harness/webhook';

async function push(query: Record<string, string>, options: IDataObject = {}) {
	return await runWebhook({
		node: { type: 'naimarSmsTrigger', parameters: { options } },
		credentials: {},
		call: { method: 'GET', query },
	});
}

const report = { id: 'abcdefghijklab', rcv_msg_id: '98765', time: '2024-05-01 10:11:12', status: '2' };

test('answers exactly 200 "OK" and emits the report', async () => {
	const outcome = await push(report);
	expect(outcome.status).toBe(200);
	expect(outcome.body).toBe('OK');
	expect(outcome.noWebhookResponse).toBe(true);
	expect(outcome.items?.map((item) => item.json)).toEqual([
		{ id: 'abcdefghijklab', receivedMessageId: '98765', time: '2024-05-01 10:11:12', statusCode: 2, status: 'delivered' },
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
	expect(outcome.items?.[0].json).toEqual({ id: 'x1', receivedMessageId: null, time: null, statusCode: 5, status: 'failed' });
});

test('Statuses: other reports are acknowledged with OK but start nothing', async () => {
	const options = { statuses: ['failed', 'rejected', 'error'] };
	const skipped = await push(report, options);
	expect([skipped.status, skipped.body, skipped.items]).toEqual([200, 'OK', undefined]);
	const kept = await push({ ...report, status: '8' }, options);
	expect([kept.status, kept.body]).toEqual([200, 'OK']);
	expect(kept.items?.[0].json.status).toBe('rejected');
});

describe('Shared Secret', () => {
	const options = { secret: 's3cr3t-value' };

	test('the right secret is accepted', async () => {
		const outcome = await push({ ...report, secret: 's3cr3t-value' }, options);
		expect([outcome.status, outcome.body]).toEqual([200, 'OK']);
		expect(outcome.items).toHaveLength(1);
		expect(JSON.stringify(outcome.items)).not.toContain('s3cr3t-value');
	});

	test.each([
		['a wrong secret', { ...report, secret: 's3cr3t-valuf' }],
		['no secret', report],
		['an empty secret', { ...report, secret: '' }],
	])('%s is answered 403 and starts nothing', async (_case, query) => {
		const outcome = await push(query, options);
		expect(outcome.status).toBe(403);
		expect(outcome.body).not.toBe('OK');
		expect(outcome.items).toBeUndefined();
		expect(JSON.stringify(outcome.body)).not.toContain('s3cr3t-value');
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
			{ secret: 's3cr3t-value?id=abcdefghijklab', rcv_msg_id: '98765', time: '2024-05-01 10:11:12', status: '2' },
			{ secret: 's3cr3t-value' },
		);
		expect([outcome.status, outcome.body]).toEqual([200, 'OK']);
		expect(outcome.items?.map((item) => item.json)).toEqual([
			{ id: 'abcdefghijklab', receivedMessageId: '98765', time: '2024-05-01 10:11:12', statusCode: 2, status: 'delivered' },
		]);
	});

	test('a wrong secret followed by a report is still refused', async () => {
		const outcome = await push(
			{ secret: 'wrong?id=abcdefghijklab', status: '2' },
			{ secret: 's3cr3t-value' },
		);
		expect(outcome.status).toBe(403);
		expect(outcome.items).toBeUndefined();
	});
});
