/** The Naimar SMS node's "Get delivery reports" through n8n's engine against the fake gateway. */
import { DELIVERY_PATH, UNASKED_ID } from '../../fakes/naimar-sms';
import { serialize, startHarness, type Harness } from '../setup';

let harness: Harness;
const failures: unknown[] = [];

beforeEach(async () => {
	harness = await startHarness();
});
afterEach(async () => {
	await harness.fake.close();
});
afterAll(() => {
	// Every failing case's error and items, searched for the password in one place.
	const text = failures.map(serialize).join('\n');
	expect(text.length).toBeGreaterThan(0);
	for (const secret of [harness.fake.password, 'wrong-Pa55word', 'a-very-long-password-123']) {
		expect(text).not.toContain(secret);
	}
});

const fast = { retryAttempts: 0 };

describe('batching', () => {
	test.each([
		[99, [99]],
		[100, [100]],
		[101, [100, 1]],
	])('%i ids in separate items go out as batches of %j', async (count, sizes) => {
		const ids = harness.fake.seedReports(count);
		const result = await harness.run(
			{ messageIds: '={{ $json.id }}' },
			ids.map((id) => ({ id })),
		);
		expect(result.error).toBeUndefined();
		expect(harness.fake.askedIds().map((batch) => batch.length)).toEqual(sizes);
		expect(result.items.map((item) => item.json.id)).toEqual(ids);
		expect(result.items.map((item) => item.pairedItem)).toEqual(ids.map((_id, item) => ({ item })));
	});

	test('honours Batch Size and sends every id once, even when several items ask for it', async () => {
		const ids = harness.fake.seedReports(10);
		const input = [{ ids: ids.slice(0, 6).join(', ') }, { ids: ids.slice(4) }, { ids: ids[0] }];
		const result = await harness.run(
			{ messageIds: '={{ $json.ids }}', options: { batchSize: 3 } },
			input,
		);
		expect(result.error).toBeUndefined();
		const asked = harness.fake.askedIds();
		expect(asked.map((batch) => batch.length)).toEqual([3, 3, 3, 1]);
		expect(asked.flat().sort()).toEqual([...ids].sort());
		expect(result.items.map((item) => [item.json.id, item.pairedItem])).toEqual([
			...ids.slice(0, 6).map((id) => [id, { item: 0 }]),
			...ids.slice(4).map((id) => [id, { item: 1 }]),
			[ids[0], { item: 2 }],
		]);
	});

	test('reads ids separated by commas, spaces, new lines, from arrays and numbers', async () => {
		harness.fake.setReport('111', 'delivered');
		harness.fake.setReport('222', 'expired');
		harness.fake.setReport('333', 'rejected');
		harness.fake.setReport('444', 'undeliverable');
		const result = await harness.run({ messageIds: '={{ $json.ids }}' }, [
			{ ids: '111,222\n 333' },
			{ ids: ['444', 111] },
			{ ids: [{ id: '222' }] },
		]);
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => [item.json.id, item.json.status, item.pairedItem])).toEqual([
			['111', 'delivered', { item: 0 }],
			['222', 'expired', { item: 0 }],
			['333', 'rejected', { item: 0 }],
			['444', 'undeliverable', { item: 1 }],
			['111', 'delivered', { item: 1 }],
			['222', 'expired', { item: 2 }],
		]);
		expect(harness.fake.askedIds()).toHaveLength(1);
	});

	test('10,000 ids take 100 requests with at most 4 in flight', async () => {
		const ids = harness.fake.seedReports(10_000);
		const result = await harness.run(
			{ messageIds: '={{ $json.id }}' },
			ids.map((id) => ({ id })),
		);
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(10_000);
		expect(harness.fake.server.requestsTo(DELIVERY_PATH)).toHaveLength(100);
		expect(harness.fake.server.maxInFlight).toBeLessThanOrEqual(4);
		expect(result.items[9_999].json.id).toBe(ids[9_999]);
		expect(result.items[9_999].pairedItem).toEqual({ item: 9_999 });
	});

	test('Parallel Requests bounds the requests in flight', async () => {
		const ids = harness.fake.seedReports(40);
		harness.fake.server.inject({ kind: 'delay', ms: 50 }, { times: 40 });
		const result = await harness.run(
			{ messageIds: '={{ $json.id }}', options: { batchSize: 4, concurrency: 2 } },
			ids.map((id) => ({ id })),
		);
		expect(result.error).toBeUndefined();
		expect(harness.fake.server.requests).toHaveLength(10);
		expect(harness.fake.server.maxInFlight).toBe(2);
	});
});

