/** Delivery → Get Many through n8n's engine against the Customers Mail Cloud fake. */
import type { CustomersMailCloudFake, FakeDelivery } from '../../fakes/customers-mail-cloud';
import { FAST_RETRY, runCmc, serializeError, useFakePerFile } from '../setup';

let fake: CustomersMailCloudFake;
useFakePerFile((started) => (fake = started));

const DAY = '2024-05-01';
const base = { resource: 'delivery', operation: 'getAll', date: `${DAY}T00:00:00` };

function forms(): Array<Record<string, string>> {
	return fake.server
		.requestsTo('/transaction/v2/deliveries/list.json')
		.map((request) => Object.fromEntries(new URLSearchParams(request.body)));
}

const seedDay = (mails: number, day = DAY, seed = 3) =>
	fake.seedDeliveries(mails, {
		from: new Date(`${day}T00:00:00Z`),
		spacingSeconds: Math.floor(43_000 / Math.max(1, mails)),
		seed,
	});

describe('paging and days', () => {
	it.each([0, 99, 100, 101, 2500])(
		'returns all records of a day with %i mails in order, as the API gives them',
		async (mails) => {
			const records = seedDay(mails).filter((record) => record.created.startsWith(DAY));
			const { items, error } = await runCmc(fake, { ...base, returnAll: true });
			expect(error).toBeUndefined();
			expect(items.map((item) => item.json)).toEqual(records);
			const sent = forms();
			const needed = Math.floor(records.length / 100) + 1;
			expect(sent.length).toBeGreaterThanOrEqual(needed);
			expect(sent.length).toBeLessThanOrEqual(needed + 3);
			expect(
				sent.every(
					(form) => form.date === DAY && form.r === '100' && form.server_composition === 'testcomp',
				),
			).toBe(true);
			expect(items.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
		},
	);

	it('End Date covers the range day by day, one date per request, oldest day first', async () => {
		const all = fake.seedDeliveries(600, {
			from: new Date('2024-05-01T00:00:00Z'),
			spacingSeconds: 600,
			seed: 9,
		});
		const { items, error } = await runCmc(fake, {
			...base,
			returnAll: true,
			filters: { endDate: '2024-05-03' },
			options: { concurrency: 1 },
		});
		expect(error).toBeUndefined();
		const expected = all.filter(
			(record) => record.created >= '2024-05-01' && record.created < '2024-05-04',
		);
		expect(items.map((item) => item.json)).toEqual(expected);
		const dates = forms().map((form) => form.date);
		expect([...new Set(dates)]).toEqual(['2024-05-01', '2024-05-02', '2024-05-03']);
		expect(dates).toEqual([...dates].sort());
	});

	it('Limit stops early across days and asks for no page it does not need', async () => {
		fake.seedDeliveries(600, {
			from: new Date('2024-05-01T00:00:00Z'),
			spacingSeconds: 600,
			seed: 9,
		});
		const { items } = await runCmc(fake, {
			...base,
			returnAll: false,
			limit: 30,
			filters: { endDate: '2024-05-03' },
		});
		expect(items).toHaveLength(30);
		expect(forms()).toEqual([expect.objectContaining({ date: '2024-05-01', r: '30', p: '0' })]);
	});

	it('Limit larger than one day continues on the next day', async () => {
		const all = fake.seedDeliveries(10, {
			from: new Date('2024-05-01T23:50:00Z'),
			spacingSeconds: 60,
			seed: 2,
		});
		const day1 = all.filter((record) => record.created.startsWith('2024-05-01')).length;
		const { items } = await runCmc(fake, {
			...base,
			returnAll: false,
			limit: day1 + 2,
			filters: { endDate: '2024-05-02' },
		});
		expect(items.map((item) => item.json)).toEqual(all.slice(0, day1 + 2));
		expect(forms().map((form) => form.date)).toEqual(['2024-05-01', '2024-05-02']);
	});

	it('runs once per input item, each output paired to its item', async () => {
		seedDay(3);
		const { items } = await runCmc(
			fake,
			{ ...base, returnAll: false, limit: '={{ $json.n }}' },
			{ input: [{ n: 1 }, { n: 2 }] },
		);
		expect(items.map((item) => (item.pairedItem as { item: number }).item)).toEqual([0, 1, 1]);
	});
});

describe('filters', () => {
	it('sends hour, status, from, to and api_data, and the fake applies them', async () => {
		const records = fake.seedDeliveries(2000, {
			from: new Date(`${DAY}T00:00:00Z`),
			spacingSeconds: 20,
			seed: 4,
		});
		const { items, error } = await runCmc(fake, {
			...base,
			returnAll: true,
			filters: { hour: 3, status: 'failed', from: 'INFO1', to: 'example.jp', apiData: 'CMC' },
		});
		expect(error).toBeUndefined();
		expect(forms()[0]).toMatchObject({
			date: DAY,
			hour: '3',
			status: 'failed',
			from: 'INFO1',
			to: 'example.jp',
			api_data: 'CMC',
		});
		const expected = records.filter(
			(record) =>
				record.created.startsWith(`${DAY} 03`) &&
				record.status === 'failed' &&
				record.from.includes('info1') &&
				record.to.includes('example.jp') &&
				record.apiData.includes('CMC'),
		);
		expect(expected.length).toBeGreaterThan(0);
		expect(items.map((item) => item.json)).toEqual(expected);
	});

	it('hour 0 is sent (it is an hour, not "none")', async () => {
		await runCmc(fake, { ...base, returnAll: true, filters: { hour: 0 } });
		expect(forms()[0].hour).toBe('0');
	});

	it('unknown fields in a record are kept', async () => {
		fake.addDelivery({
			to: 'a@example.com',
			status: 'queued',
			created: `${DAY} 10:00:00`,
			...({ newField: 'kept' } as object),
		});
		const { items } = await runCmc(fake, { ...base, returnAll: true });
		expect(items[0].json).toMatchObject({ to: 'a@example.com', newField: 'kept' });
	});
});

describe('One Item per Mail', () => {
	it('groups by messageId and to, with the latest status, its reason and the history oldest first', async () => {
		const at = (time: string) => `${DAY} ${time}`;
		const records: FakeDelivery[] = [
			fake.addDelivery({
				messageId: '<m1@n>',
				to: 'a@example.com',
				status: 'queued',
				created: at('10:00:00'),
			}),
			fake.addDelivery({
				messageId: '<m1@n>',
				to: 'b@example.com',
				status: 'queued',
				created: at('10:00:00'),
			}),
			fake.addDelivery({
				messageId: '<m1@n>',
				to: 'a@example.com',
				status: 'deferred',
				created: at('10:00:01'),
				reason: '421 later',
			}),
			fake.addDelivery({
				messageId: '<m1@n>',
				to: 'b@example.com',
				status: 'succeeded',
				created: at('10:00:01'),
				senderIp: '192.0.2.1',
			}),
			fake.addDelivery({
				messageId: '<m1@n>',
				to: 'A@example.com',
				status: 'failed',
				created: at('10:05:00'),
				reason: '550 unknown',
			}),
		];
		const { items, error } = await runCmc(fake, {
			...base,
			returnAll: true,
			options: { oneItemPerMail: true },
		});
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json)).toEqual([
			{
				...records[4],
				firstCreated: at('10:00:00'),
				history: [
					{ created: at('10:00:00'), status: 'queued', reason: '', senderIp: '', sourceIp: '' },
					{
						created: at('10:00:01'),
						status: 'deferred',
						reason: '421 later',
						senderIp: '',
						sourceIp: '',
					},
					{
						created: at('10:05:00'),
						status: 'failed',
						reason: '550 unknown',
						senderIp: '',
						sourceIp: '',
					},
				],
			},
			{
				...records[3],
				firstCreated: at('10:00:00'),
				history: [
					{ created: at('10:00:00'), status: 'queued', reason: '', senderIp: '', sourceIp: '' },
					{
						created: at('10:00:01'),
						status: 'succeeded',
						reason: '',
						senderIp: '192.0.2.1',
						sourceIp: '',
					},
				],
			},
		]);
	});

	it('over a generated day every mail is one item whose status is its last record', async () => {
		const records = seedDay(300);
		const { items } = await runCmc(fake, {
			...base,
			returnAll: true,
			options: { oneItemPerMail: true },
		});
		const dayRecords = records.filter((record) => record.created.startsWith(DAY));
		expect(items).toHaveLength(new Set(dayRecords.map((record) => record.messageId)).size);
		for (const item of items.slice(0, 50)) {
			const own = dayRecords.filter((record) => record.messageId === item.json.messageId);
			expect(item.json.status).toBe(own[own.length - 1].status);
			expect((item.json.history as unknown[]).length).toBe(own.length);
		}
	});
});

