/** Block → Get Many through n8n's engine against the Customers Mail Cloud fake. */
import { runNode } from '../../harness/engine';
import type { CustomersMailCloudFake, FakeBlock } from '../../fakes/customers-mail-cloud';
import {
	CREDENTIAL_NAME,
	CREDENTIAL_TYPE,
	FAST_RETRY,
	credentialStore,
	formsTo,
	runCmc,
	serializeError,
	useFakePerFile,
} from '../setup';

let fake: CustomersMailCloudFake;
useFakePerFile((started) => (fake = started));
beforeEach(() => {
	fake.setDownload({ encryption: { kind: 'none' }, truncateTo: undefined });
});

const expectedItem = (block: FakeBlock) => ({ ...block, statusText: expect.any(String) });

describe('paging', () => {
	it.each([0, 99, 100, 101, 10_000])(
		'returns all %i blocks in order, one page after another with 1 parallel request',
		async (count) => {
			const blocks = fake.seed(count);
			const { items, error } = await runCmc(fake, {
				operation: 'getAll',
				returnAll: true,
				options: { concurrency: 1 },
			});
			expect(error).toBeUndefined();
			expect(items.map((item) => item.json.id)).toEqual(blocks.map((block) => block.id));
			const forms = formsTo(fake, 'list');
			expect(forms).toHaveLength(Math.floor(count / 100) + 1);
			expect(forms.map((form) => form.p)).toEqual(forms.map((_form, index) => String(index)));
			expect(
				forms.every((form) => form.r === '100' && form.server_composition === 'testcomp'),
			).toBe(true);
		},
	);

	it.each([0, 99, 100, 101, 10_000])(
		'fetches ahead in parallel for %i blocks, keeping page order and at most 3 extra requests',
		async (count) => {
			const blocks = fake.seed(count);
			// Slow answers make overlapping requests visible to the fake.
			fake.server.inject({ kind: 'delay', ms: 20 }, { times: 1000 });
			const { items, error } = await runCmc(fake, { operation: 'getAll', returnAll: true });
			expect(error).toBeUndefined();
			expect(items.map((item) => item.json.id)).toEqual(blocks.map((block) => block.id));
			const needed = Math.floor(count / 100) + 1;
			const sent = formsTo(fake, 'list').length;
			expect(sent).toBeGreaterThanOrEqual(needed);
			expect(sent).toBeLessThanOrEqual(needed + 3);
			if (count <= 99) expect(sent).toBe(1);
			expect(fake.server.maxInFlight).toBeLessThanOrEqual(4);
			if (count === 10_000) expect(fake.server.maxInFlight).toBeGreaterThan(1);
		},
	);

	it('every item is a block as the API gives it plus statusText, paired to its input item', async () => {
		const blocks = fake.seed(3);
		const { items } = await runCmc(fake, { operation: 'getAll', returnAll: true });
		expect(items.map((item) => item.json)).toEqual(blocks.map(expectedItem));
		expect(items.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
		const known = { ...blocks[0], status: '2' };
		fake.reset();
		fake.addBlock(known);
		const { items: one } = await runCmc(fake, { operation: 'getAll', returnAll: true });
		expect(one[0].json.statusText).toBe('unknown user');
	});

	it.each([
		[1, 10_000, 1, ['1']],
		[50, 10_000, 1, ['50']],
		[100, 10_000, 1, ['100']],
		[250, 10_000, 3, ['100', '100', '100']],
		[250, 120, 2, ['100', '100']],
		[30, 10, 1, ['30']],
	])(
		'Limit %i over %i blocks fetches no page it does not need (%i requests)',
		async (limit, count, requests, sizes) => {
			const blocks = fake.seed(count);
			const { items } = await runCmc(fake, {
				operation: 'getAll',
				returnAll: false,
				limit,
				options: { concurrency: 1 },
			});
			expect(items.map((item) => item.json.id)).toEqual(
				blocks.slice(0, limit).map((block) => block.id),
			);
			expect(formsTo(fake, 'list').map((form) => form.r)).toEqual(sizes);
			expect(formsTo(fake, 'list')).toHaveLength(requests);
		},
	);

	it('with parallel requests a limit still never asks past ceil(limit / 100) pages', async () => {
		fake.seed(10_000);
		const { items } = await runCmc(fake, { operation: 'getAll', returnAll: false, limit: 250 });
		expect(items).toHaveLength(250);
		expect(
			formsTo(fake, 'list')
				.map((form) => Number(form.p))
				.sort(),
		).toEqual([0, 1, 2]);
	});

	it('runs once per input item, each paired to its item', async () => {
		fake.seed(5);
		const { items } = await runCmc(
			fake,
			{ operation: 'getAll', returnAll: false, limit: '={{ $json.n }}' },
			{ input: [{ n: 2 }, { n: 3 }] },
		);
		expect(items.map((item) => (item.pairedItem as { item: number }).item)).toEqual([
			0, 0, 1, 1, 1,
		]);
	});
});

describe('filters', () => {
	it('sends email, start_date, end_date (from date pickers) and removed, and the fake applies them', async () => {
		const blocks = fake.seed(2000, { spacingSeconds: 3600 });
		const { items } = await runCmc(fake, {
			operation: 'getAll',
			returnAll: true,
			filters: {
				email: 'EXAMPLE.JP',
				startDate: '2024-01-10T00:00:00',
				endDate: '2024-01-20',
				removed: false,
			},
		});
		const [form] = formsTo(fake, 'list');
		expect(form).toMatchObject({
			email: 'EXAMPLE.JP',
			start_date: '2024-01-10',
			end_date: '2024-01-20',
		});
		expect(form.removed).toBeUndefined();
		const expected = blocks.filter(
			(block) =>
				block.email.includes('example.jp') &&
				block.created >= '2024-01-10' &&
				block.created < '2024-01-21',
		);
		expect(expected.length).toBeGreaterThan(10);
		expect(items.map((item) => item.json.id)).toEqual(expected.map((block) => block.id));
	});

	it.each([
		['an ISO text in UTC', '={{ "2024-01-10T20:00:00Z" }}'],
		['an ISO text with another offset', '={{ "2024-01-10T15:00:00-05:00" }}'],
		['a JavaScript Date', '={{ new Date("2024-01-10T20:00:00Z") }}'],
		['a Luxon DateTime', '={{ DateTime.fromISO("2024-01-10T20:00:00Z") }}'],
	])(
		'a date given as %s (a moment in time) is the day in the workflow time zone',
		async (_kind, startDate) => {
			fake.seed(3);
			const { error } = await runNode({
				node: {
					type: 'customersMailCloud',
					parameters: {
						resource: 'block',
						operation: 'getAll',
						returnAll: true,
						filters: { startDate, endDate: '2024-01-11' },
					},
					credentials: { [CREDENTIAL_TYPE]: CREDENTIAL_NAME },
				},
				input: [{}],
				credentials: credentialStore(fake),
				timezone: 'Asia/Tokyo',
			});
			expect(error).toBeUndefined();
			// 20:00 UTC on the 10th is already the 11th in Tokyo.
			expect(formsTo(fake, 'list')[0].start_date).toBe('2024-01-11');
		},
	);

	it('a day without a time zone (the date picker) is taken as it is, whatever the workflow time zone', async () => {
		fake.seed(3);
		await runNode({
			node: {
				type: 'customersMailCloud',
				parameters: {
					resource: 'block',
					operation: 'getAll',
					returnAll: true,
					filters: { startDate: '2024-01-10T00:00:00', endDate: '2024-01-12' },
				},
				credentials: { [CREDENTIAL_TYPE]: CREDENTIAL_NAME },
			},
			input: [{}],
			credentials: credentialStore(fake),
			timezone: 'America/Los_Angeles',
		});
		expect(formsTo(fake, 'list')[0]).toMatchObject({
			start_date: '2024-01-10',
			end_date: '2024-01-12',
		});
	});

	it('removed lists the addresses whose block was lifted', async () => {
		fake.seed(20);
		const lifted = fake.seed(7, { removed: true });
		const { items } = await runCmc(fake, {
			operation: 'getAll',
			returnAll: true,
			filters: { removed: true },
		});
		expect(formsTo(fake, 'list')[0].removed).toBe('true');
		expect(items.map((item) => item.json.id)).toEqual(lifted.map((block) => block.id));
	});
});

describe('local validation, before any request', () => {
	it.each([
		[{ filters: { startDate: '2024-13-01' } }, /Start Date is not a valid date/],
		[{ filters: { endDate: 'yesterday' } }, /End Date is not a valid date/],
		[
			{ filters: { startDate: '2024-02-02', endDate: '2024-02-01' } },
			/Start Date \(2024-02-02\) is after End Date \(2024-02-01\)/,
		],
		[{ returnAll: false, limit: 0 }, /Limit must be a whole number of at least 1/],
		[{ returnAll: false, limit: '={{ -5 }}' }, /Limit must be a whole number of at least 1/],
	])('%j is refused with a clear message', async (parameters, message) => {
		fake.seed(5);
		const { error } = await runCmc(fake, { operation: 'getAll', returnAll: true, ...parameters });
		expect(error?.message).toMatch(message);
		expect(String(error?.description)).not.toBe('undefined');
		expect(fake.server.requests).toHaveLength(0);
	});

	it('Email Contains that is a list is refused, not sent as "a,b"', async () => {
		fake.seed(5);
		const { error } = await runCmc(fake, {
			operation: 'getAll',
			returnAll: true,
			filters: { email: '={{ ["a", "b"] }}' },
		});
		expect(error?.message).toBe('Email Contains must be one address, not a list');
		expect(fake.server.requests).toHaveLength(0);
	});

	it('the same start and end day is fine (inclusive)', async () => {
		fake.seed(5);
		const { error } = await runCmc(fake, {
			operation: 'getAll',
			returnAll: true,
			filters: { startDate: '2024-01-01', endDate: '2024-01-01' },
		});
		expect(error).toBeUndefined();
	});

	it('uses the credential default server composition when the field is empty, and refuses when both are empty', async () => {
		fake.seed(3);
		await runCmc(fake, { operation: 'getAll', returnAll: true, serverComposition: '' });
		expect(formsTo(fake, 'list')[0].server_composition).toBe('testcomp');
		fake.server.resetLog();
		const { error } = await runCmc(
			fake,
			{ operation: 'getAll', returnAll: true },
			{ credentials: { serverComposition: '' } },
		);
		expect(error?.message).toBe('Server Composition is empty');
		expect(fake.server.requests).toHaveLength(0);
	});

	it('with Continue On Fail a bad item carries its error and the others still run', async () => {
		fake.seed(3);
		const { items, error } = await runCmc(
			fake,
			{ operation: 'getAll', returnAll: true, filters: { startDate: '={{ $json.start }}' } },
			{
				continueOnFail: true,
				input: [{ start: '2024-01-01' }, { start: 'not a date' }, { start: '' }],
			},
		);
		expect(error).toBeUndefined();
		expect(items.map((item) => [item.pairedItem, item.json.error ?? item.json.id])).toEqual([
			[{ item: 0 }, expect.stringMatching(/^cp/)],
			[{ item: 0 }, expect.stringMatching(/^cp/)],
			[{ item: 0 }, expect.stringMatching(/^cp/)],
			[{ item: 1 }, 'Start Date is not a valid date: "not a date"'],
			[{ item: 2 }, expect.stringMatching(/^cp/)],
			[{ item: 2 }, expect.stringMatching(/^cp/)],
			[{ item: 2 }, expect.stringMatching(/^cp/)],
		]);
	});
});

describe('provider errors', () => {
	it('10-002 unknown server composition shows code, field and message', async () => {
		const { error } = await runCmc(fake, {
			operation: 'getAll',
			returnAll: true,
			serverComposition: 'nope',
		});
		expect(error?.message).toBe('Specified server composition, nope, was not found.');
		expect(String(error?.description)).toContain('code 10-002');
		expect(String(error?.description)).toContain('field "server_composition"');
		expect(error?.httpCode).toBe('400');
	});

	it('Continue On Fail items carry code and field', async () => {
		const { items } = await runCmc(
			fake,
			{ operation: 'getAll', returnAll: true, serverComposition: '={{ $json.sc }}' },
			{ continueOnFail: true, input: [{ sc: 'nope' }, { sc: 'denied-comp' }, { sc: 'testcomp' }] },
		);
		expect(items.map((item) => item.json)).toEqual([
			expect.objectContaining({ code: '10-002', field: 'server_composition', httpCode: '400' }),
			expect.objectContaining({
				code: '12-002',
				field: null,
				error: 'Access to the specified data was denied.',
				httpCode: '403',
			}),
		]);
	});

	it('errors in Japanese with language ja', async () => {
		const { error } = await runCmc(
			fake,
			{ operation: 'getAll', returnAll: true, serverComposition: 'nope' },
			{ credentials: { language: 'ja' } },
		);
		expect(error?.message).toBe('指定されたサーバ構成 nope は存在しません。');
		expect(fake.server.requests[0].headers['accept-language']).toBe('ja');
	});

	it('an error body with HTTP 200 is still an error', async () => {
		fake.server.inject({
			kind: 'status',
			status: 200,
			body: '{"errors":[{"code":"12-002","message":"Access to the specified data was denied."}]}',
		});
		const { error } = await runCmc(fake, { operation: 'getAll', returnAll: true });
		expect(error?.message).toBe('Access to the specified data was denied.');
	});

	it('a wrong API key is refused with the 401 body, and the key never shows', async () => {
		const { error } = await runCmc(
			fake,
			{ operation: 'getAll', returnAll: true },
			{ credentials: { apiKey: 'wrong-key-123456' } },
		);
		expect(error?.message).toMatch(/refused the credentials/);
		expect(error?.httpCode).toBe('401');
		expect(serializeError(error)).not.toContain('wrong-key-123456');
	});
});

describe('retries', () => {
	it('retries a 429 honouring Retry-After, and 500s, then succeeds', async () => {
		fake.seed(150);
		fake.server.inject(
			{ kind: 'rateLimit', retryAfterSeconds: 1 },
			{ pathPrefix: '/transaction/v2/blocks/list.json' },
		);
		fake.server.inject({ kind: 'status', status: 500, body: '{"message":"oops"}' }, { times: 2 });
		const started = Date.now();
		const { items, error } = await runCmc(fake, {
			operation: 'getAll',
			returnAll: true,
			options: { concurrency: 1 },
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(150);
		expect(Date.now() - started).toBeGreaterThanOrEqual(900);
		expect(fake.server.requests.map((request) => request.fault ?? 'ok')).toEqual([
			'rateLimit',
			'status',
			'status',
			'ok',
			'ok',
		]);
	});

	it('gives up after Retry Attempts with the status and a hint', async () => {
		fake.seed(5);
		fake.server.inject(
			{ kind: 'status', status: 503, body: '<html>busy</html>', contentType: 'text/html' },
			{ times: 10 },
		);
		const { error } = await runCmc(fake, {
			operation: 'getAll',
			returnAll: true,
			options: { ...FAST_RETRY, retryAttempts: 2 },
		});
		expect(error?.httpCode).toBe('503');
		expect(String(error?.description)).toContain('Gave up after 3 attempts');
		expect(fake.server.requests).toHaveLength(3);
	});

	it('a page failing for good fails the node without losing the error', async () => {
		fake.seed(1000);
		fake.server.inject({ kind: 'status', status: 500 }, { times: 50 });
		const { error } = await runCmc(fake, {
			operation: 'getAll',
			returnAll: true,
			options: { ...FAST_RETRY, retryAttempts: 1 },
		});
		expect(error?.httpCode).toBe('500');
	});

	it('an HTML page with 200 is a clear error', async () => {
		fake.server.inject({ kind: 'html', status: 200 }, { times: 10 });
		const { error } = await runCmc(fake, {
			operation: 'getAll',
			returnAll: true,
			options: FAST_RETRY,
		});
		expect(error?.message).toBe('Customers Mail Cloud sent an answer that is not valid JSON');
	});
});