describe('joining answers by id', () => {
	test("the document's example: out of order, an unasked id, a missing id", async () => {
		harness.fake.switches.extraId = true;
		const result = await harness.run(
			{ messageIds: '12345678901234\nabcdefghijklab\n0qwedf5e8e8r7w' },
			[{}],
		);
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json)).toEqual([
			{
				id: '12345678901234',
				status: 'missing',
				received: null,
				final: false,
				delivered: false,
				note: expect.stringContaining('no report'),
			},
			{
				id: 'abcdefghijklab',
				status: 'delivered',
				received: '2012-09-05 22:59:00',
				final: true,
				delivered: true,
			},
			{
				id: '0qwedf5e8e8r7w',
				status: 'waiting',
				received: '2012-09-05 23:59:00',
				final: false,
				delivered: false,
			},
		]);
		expect(result.items.some((item) => item.json.id === UNASKED_ID)).toBe(false);
	});

	test('final and delivered follow the status; an unknown status passes through as data', async () => {
		const statuses = [
			'delivered',
			'undeliverable',
			'expired',
			'rejected',
			'waiting',
			'handled by operator',
		];
		statuses.forEach((status, index) => harness.fake.setReport(`S${index}`, status));
		const result = await harness.run(
			{ messageIds: statuses.map((_s, index) => `S${index}`).join(',') },
			[{}],
		);
		expect(result.error).toBeUndefined();
		expect(
			result.items.map((item) => [item.json.status, item.json.final, item.json.delivered]),
		).toEqual([
			['delivered', true, true],
			['undeliverable', true, false],
			['expired', true, false],
			['rejected', true, false],
			['waiting', false, false],
			['handled by operator', false, false],
		]);
	});
});

describe('Wait for Final Status', () => {
	test('re-asks only the ids still waiting until they are final', async () => {
		harness.fake.setReport('done', 'delivered');
		harness.fake.setReport('slow', 'waiting', { finalStatus: 'expired', finalAfter: 2 });
		harness.fake.setReport('slower', 'waiting', { finalStatus: 'delivered', finalAfter: 3 });
		const result = await harness.run(
			{
				messageIds: 'done slow slower',
				options: { waitForFinal: true, pollInterval: 0.1, maxWait: 10 },
			},
			[{}],
		);
		expect(result.error).toBeUndefined();
		expect(
			result.items.map((item) => [item.json.id, item.json.status, item.json.final, item.json.note]),
		).toEqual([
			['done', 'delivered', true, undefined],
			['slow', 'expired', true, undefined],
			['slower', 'delivered', true, undefined],
		]);
		expect(harness.fake.askedIds().map((batch) => [...batch].sort())).toEqual([
			['done', 'slow', 'slower'],
			['slow', 'slower'],
			['slow', 'slower'],
			['slower'],
		]);
	});

	test('stops after Max Wait and says which ids are still waiting', async () => {
		harness.fake.setReport('done', 'delivered');
		harness.fake.setReport('stuck', 'waiting');
		const result = await harness.run(
			{
				messageIds: 'done, stuck',
				options: { waitForFinal: true, pollInterval: 0.1, maxWait: 0.35 },
			},
			[{}],
		);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).not.toHaveProperty('note');
		expect(result.items[1].json).toMatchObject({ id: 'stuck', status: 'waiting', final: false });
		expect(result.items[1].json.note).toMatch(/Still waiting after the Max Wait of 0.35 s/);
		const asked = harness.fake.askedIds();
		expect(asked.length).toBeGreaterThanOrEqual(3);
		expect(asked.length).toBeLessThanOrEqual(5);
		expect(asked.slice(1).every((batch) => batch.length === 1 && batch[0] === 'stuck')).toBe(true);
	});

	test('a Max Wait shorter than the Poll Interval still asks once more, at Max Wait', async () => {
		harness.fake.setReport('slow', 'waiting', { finalStatus: 'delivered', finalAfter: 1 });
		const started = Date.now();
		const result = await harness.run(
			{ messageIds: 'slow', options: { waitForFinal: true, pollInterval: 30, maxWait: 0.3 } },
			[{}],
		);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ id: 'slow', status: 'delivered', final: true });
		expect(result.items[0].json).not.toHaveProperty('note');
		expect(harness.fake.askedIds()).toEqual([['slow'], ['slow']]);
		expect(Date.now() - started).toBeLessThan(10_000);
	});

	test('an id still waiting at Max Wait was asked for at Max Wait, not only before it', async () => {
		harness.fake.setReport('stuck', 'waiting');
		const result = await harness.run(
			{ messageIds: 'stuck', options: { waitForFinal: true, pollInterval: 30, maxWait: 0.2 } },
			[{}],
		);
		expect(result.items[0].json.note).toMatch(/Still waiting after the Max Wait of 0.2 s/);
		expect(harness.fake.askedIds()).toHaveLength(2);
	});

	test('without the option, waiting ids are output at once', async () => {
		harness.fake.setReport('stuck', 'waiting');
		const result = await harness.run({ messageIds: 'stuck' }, [{}]);
		expect(result.items[0].json).toMatchObject({ status: 'waiting' });
		expect(result.items[0].json).not.toHaveProperty('note');
		expect(harness.fake.askedIds()).toHaveLength(1);
	});
});