describe('local validation, before any request', () => {
	it.each([
		[{ date: '={{ "" }}' }, /^Date is empty$/],
		[{ date: '2024-02-30' }, /Date is not a valid date/],
		[
			{ filters: { endDate: '2024-04-30' } },
			/End Date \(2024-04-30\) is before Date \(2024-05-01\)/,
		],
		[{ filters: { endDate: '2024-06-15' } }, /spans more than 31 days/],
		[{ filters: { hour: 24 } }, /Hour must be a whole number from 0 to 23/],
		[{ filters: { hour: 1.5 } }, /Hour must be a whole number from 0 to 23/],
		[{ filters: { status: 'bounced' } }, /Status "bounced" is not a delivery status/],
		[{ filters: { to: '={{ ["a", "b"] }}' } }, /To Contains must be one value, not a list/],
		[{ returnAll: false, limit: 0 }, /Limit must be a whole number of at least 1/],
	])('%j is refused naming the field', async (parameters, message) => {
		const { error } = await runCmc(fake, { ...base, returnAll: true, ...parameters });
		expect(error?.message).toMatch(message);
		expect(String(error?.description ?? '')).not.toBe('');
		expect(fake.server.requests).toHaveLength(0);
	});

	it('with Continue On Fail a bad item carries its error, paired, and the others still run', async () => {
		seedDay(1);
		const { items, error } = await runCmc(
			fake,
			{ ...base, date: '={{ $json.day }}', returnAll: true },
			{ continueOnFail: true, input: [{ day: DAY }, { day: 'soon' }, { day: DAY }] },
		);
		expect(error).toBeUndefined();
		expect(
			items.map((item) => [
				(item.pairedItem as { item: number }).item,
				item.json.error ?? item.json.status,
			]),
		).toEqual([
			[0, 'queued'],
			[0, expect.any(String)],
			[1, 'Date is not a valid date: "soon"'],
			[2, 'queued'],
			[2, expect.any(String)],
		]);
	});
});

