import type { AraraFake } from '../../fakes/arara-message';
import { japanMinute, STATUS_CAP } from '../../fakes/arara-message';
import { credentialStore, runArara, startFake } from '../setup';

const MINUTE = 60_000;
const DAY = 86_400_000;

describe('Arara Message: get many (period)', () => {
	let fake: AraraFake;
	// May 2024 in Japan time.
	const monthStart = Date.UTC(2024, 3, 30, 15, 0);
	const monthEnd = Date.UTC(2024, 4, 31, 15, 0);
	const denseMinute = Date.UTC(2024, 5, 10, 1, 30);

	beforeAll(async () => {
		fake = await startFake();
		fake.seed(50_000, monthStart, monthEnd, 11);
	});
	afterAll(async () => await fake.close());
	beforeEach(() => {
		fake.server.resetLog();
		fake.rawUrls.length = 0;
	});

	const sendTime = (json: { settings?: unknown }) =>
		Date.parse(String((json.settings as { send_time: string }).send_time));

	it('Return All gets every one of 50,000 deliveries in a month (12× the cap), once each, in send-time order', async () => {
		const expected = fake.store.inPeriod(monthStart, monthEnd);
		expect(expected).toHaveLength(50_000);
		const { items, error } = await runArara({
			parameters: {
				operation: 'getAll',
				timeMin: '2024-05-01T00:00:00+09:00',
				timeMax: '2024-06-01T00:00:00+09:00',
				returnAll: true,
			},
			credentials: credentialStore(fake),
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(50_000);
		const ids = items.map((item) => item.json.delivery_id as string);
		expect(new Set(ids).size).toBe(50_000);
		expect(new Set(ids)).toEqual(new Set(expected.map((delivery) => delivery.delivery_id)));
		expect(items.some((item) => 'deliver_id' in item.json)).toBe(false);
		for (let index = 1; index < items.length; index++) {
			expect(sendTime(items[index - 1].json) <= sendTime(items[index].json)).toBe(true);
		}
		expect(items.every((item) => !('_warning' in item.json))).toBe(true);
		expect(items.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);

		// One query for the whole month, then one split into enough windows for `total`.
		const queries = fake.apiRequests();
		expect(queries.length).toBeGreaterThanOrEqual(1 + Math.ceil(50_000 / STATUS_CAP));
		expect(queries.length).toBeLessThanOrEqual(20);
		expect(fake.server.maxInFlight).toBeLessThanOrEqual(4);
		expect(fake.tokenRequests()).toHaveLength(1);
		// The windows tile the month: consecutive, no gaps or overlaps (after the first query).
		const windows = queries
			.slice(1)
			.map(
				(request) =>
					[request.query.get('timemin'), request.query.get('timemax')] as [string, string],
			)
			.sort((a, b) => Date.parse(a[0]) - Date.parse(b[0]));
		expect(windows[0][0]).toBe('2024-05-01T00:00+09:00');
		expect(windows[windows.length - 1][1]).toBe('2024-06-01T00:00+09:00');
		for (let index = 1; index < windows.length; index++)
			expect(windows[index][0]).toBe(windows[index - 1][1]);
	});

	it('sends Japan time with the + percent-encoded, from an instance in another time zone', async () => {
		// 2024-05-10 18:00 in New York (EDT, UTC-4) = 2024-05-11 07:00 in Japan.
		const { error } = await runArara({
			parameters: {
				operation: 'getAll',
				timeMin: '2024-05-10T18:00:00',
				timeMax: '2024-05-10T18:30:45',
				returnAll: false,
				limit: 5,
			},
			credentials: credentialStore(fake),
			timezone: 'America/New_York',
		});
		expect(error).toBeUndefined();
		const first = fake.apiRequests()[0];
		expect(first.query.get('timemin')).toBe('2024-05-11T07:00+09:00');
		// Seconds round the end up to the next whole minute, so 18:30 is included.
		expect(first.query.get('timemax')).toBe('2024-05-11T07:31+09:00');
		const raw = fake.rawUrls.find((url) => url.startsWith('/send?')) ?? '';
		expect(raw).toContain('timemin=2024-05-11T07%3A00%2B09%3A00');
		expect(raw).not.toMatch(/\+09/);

		// A value with an explicit offset is converted as given, whatever the instance zone.
		fake.server.resetLog();
		await runArara({
			parameters: {
				operation: 'getAll',
				timeMin: '2024-05-10T23:59:00.000Z',
				timeMax: '2024-05-11T00:00:00.000Z',
				limit: 1,
			},
			credentials: credentialStore(fake),
			timezone: 'Europe/Berlin',
		});
		expect(fake.apiRequests()[0].query.get('timemin')).toBe('2024-05-11T08:59+09:00');
	});

	it('a period from an expression giving epoch seconds or milliseconds is read as that instant, not as 1970', async () => {
		// 2024-05-01T00:00Z = 09:00 in Japan; many APIs give Unix time in seconds.
		for (const [timeMin, timeMax] of [
			['={{ 1714521600 }}', '={{ 1714525200 }}'],
			['={{ 1714521600000 }}', '={{ 1714525200000 }}'],
		]) {
			fake.server.resetLog();
			const { error } = await runArara({
				parameters: { operation: 'getAll', timeMin, timeMax, limit: 1 },
				credentials: credentialStore(fake),
			});
			expect(error).toBeUndefined();
			expect(fake.apiRequests()[0].query.get('timemin')).toBe('2024-05-01T09:00+09:00');
			expect(fake.apiRequests()[0].query.get('timemax')).toBe('2024-05-01T10:00+09:00');
		}
	});

	it('the fake refuses a + that arrives as a space (400); the node reports a 400 with its message', async () => {
		const basic = Buffer.from(
			`${fake.credentials.clientId}:${fake.credentials.clientSecret}`,
		).toString('base64');
		const tokenAnswer = await fetch(`${fake.url}/oauth2/token`, {
			method: 'POST',
			headers: {
				authorization: `Basic ${basic}`,
				'content-type': 'application/x-www-form-urlencoded',
			},
			body: 'grant_type=client_credentials',
		});
		const { access_token: token } = (await tokenAnswer.json()) as { access_token: string };
		const raw = await fetch(
			`${fake.url}/send?timemin=2024-05-01T00:00+09:00&timemax=2024-05-02T00:00%2B09:00`,
			{
				headers: { authorization: `Bearer ${token}` },
			},
		);
		expect(raw.status).toBe(400);
		expect(await raw.json()).toEqual({ message: 'timemin is invalid: 2024-05-01T00:00 09:00' });

		fake.server.inject(
			{ kind: 'status', status: 400, body: '{"message":"timemin is invalid"}' },
			{ pathPrefix: '/send' },
		);
		const { error } = await runArara({
			parameters: {
				operation: 'getAll',
				timeMin: '2024-05-01T00:00:00',
				timeMax: '2024-05-02T00:00:00',
				limit: 1,
			},
			credentials: credentialStore(fake),
		});
		expect(error?.message).toBe('timemin is invalid');
		expect((error as { httpCode?: string }).httpCode).toBe('400');
		// The period request names its input item, as n8n shows it.
		expect((error as { context?: { itemIndex?: number } }).context?.itemIndex).toBe(0);
	});

	it.each([
		['text', 'ten'],
		['0', 0],
		['a negative number', '={{ -3 }}'],
		['a fraction', 2.5],
	])('a Limit of %s is refused, naming the field, before any request', async (_label, limit) => {
		const { error, items } = await runArara({
			parameters: {
				operation: 'getAll',
				timeMin: '2024-05-01T00:00:00+09:00',
				timeMax: '2024-05-02T00:00:00+09:00',
				returnAll: false,
				limit,
			},
			credentials: credentialStore(fake),
		});
		expect(items).toHaveLength(0);
		expect(error?.message).toMatch(/^Limit must be a whole number of at least 1 \(got /);
		expect(String(error?.description)).toContain('Return All');
		expect(fake.apiRequests()).toHaveLength(0);
	});

	it('Limit stops early and a status filter applies before the limit', async () => {
		const credentials = credentialStore(fake);
		const limited = await runArara({
			parameters: {
				operation: 'getAll',
				timeMin: '2024-05-01T00:00:00+09:00',
				timeMax: '2024-06-01T00:00:00+09:00',
				returnAll: false,
				limit: 10,
				status: ['failed'],
			},
			credentials,
		});
		expect(limited.error).toBeUndefined();
		expect(limited.items).toHaveLength(10);
		expect(limited.items.every((item) => item.json.status === 'failed')).toBe(true);
		// The whole-month query plus one round of at most 4 windows.
		expect(fake.apiRequests().length).toBeLessThanOrEqual(5);

		fake.server.resetLog();
		const filtered = await runArara({
			parameters: {
				operation: 'getAll',
				timeMin: '2024-05-03T00:00:00+09:00',
				timeMax: '2024-05-04T00:00:00+09:00',
				returnAll: true,
				status: ['failed', 'deleted'],
			},
			credentials,
		});
		const expected = fake.store
			.inPeriod(Date.UTC(2024, 4, 2, 15), Date.UTC(2024, 4, 3, 15))
			.filter((delivery) => ['failed', 'deleted'].includes(delivery.status));
		expect(filtered.items.map((item) => item.json.delivery_id).sort()).toEqual(
			expected.map((delivery) => delivery.delivery_id).sort(),
		);
		expect(fake.apiRequests()).toHaveLength(1);
	});

	it('a single minute holding more than 4,000 outputs what it can, with a clear warning on those items', async () => {
		const own = await startFake();
		try {
			own.seed(3000, denseMinute - DAY, denseMinute + DAY, 5);
			own.seedMinute(denseMinute, 4500, 6);
			const { items, error, run } = await runArara({
				parameters: {
					operation: 'getAll',
					timeMin: '2024-06-10T00:00:00+09:00',
					timeMax: '2024-06-11T00:00:00+09:00',
					returnAll: true,
				},
				credentials: credentialStore(own),
			});
			expect(error).toBeUndefined();
			const inDay = own.store.inPeriod(Date.UTC(2024, 5, 9, 15), Date.UTC(2024, 5, 10, 15));
			const outsideMinute = inDay.filter(
				(delivery) =>
					delivery.reservedAt < denseMinute || delivery.reservedAt >= denseMinute + MINUTE,
			);
			expect(items).toHaveLength(outsideMinute.length + STATUS_CAP);
			const warned = items.filter((item) => item.json._warning);
			expect(warned).toHaveLength(STATUS_CAP);
			expect(String(warned[0].json._warning)).toBe(
				`The minute starting ${japanMinute(denseMinute)} holds 4500 deliveries, but Arara Message returns at most 4000 per query and cannot be asked for less than one minute: 500 of them are missing from the output.`,
			);
			const ids = new Set(items.map((item) => item.json.delivery_id));
			for (const delivery of outsideMinute) expect(ids.has(delivery.delivery_id)).toBe(true);
			const hints = run.data.resultData.runData['Node Under Test'][0].hints ?? [];
			expect(hints.map((hint) => hint.message)).toEqual([warned[0].json._warning]);
		} finally {
			await own.close();
		}
	});

	it('rejects a missing or reversed period before any request', async () => {
		const credentials = credentialStore(fake);
		const missing = await runArara({
			parameters: {
				operation: 'getAll',
				timeMin: '={{ "last tuesday" }}',
				timeMax: '2024-05-01T00:00:00',
				limit: 1,
			},
			credentials,
		});
		expect(missing.error?.message).toBe('"Time Min" is not a date and time');
		const reversed = await runArara({
			parameters: {
				operation: 'getAll',
				timeMin: '2024-05-02T00:00:00',
				timeMax: '2024-05-01T00:00:00',
				limit: 1,
			},
			credentials,
		});
		expect(reversed.error?.message).toBe('"Time Max" must be later than "Time Min"');
		expect(fake.apiRequests()).toHaveLength(0);
	});
});