describe('errors', () => {
	test('401 shows the API description and never the password', async () => {
		const result = await harness.run({ messageIds: 'abcdefghijklab' }, [{}], {
			credentials: { password: 'wrong-Pa55word' },
		});
		failures.push(result.error);
		expect(result.error?.message).toContain('unknown username/password');
		expect(result.error?.message).toContain('check Username and Password');
		expect(result.error?.httpCode).toBe('401');
		expect(serialize(result.error)).not.toContain('wrong-Pa55word');
	});

	test("an error body that is not valid JSON (the document's own sample) still reads well", async () => {
		harness.fake.switches.invalidJsonErrors = true;
		const result = await harness.run({ messageIds: 'abcdefghijklab' }, [{}], {
			credentials: { password: 'wrong-Pa55word' },
		});
		failures.push(result.error);
		expect(result.error?.message).toContain('unknown username/password');
		expect(String(result.error?.description)).toContain('not valid JSON');
		expect(String(result.error?.description)).toContain(
			'"description": "unknown username/password"',
		);
		expect(serialize(result.error)).not.toContain('wrong-Pa55word');
	});

	test('400 shows the API description', async () => {
		harness.fake.server.inject({
			kind: 'status',
			status: 400,
			body: '{"response":{"status":400,"description":"missing parameter"}}',
		});
		const result = await harness.run({ messageIds: 'abcdefghijklab', options: fast }, [{}]);
		failures.push(result.error);
		expect(result.error?.message).toBe('missing parameter');
		expect(result.error?.httpCode).toBe('400');
		expect(harness.fake.server.requests).toHaveLength(1);
	});

	test('500 is retried, then shows the API description', async () => {
		harness.fake.failOn('abcdefghijklab', 500, 'unknown error: database offline');
		const result = await harness.run(
			{ messageIds: 'abcdefghijklab', options: { retryAttempts: 2, maxRetryWait: 0.01 } },
			[{}],
		);
		failures.push(result.error);
		expect(result.error?.message).toBe('unknown error: database offline');
		expect(result.error?.httpCode).toBe('500');
		expect(String(result.error?.description)).toContain('Gave up after 3 attempts');
		expect(harness.fake.server.requests).toHaveLength(3);
	});

	test('a 500 once and a 429 once are retried and the run succeeds', async () => {
		harness.fake.server.inject({
			kind: 'status',
			status: 500,
			body: '{"response":{"status":500,"description":"unknown error"}}',
		});
		harness.fake.server.inject({ kind: 'rateLimit', retryAfterSeconds: 0 });
		const result = await harness.run(
			{ messageIds: 'abcdefghijklab', options: { maxRetryWait: 0.01 } },
			[{}],
		);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ id: 'abcdefghijklab', status: 'delivered' });
		expect(harness.fake.server.requests.map((request) => request.fault)).toEqual([
			'status',
			'rateLimit',
			undefined,
		]);
	});

	test('an HTML page instead of JSON gives a readable error', async () => {
		harness.fake.server.inject({ kind: 'html', status: 200 });
		const result = await harness.run({ messageIds: 'abcdefghijklab', options: fast }, [{}]);
		failures.push(result.error);
		expect(result.error?.message).toContain('not valid JSON');
		expect(String(result.error?.description)).toContain('Bad Gateway');
	});

	test('a dropped connection is retried', async () => {
		harness.fake.server.inject({ kind: 'dropConnection' });
		const result = await harness.run(
			{ messageIds: 'abcdefghijklab', options: { maxRetryWait: 0.01 } },
			[{}],
		);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json.status).toBe('delivered');
	});

	test('a too-long id stops the node before any request, naming the field and the fix', async () => {
		const result = await harness.run({ messageIds: '={{ $json.ids }}' }, [
			{ ids: 'abcdefghijklab' },
			{ ids: 'abcdefghijklabc' },
		]);
		failures.push(result.error);
		expect(result.error?.message).toMatch(
			/A message ID is longer than 14 characters: "abcdefghijklabc"/,
		);
		expect(String(result.error?.description)).toContain('Message IDs');
		expect(harness.fake.server.requests).toHaveLength(0);
	});

	test('empty Message IDs is refused before any request', async () => {
		const result = await harness.run({ messageIds: ' , ' }, [{}]);
		failures.push(result.error);
		expect(result.error?.message).toBe('"Message IDs" is empty');
		expect(harness.fake.server.requests).toHaveLength(0);
	});

	test('Batch Size over 1,000 is refused before any request', async () => {
		const result = await harness.run(
			{ messageIds: 'abcdefghijklab', options: { batchSize: 1001 } },
			[{}],
		);
		failures.push(result.error);
		expect(result.error?.message).toContain('"Batch Size" must be between 1 and 1000');
		expect(harness.fake.server.requests).toHaveLength(0);
	});

	test('a password over 16 characters is refused before any request, without showing it', async () => {
		const long = 'a-very-long-password-123';
		const result = await harness.run({ messageIds: 'abcdefghijklab' }, [{}], {
			credentials: { password: long },
		});
		failures.push(result.error);
		expect(result.error?.message).toContain(
			'"Password" in the Naimar SMS credential is 24 characters long',
		);
		expect(result.error?.message).toContain('at most 16');
		expect(serialize(result.error)).not.toContain(long);
		expect(harness.fake.server.requests).toHaveLength(0);
	});

	test('a username over 16 characters is refused before any request', async () => {
		const result = await harness.run({ messageIds: 'abcdefghijklab' }, [{}], {
			credentials: { username: 'x'.repeat(17) },
		});
		failures.push(result.error);
		expect(result.error?.message).toContain(
			'"Username" in the Naimar SMS credential is 17 characters long',
		);
		expect(harness.fake.server.requests).toHaveLength(0);
	});

	test('the password travels in the JSON body, with the ids', async () => {
		await harness.run({ messageIds: 'abcdefghijklab' }, [{}]);
		const [request] = harness.fake.server.requests;
		expect(request.headers['content-type']).toContain('application/json');
		expect(JSON.parse(request.body)).toEqual({
			username: harness.fake.username,
			password: harness.fake.password,
			deliveries: [{ id: 'abcdefghijklab' }],
		});
	});
});