describe('provider errors and faults', () => {
	it('10-002 unknown server composition names code and field; 12-002 too, with Continue On Fail', async () => {
		const { items } = await runCmc(
			fake,
			{ ...base, returnAll: true, serverComposition: '={{ $json.sc }}' },
			{ continueOnFail: true, input: [{ sc: 'nope' }, { sc: 'denied-comp' }] },
		);
		expect(items.map((item) => item.json)).toEqual([
			expect.objectContaining({ code: '10-002', field: 'server_composition', httpCode: '400' }),
			expect.objectContaining({ code: '12-002', httpCode: '403' }),
		]);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('a future day is refused by the API and the node shows its error', async () => {
		const { error } = await runCmc(fake, { ...base, date: '2999-01-01', returnAll: true });
		expect(error?.message).toBe('The date is invalid.');
		expect(String(error?.description)).toContain('field "date"');
	});

	it('retries a 429 with Retry-After and 500s, then succeeds', async () => {
		seedDay(80);
		fake.server.inject({ kind: 'rateLimit', retryAfterSeconds: 1 });
		fake.server.inject({ kind: 'status', status: 500, body: '{"message":"oops"}' });
		const { items, error } = await runCmc(fake, {
			...base,
			returnAll: true,
			options: { concurrency: 1, maxRetryWait: 2 },
		});
		expect(error).toBeUndefined();
		expect(items.length).toBeGreaterThan(80);
		expect(fake.server.requests.slice(0, 3).map((request) => request.fault ?? 'ok')).toEqual([
			'rateLimit',
			'status',
			'ok',
		]);
	});

	it('an HTML page and invalid JSON are retried, then fail clearly', async () => {
		seedDay(2);
		fake.server.inject({ kind: 'html', status: 200 });
		fake.server.inject({ kind: 'invalidJson' });
		const ok = await runCmc(fake, { ...base, returnAll: true, options: FAST_RETRY });
		expect(ok.error).toBeUndefined();
		expect(ok.items.length).toBeGreaterThan(0);
		fake.server.inject({ kind: 'invalidJson' }, { times: 10 });
		const { error } = await runCmc(fake, {
			...base,
			returnAll: true,
			options: { ...FAST_RETRY, retryAttempts: 1 },
		});
		expect(error?.message).toBe('Customers Mail Cloud sent an answer that is not valid JSON');
	});

	it.each([200, 204])(
		'HTTP %i with an empty body is an empty list, read from one request (not retried)',
		async (status) => {
			fake.server.inject({ kind: 'status', status, body: '' }, { times: 10 });
			const { items, error } = await runCmc(fake, {
				...base,
				returnAll: true,
				options: FAST_RETRY,
			});
			expect(error).toBeUndefined();
			expect(items).toEqual([]);
			expect(fake.server.requests).toHaveLength(1);
		},
	);

	it('a wrong API key never shows in the error or in Continue On Fail items', async () => {
		const secret = 'wrong-key-delivery-77';
		const run = await runCmc(
			fake,
			{ ...base, returnAll: true },
			{ credentials: { apiKey: secret } },
		);
		expect(run.error?.httpCode).toBe('401');
		expect(serializeError(run.error)).not.toContain(secret);
		const cof = await runCmc(
			fake,
			{ ...base, returnAll: true },
			{ credentials: { apiKey: secret }, continueOnFail: true },
		);
		expect(JSON.stringify(cof.items)).not.toContain(secret);
		expect(JSON.stringify(cof.run)).not.toContain(secret);
	});
});
