/** Error Filter → Look Up through n8n's engine against the Arara Message fake. */
import type { IDataObject } from 'n8n-workflow';
import type { AraraFake } from '../../fakes/arara-message';
import { credentialStore, runArara, serializeError, startFake } from '../setup';

const FAST = { retryAttempts: 3, maxRetryWait: 0 };

describe('Arara Message: error filter lookup', () => {
	let fake: AraraFake;
	beforeAll(async () => {
		fake = await startFake();
		fake.setErrorFilter('Known@Example.com', 3.5, {
			registered: '2024-03-01 10:00:00',
			updated: '2024-04-02 11:00:00',
		});
		fake.setErrorFilter('blocked@example.jp', 99);
		fake.seedErrorFilter(30_000);
	});
	afterAll(async () => await fake.close());
	beforeEach(() => {
		fake.server.resetLog();
		fake.server.clearFaults();
		fake.setErrorFilterLimit(10_000);
	});

	const lookup = (
		input: IDataObject[],
		options: IDataObject = {},
		extra: { continueOnFail?: boolean; address?: string } = {},
	) =>
		runArara({
			parameters: {
				resource: 'errorFilter',
				operation: 'lookup',
				address: extra.address ?? '={{ $json.email }}',
				options,
			},
			input,
			credentials: credentialStore(fake),
			continueOnFail: extra.continueOnFail,
		});
	const bodies = () =>
		fake
			.errorFilterRequests()
			.map((request) => JSON.parse(request.body) as { items: Array<{ address: string }> });

	it('looks up all items in one request, joins case-insensitively, one item per address paired to its item', async () => {
		const { items, error } = await lookup([
			{ email: 'known@example.com' },
			{ email: 'nobody@example.com' },
			{ email: 'BLOCKED@example.jp' },
		]);
		expect(error).toBeUndefined();
		expect(bodies()).toEqual([
			{
				items: [
					{ address: 'known@example.com' },
					{ address: 'nobody@example.com' },
					{ address: 'BLOCKED@example.jp' },
				],
			},
		]);
		expect(items.map((item) => [item.json, item.pairedItem])).toEqual([
			[
				{
					address: 'known@example.com',
					registered: true,
					count: 3.5,
					registered_date: '2024-03-01 10:00:00',
					update_date: '2024-04-02 11:00:00',
					filterAddress: 'Known@Example.com',
				},
				{ item: 0 },
			],
			[
				{
					address: 'nobody@example.com',
					registered: false,
					count: 0,
					registered_date: null,
					update_date: null,
				},
				{ item: 1 },
			],
			[
				expect.objectContaining({
					address: 'BLOCKED@example.jp',
					registered: true,
					count: 99,
					filterAddress: 'blocked@example.jp',
				}),
				{ item: 2 },
			],
		]);
		expect(fake.tokenRequests()).toHaveLength(1);
	});

	it('25,000 addresses go in batches of at most 10,000 (never one request per address), each asked once', async () => {
		const input = Array.from({ length: 25_000 }, (_v, index) => ({
			email: `filtered${index * 2}@example.com`,
		}));
		input.push({ email: 'FILTERED0@example.com' });
		const { items, error } = await lookup(input);
		expect(error).toBeUndefined();
		const sent = bodies();
		// Batches go a few at a time, so they may arrive in any order.
		expect(sent.map((body) => body.items.length).sort((a, b) => b - a)).toEqual([
			10_000, 10_000, 5_000,
		]);
		expect(new Set(sent.flatMap((body) => body.items.map((item) => item.address))).size).toBe(
			25_000,
		);
		expect(items).toHaveLength(25_001);
		expect(items.filter((item) => item.json.registered).length).toBe(15_000 + 1);
		expect(items[25_000].json).toMatchObject({
			address: 'FILTERED0@example.com',
			registered: true,
			filterAddress: 'filtered0@example.com',
		});
		expect(items[25_000].pairedItem).toEqual({ item: 25_000 });
	});

	it('a list of addresses in one item gives one item per address, all paired to that item', async () => {
		const { items } = await lookup(
			[{ emails: ['known@example.com', 'x@example.com'] }],
			{},
			{ address: '={{ $json.emails }}' },
		);
		expect(items.map((item) => [item.json.address, item.json.registered, item.pairedItem])).toEqual(
			[
				['known@example.com', true, { item: 0 }],
				['x@example.com', false, { item: 0 }],
			],
		);
	});

	it('a 413 splits the batch and asks again with smaller ones', async () => {
		fake.setErrorFilterLimit(300);
		const input = Array.from({ length: 1000 }, (_v, index) => ({
			email: `filtered${index}@example.com`,
		}));
		const { items, error } = await lookup(input);
		expect(error).toBeUndefined();
		expect(items.every((item) => item.json.registered === true)).toBe(true);
		const sizes = fake
			.errorFilterRequests()
			.map((request) => (JSON.parse(request.body) as { items: unknown[] }).items.length);
		expect(sizes).toEqual([1000, 500, 250, 250, 500, 250, 250]);
	});

	it('Addresses per Request sets the batch size', async () => {
		const input = Array.from({ length: 25 }, (_v, index) => ({ email: `a${index}@example.com` }));
		await lookup(input, { batchSize: 10, concurrency: 1 });
		expect(bodies().map((body) => body.items.length)).toEqual([10, 10, 5]);
	});

	it.each([
		[{ email: '' }, 'Address is empty'],
		[{ email: { a: 1 } }, 'Address must be an address or a list of addresses, not an object'],
	])('bad input %j is refused before any request, naming the field', async (item, message) => {
		const { error } = await lookup([{ email: 'known@example.com' }, item]);
		expect(error?.message).toBe(message);
		expect(fake.server.requests).toHaveLength(0);
	});

	it('with Continue On Fail a bad item carries its error and the good ones are still looked up', async () => {
		const { items, error } = await lookup(
			[{ email: 'known@example.com' }, { email: '' }, { email: 'y@example.com' }],
			{},
			{ continueOnFail: true },
		);
		expect(error).toBeUndefined();
		expect(items.map((item) => [item.pairedItem, item.json.error ?? item.json.registered])).toEqual(
			[
				[{ item: 0 }, true],
				[{ item: 1 }, 'Address is empty'],
				[{ item: 2 }, false],
			],
		);
		expect(bodies()).toHaveLength(1);
	});

	it('retries 429 (Retry-After) and 500, then answers', async () => {
		fake.server.inject({ kind: 'rateLimit', retryAfterSeconds: 0 }, { pathPrefix: '/errorfilter' });
		fake.server.inject(
			{ kind: 'status', status: 500, body: '{"message":"Internal"}' },
			{ pathPrefix: '/errorfilter' },
		);
		const { items, error } = await lookup([{ email: 'known@example.com' }], FAST);
		expect(error).toBeUndefined();
		expect(items[0].json.registered).toBe(true);
		expect(fake.errorFilterRequests().map((request) => request.fault ?? 'ok')).toEqual([
			'rateLimit',
			'status',
			'ok',
		]);
	});

	it.each([
		['an HTML page', { kind: 'html' as const, status: 200 }, /not valid JSON/],
		['invalid JSON', { kind: 'invalidJson' as const }, /not valid JSON/],
		[
			'a 400',
			{ kind: 'status' as const, status: 400, body: '{"message":"items is invalid"}' },
			/items is invalid/,
		],
	])(
		'%s fails clearly; with Continue On Fail every item of the batch carries it',
		async (_name, fault, message) => {
			fake.server.inject(fault, { pathPrefix: '/errorfilter', times: 10 });
			const { error } = await lookup([{ email: 'a@example.com' }], { ...FAST, retryAttempts: 1 });
			expect(error?.message).toMatch(message);
			fake.server.inject(fault, { pathPrefix: '/errorfilter', times: 10 });
			const { items } = await lookup(
				[{ email: 'a@example.com' }, { email: 'b@example.com' }],
				{ ...FAST, retryAttempts: 1 },
				{ continueOnFail: true },
			);
			expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
			expect(items.every((item) => String(item.json.error).match(message))).toBe(true);
		},
	);

	it('with Continue On Fail a failed batch fails only its own items', async () => {
		fake.server.inject(
			{ kind: 'status', status: 400, body: '{"message":"bad batch"}' },
			{ pathPrefix: '/errorfilter' },
		);
		const { items } = await lookup(
			[{ email: 'known@example.com' }, { email: 'z@example.com' }],
			{ batchSize: 1, concurrency: 1 },
			{ continueOnFail: true },
		);
		expect(items.map((item) => [item.pairedItem, item.json.error ?? item.json.registered])).toEqual(
			[
				[{ item: 0 }, 'bad batch'],
				[{ item: 1 }, false],
			],
		);
	});

	it('the client secret and token never show in errors or items', async () => {
		fake.server.inject(
			{
				kind: 'status',
				status: 400,
				body: JSON.stringify({ message: `echo ${fake.credentials.clientSecret}` }),
			},
			{ pathPrefix: '/errorfilter' },
		);
		const { error } = await lookup([{ email: 'a@example.com' }]);
		expect(error).toBeDefined();
		expect(serializeError(error)).not.toContain(fake.credentials.clientSecret);
		const { items, run } = await lookup([{ email: 'known@example.com' }]);
		expect(JSON.stringify(items)).not.toContain(fake.credentials.clientSecret);
		expect(JSON.stringify(run)).not.toContain(fake.credentials.clientSecret);
	});
});