describe('Continue On Fail', () => {
	test('an item with an invalid id fails alone', async () => {
		const result = await harness.run(
			{ messageIds: '={{ $json.ids }}' },
			[
				{ ids: 'abcdefghijklab' },
				{ ids: 'ok1, far-too-long-an-id' },
				{ ids: '' },
				{ ids: '0qwedf5e8e8r7w' },
			],
			{ continueOnFail: true },
		);
		failures.push(result.items);
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => [item.pairedItem, item.json.id ?? item.json.error])).toEqual([
			[{ item: 0 }, 'abcdefghijklab'],
			[{ item: 1 }, expect.stringContaining('longer than 14 characters')],
			[{ item: 2 }, '"Message IDs" is empty'],
			[{ item: 3 }, '0qwedf5e8e8r7w'],
		]);
		// The valid id of the failing item is not sent.
		expect(harness.fake.askedIds()).toEqual([
			expect.arrayContaining(['abcdefghijklab', '0qwedf5e8e8r7w']),
		]);
		expect(harness.fake.askedIds()[0]).toHaveLength(2);
	});

	test('a failed batch fails only the items whose ids were in it', async () => {
		const ids = harness.fake.seedReports(5);
		harness.fake.failOn(ids[2]);
		const result = await harness.run(
			{ messageIds: '={{ $json.ids }}', options: { batchSize: 2, retryAttempts: 0 } },
			[{ ids: ids.slice(0, 2) }, { ids: [ids[2]] }, { ids: [ids[3]] }, { ids: [ids[4]] }],
			{ continueOnFail: true },
		);
		failures.push(result.items);
		expect(result.error).toBeUndefined();
		// Batches: [0,1] [2,3] [4]: the second fails, so items 1 and 2 fail.
		expect(result.items.map((item) => [item.pairedItem, item.json.id ?? item.json.error])).toEqual([
			[{ item: 0 }, ids[0]],
			[{ item: 0 }, ids[1]],
			[{ item: 1 }, 'unknown error'],
			[{ item: 2 }, 'unknown error'],
			[{ item: 3 }, ids[4]],
		]);
		expect(result.items[2].json.httpCode).toBe('500');
	});

	test('without Continue On Fail a failed batch stops the node at the first affected item', async () => {
		const ids = harness.fake.seedReports(5);
		harness.fake.failOn(ids[3]);
		const result = await harness.run(
			{ messageIds: '={{ $json.id }}', options: { batchSize: 2, retryAttempts: 0 } },
			ids.map((id) => ({ id })),
		);
		failures.push(result.error);
		expect(result.error?.message).toBe('unknown error');
		expect((result.error?.context as { itemIndex?: number }).itemIndex).toBe(2);
		expect(result.items).toEqual([]);
	});

	test('with Wait for Final Status the other items still wait and finish', async () => {
		harness.fake.setReport('slow', 'waiting', { finalStatus: 'delivered', finalAfter: 1 });
		harness.fake.setReport('bad', 'delivered');
		harness.fake.failOn('bad');
		const result = await harness.run(
			{
				messageIds: '={{ $json.id }}',
				options: {
					batchSize: 1,
					retryAttempts: 0,
					waitForFinal: true,
					pollInterval: 0.1,
					maxWait: 5,
				},
			},
			[{ id: 'slow' }, { id: 'bad' }],
			{ continueOnFail: true },
		);
		failures.push(result.items);
		expect(result.items.map((item) => item.json.status ?? item.json.error)).toEqual([
			'delivered',
			'unknown error',
		]);
	});
});

