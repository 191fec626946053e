import type { AraraFake } from '../../fakes/arara-message';
import { credentialStore, runArara, serializeError, startFake } from '../setup';

const DAY = 86_400_000;

describe('Arara Message: get, get by request id', () => {
	let fake: AraraFake;
	const base = Date.UTC(2024, 4, 1);

	beforeAll(async () => {
		fake = await startFake();
		fake.seed(30, base, base + DAY, 7);
	});
	afterAll(async () => await fake.close());
	beforeEach(() => {
		fake.server.resetLog();
		fake.server.clearFaults();
	});

	it('gets deliveries by id, with one token for all items, in input order, with delivery_id', async () => {
		const all = fake.store.all();
		const ids = all.slice(0, 8).map((delivery) => delivery.delivery_id);
		const credentials = credentialStore(fake);
		const { items, error } = await runArara({
			parameters: { operation: 'get', deliveryId: '={{ $json.id }}' },
			input: ids.map((id) => ({ id })),
			credentials,
		});
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.delivery_id)).toEqual(ids);
		expect(items.every((item) => !('deliver_id' in item.json))).toBe(true);
		expect(items.map((item) => item.pairedItem)).toEqual(ids.map((_id, item) => ({ item })));
		expect(items[0].json).toMatchObject({
			status: all[0].status,
			settings: all[0].settings,
			sendresult_count: all[0].sendresult_count,
		});
		expect(fake.tokenRequests()).toHaveLength(1);
		expect(credentials['Arara test'].tokenUpdates).toBe(1);
		const token = fake.tokenRequests()[0];
		expect(token.method).toBe('POST');
		expect(token.headers.authorization).toBe(
			'Basic ' +
				Buffer.from(`${fake.credentials.clientId}:${fake.credentials.clientSecret}`).toString(
					'base64',
				),
		);
		expect(new URLSearchParams(token.body).get('grant_type')).toBe('client_credentials');
		expect(fake.apiRequests()).toHaveLength(8);
		expect(
			fake
				.apiRequests()
				.every((request) => /^Bearer \S+$/.test(String(request.headers.authorization))),
		).toBe(true);
	});

	it('reuses the token across executions until it expires, then fetches exactly one more', async () => {
		const credentials = credentialStore(fake);
		const ids = fake.store
			.all()
			.slice(0, 6)
			.map((delivery) => ({ id: delivery.delivery_id }));
		const run = async () =>
			await runArara({
				parameters: { operation: 'get', deliveryId: '={{ $json.id }}' },
				input: ids,
				credentials,
			});
		for (let execution = 0; execution < 3; execution++) expect((await run()).error).toBeUndefined();
		expect(fake.tokenRequests()).toHaveLength(1);
		fake.expireTokens();
		for (let execution = 0; execution < 2; execution++) expect((await run()).error).toBeUndefined();
		expect(fake.tokenRequests()).toHaveLength(2);
		expect(credentials['Arara test'].tokenUpdates).toBe(2);
		// 5 executions × 6 items, plus for the request that met the expired token: its 401, and
		// the shared transport's re-send on n8n's OAuth2 path (401 again → new token → retried).
		expect(fake.apiRequests()).toHaveLength(32);
		expect(
			fake.apiRequests().filter((request) => request.headers.authorization === undefined),
		).toHaveLength(0);
	});

	it('404 → "No delivery with id …", or nothing with the option; Continue On Fail keeps the other items', async () => {
		const credentials = credentialStore(fake);
		const known = fake.store.all()[0].delivery_id;
		const failing = await runArara({
			parameters: { operation: 'get', deliveryId: 'nope42' },
			credentials,
		});
		expect(failing.error?.name).toBe('NodeApiError');
		expect(failing.error?.message).toBe('No delivery with id "nope42"');
		expect(String(failing.error?.description)).toContain('Output Nothing If Not Found');

		const quiet = await runArara({
			parameters: {
				operation: 'get',
				deliveryId: '={{ $json.id }}',
				options: { ignoreNotFound: true },
			},
			input: [{ id: 'nope42' }, { id: known }],
			credentials,
		});
		expect(quiet.error).toBeUndefined();
		expect(quiet.items.map((item) => [item.json.delivery_id, item.pairedItem])).toEqual([
			[known, { item: 1 }],
		]);

		const mixed = await runArara({
			parameters: { operation: 'get', deliveryId: '={{ $json.id }}' },
			input: [{ id: known }, { id: 'nope42' }, { id: '' }, { id: known }],
			credentials,
			continueOnFail: true,
		});
		expect(mixed.error).toBeUndefined();
		expect(mixed.items.map((item) => item.json.delivery_id ?? item.json.error)).toEqual([
			known,
			'No delivery with id "nope42"',
			'The "Delivery ID" is empty',
			known,
		]);
		expect(mixed.items[1].json.httpCode).toBe('404');
		expect(mixed.items.map((item) => item.pairedItem)).toEqual(
			[0, 1, 2, 3].map((item) => ({ item })),
		);
		// The empty id never reached the API.
		expect(fake.apiRequests().filter((request) => request.path === '/send/')).toHaveLength(0);
	});

	it('gets deliveries by request id', async () => {
		const withRequestId = fake.store.all().find((delivery) => delivery.settings.request_id);
		const { items, error } = await runArara({
			parameters: {
				operation: 'getByRequestId',
				requestId: String(withRequestId?.settings.request_id),
			},
			credentials: credentialStore(fake),
		});
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.delivery_id)).toEqual([withRequestId?.delivery_id]);
		const none = await runArara({
			parameters: { operation: 'getByRequestId', requestId: 'unknown1' },
			credentials: credentialStore(fake),
		});
		expect(none.error).toBeUndefined();
		expect(none.items).toEqual([]);
		const search = fake.apiRequests().map((request) => request.query.get('request_id'));
		expect(search).toEqual([withRequestId?.settings.request_id, 'unknown1']);
	});

	it('400 names the provider message; 429 and 500 are retried; nothing leaks the secret', async () => {
		const credentials = credentialStore(fake);
		const bad = await runArara({
			parameters: { operation: 'getByRequestId', requestId: 'Has Spaces' },
			credentials,
		});
		expect(bad.error?.message).toBe('request_id is invalid');
		expect((bad.error as { httpCode?: string }).httpCode).toBe('400');
		// The API's word alone does not say which field or what to do.
		expect(String(bad.error?.description)).toContain('"Request ID"');
		expect(String(bad.error?.description)).toContain('lowercase letters and digits');

		const id = fake.store.all()[0].delivery_id;
		fake.server.inject({ kind: 'rateLimit', retryAfterSeconds: 0 }, { pathPrefix: '/send' });
		fake.server.inject(
			{ kind: 'status', status: 500, body: '{"message":"Internal Server Error"}' },
			{ pathPrefix: '/send' },
		);
		const retried = await runArara({
			parameters: { operation: 'get', deliveryId: id, options: { maxRetryWait: 0 } },
			credentials,
		});
		expect(retried.error).toBeUndefined();
		expect(retried.items[0].json.delivery_id).toBe(id);
		expect(
			fake
				.apiRequests()
				.slice(-3)
				.map((request) => request.fault ?? 'ok'),
		).toEqual(['rateLimit', 'status', 'ok']);

		fake.server.inject(
			{ kind: 'status', status: 500, body: '{"message":"Internal Server Error"}' },
			{ pathPrefix: '/send', times: 10 },
		);
		const broken = await runArara({
			parameters: {
				operation: 'get',
				deliveryId: id,
				options: { retryAttempts: 1, maxRetryWait: 0 },
			},
			credentials,
		});
		expect(broken.error?.message).toContain(
			'Arara Message had an internal error (HTTP 500): Internal Server Error',
		);
		expect(String(broken.error?.description)).toContain('Gave up after 2 attempts');
		fake.server.clearFaults();

		fake.server.inject(
			{ kind: 'rateLimit', retryAfterSeconds: 0 },
			{ pathPrefix: '/send', times: 10 },
		);
		const limited = await runArara({
			parameters: {
				operation: 'get',
				deliveryId: id,
				options: { retryAttempts: 1, maxRetryWait: 0 },
			},
			credentials,
			continueOnFail: true,
		});
		expect(limited.items[0].json).toMatchObject({ httpCode: '429' });
		expect(String(limited.items[0].json.error)).toContain('Too Many Requests');
		fake.server.clearFaults();

		const secret = fake.credentials.clientSecret;
		const token = (credentials['Arara test'].data.oauthTokenData as { access_token: string })
			.access_token;
		for (const text of [bad, broken, limited].map(
			(result) => serializeError(result.error) + JSON.stringify(result.items),
		)) {
			expect(text).not.toContain(secret);
			expect(text).not.toContain(token);
		}
	});

	it("Get and Get by Request ID map the seed sample's deliver_id to delivery_id", async () => {
		const credentials = credentialStore(fake);
		const withRequestId = fake.store.all().find((delivery) => delivery.settings.request_id)!;
		fake.setIdSpelling('deliver_id');
		try {
			const byId = await runArara({
				parameters: { operation: 'get', deliveryId: withRequestId.delivery_id },
				credentials,
			});
			const byRequestId = await runArara({
				parameters: {
					operation: 'getByRequestId',
					requestId: String(withRequestId.settings.request_id),
				},
				credentials,
			});
			for (const { items, error } of [byId, byRequestId]) {
				expect(error).toBeUndefined();
				expect(items).toHaveLength(1);
				expect(items[0].json.delivery_id).toBe(withRequestId.delivery_id);
				expect('deliver_id' in items[0].json).toBe(false);
			}
		} finally {
			fake.setIdSpelling('alternate');
		}
	});

	it('a wrong secret key gives a clear token error without leaking the secret', async () => {
		const credentials = credentialStore(fake, { clientSecret: 'wrong-secret-value-123' });
		const { error } = await runArara({
			parameters: { operation: 'get', deliveryId: '1' },
			credentials,
		});
		expect(error?.message).toBe('Arara Message refused the token request');
		const text = serializeError(error);
		expect(text).not.toContain('wrong-secret-value-123');
		expect(text).not.toContain(
			Buffer.from(`${fake.credentials.clientId}:wrong-secret-value-123`).toString('base64'),
		);
		expect(fake.apiRequests()).toHaveLength(0);
	});
});