describe('review: expressions that fail or give odd values', () => {
	test('Continue On Fail: an item whose Message IDs expression throws fails alone', async () => {
		harness.fake.setReport('111', 'delivered');
		const result = await harness.run(
			{ messageIds: '={{ $json.broken ? $("No such node").item.json.id : $json.ids }}' },
			[{ ids: '111' }, { broken: true }, { ids: 'abcdefghijklab' }],
			{ continueOnFail: true },
		);
		failures.push(result.items);
		expect(result.error).toBeUndefined();
		expect(
			result.items.map((item) => [
				item.pairedItem,
				item.json.id ?? (item.json.error ? 'error' : undefined),
			]),
		).toEqual([
			[{ item: 0 }, '111'],
			[{ item: 1 }, 'error'],
			[{ item: 2 }, 'abcdefghijklab'],
		]);
		expect(String(result.items[1].json.error)).toContain("Referenced node doesn't exist");
		expect(harness.fake.askedIds()).toHaveLength(1);
	});

	test.each([
		['Poll Interval of 0', { pollInterval: 0, maxWait: 0.3 }, '"Poll Interval"'],
		[
			'Poll Interval that is not a number',
			{ pollInterval: 'soon', maxWait: 0.3 },
			'"Poll Interval"',
		],
		['Max Wait that is not a number', { pollInterval: 0.1, maxWait: 'five minutes' }, '"Max Wait"'],
	])(
		'Wait for Final Status with a %s is refused before any request',
		async (_case, options, field) => {
			harness.fake.setReport('stuck', 'waiting');
			const run = harness.run(
				{ messageIds: 'stuck', options: { waitForFinal: true, ...options } },
				[{}],
			);
			// Without the check this hammers the gateway (interval 0) or never ends (NaN): give up after 3 s.
			const result = await Promise.race([
				run,
				new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 3000)),
			]);
			const requests = harness.fake.server.requests.length;
			failures.push(result?.error);
			expect(result?.error?.message).toContain(field);
			expect(requests).toBe(0);
			// Let a runaway loop end before the fake closes.
			harness.fake.setReport('stuck', 'delivered');
			await run;
		},
	);
});

describe('review: limits are inclusive', () => {
	test('a 16-character username and password are sent; 14-character ids and Batch Size 1,000 are accepted', async () => {
		await harness.fake.close();
		harness = await startHarness({ username: 'u'.repeat(16), password: 'p'.repeat(16) });
		const ids = harness.fake.seedReports(1001);
		const result = await harness.run(
			{ messageIds: '={{ $json.id }}', options: { batchSize: 1000 } },
			ids.map((id) => ({ id })),
		);
		expect(result.error).toBeUndefined();
		expect(ids.every((id) => id.length === 14)).toBe(true);
		expect(harness.fake.askedIds().map((batch) => batch.length)).toEqual([1000, 1]);
		expect(result.items.filter((item) => item.json.status === 'missing')).toEqual([]);
	});
});

describe('review: ids as an AI tool or a stringified array gives them', () => {
	test('a JSON array written as text ("[\\"111\\", \\"222\\"]") is read as its ids', async () => {
		harness.fake.setReport('111', 'delivered');
		harness.fake.setReport('222', 'expired');
		const result = await harness.run({ messageIds: '={{ $json.ids }}' }, [
			{ ids: '["111", "222"]' },
			{ ids: "['111']" },
		]);
		expect(result.error).toBeUndefined();
		expect(harness.fake.askedIds()).toEqual([['111', '222']]);
		expect(result.items.map((item) => [item.json.id, item.json.status, item.pairedItem])).toEqual([
			['111', 'delivered', { item: 0 }],
			['222', 'expired', { item: 0 }],
			['111', 'delivered', { item: 1 }],
		]);
	});
});

describe('review: a wrong Base URL', () => {
	test('a 404 names the Base URL field and what it should end with', async () => {
		const result = await harness.run({ messageIds: 'abcdefghijklab', options: fast }, [{}], {
			credentials: { baseUrl: `${harness.fake.url}/api/v5` },
		});
		failures.push(result.error);
		expect(result.error?.httpCode).toBe('404');
		expect(result.error?.message).toContain('Base URL');
		expect(result.error?.message).toContain('/api/v6');
	});

	test('a 404 HTML page names the Base URL field too', async () => {
		harness.fake.server.inject({ kind: 'html', status: 404 });
		const result = await harness.run({ messageIds: 'abcdefghijklab', options: fast }, [{}]);
		failures.push(result.error);
		expect(result.error?.httpCode).toBe('404');
		expect(result.error?.message).toContain('Base URL');
	});
});

describe('review: an error body with HTTP 200', () => {
	test('a 401 error body sent with HTTP 200 still says to check Username and Password', async () => {
		harness.fake.server.inject({
			kind: 'status',
			status: 200,
			body: '{"response":{"status":401,"description":"unknown username/password"}}',
		});
		const result = await harness.run({ messageIds: 'abcdefghijklab', options: fast }, [{}]);
		failures.push(result.error);
		expect(result.error?.message).toContain('unknown username/password');
		expect(result.error?.message).toContain('check Username and Password');
	});
});

describe('review: Continue On Fail across batches', () => {
	test('an item with ids in a good and a failed batch fails as one error item; an item sharing only the good id succeeds', async () => {
		const ids = harness.fake.seedReports(2);
		harness.fake.failOn(ids[1]);
		const result = await harness.run(
			{ messageIds: '={{ $json.ids }}', options: { batchSize: 1, retryAttempts: 0 } },
			[{ ids: [ids[0], ids[1]] }, { ids: [ids[0]] }],
			{ continueOnFail: true },
		);
		failures.push(result.items);
		expect(result.items.map((item) => [item.pairedItem, item.json.id ?? item.json.error])).toEqual([
			[{ item: 0 }, 'unknown error'],
			[{ item: 1 }, ids[0]],
		]);
		expect(result.items[0].json).toMatchObject({ httpCode: '500', code: '500' });
		expect([...harness.fake.askedIds()].sort()).toEqual([[ids[0]], [ids[1]]]);
	});
});
