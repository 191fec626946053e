/** Bounce → Get Many and Download through n8n's engine against the Customers Mail Cloud fake. */
import type { CustomersMailCloudFake, FakeBounce } from '../../fakes/customers-mail-cloud';
import { FAST_RETRY, runCmc, serializeError, useFakePerFile } from '../setup';

let fake: CustomersMailCloudFake;
useFakePerFile((started) => (fake = started));
beforeEach(() => {
	fake.setDownload({
		encryption: { kind: 'none' },
		dataDescriptor: false,
		omitFileName: false,
		truncateTo: undefined,
	});
});

const list = { resource: 'bounce', operation: 'getAll' };
const download = { resource: 'bounce', operation: 'download' };
const STATUS_TEXT: Record<string, string> = {
	'2': 'unknown user',
	'11': 'unsubscribed address',
	'99': 'others',
};

function forms(operation: 'list' | 'download'): Array<Record<string, string>> {
	return fake.server
		.requestsTo(`/transaction/v2/bounces/${operation}.json`)
		.map((request) => Object.fromEntries(new URLSearchParams(request.body)));
}
const asItem = (bounce: FakeBounce) => ({ ...bounce, statusText: expect.anything() });

describe('Get Many', () => {
	it.each([0, 99, 100, 101, 1500])(
		'returns all %i bounces in order, pages fetched ahead',
		async (count) => {
			const bounces = fake.seedBounces(count);
			const { items, error } = await runCmc(fake, { ...list, returnAll: true });
			expect(error).toBeUndefined();
			expect(items.map((item) => item.json)).toEqual(bounces.map(asItem));
			const needed = Math.floor(count / 100) + 1;
			expect(forms('list').length).toBeGreaterThanOrEqual(needed);
			expect(forms('list').length).toBeLessThanOrEqual(needed + 3);
			expect(forms('list').every((form) => form.r === '100')).toBe(true);
		},
	);

	it('Limit fetches no page it does not need', async () => {
		const bounces = fake.seedBounces(500);
		const { items } = await runCmc(fake, {
			...list,
			returnAll: false,
			limit: 150,
			options: { concurrency: 1 },
		});
		expect(items.map((item) => item.json.to)).toEqual(
			bounces.slice(0, 150).map((bounce) => bounce.to),
		);
		expect(forms('list').map((form) => form.p)).toEqual(['0', '1']);
	});

	it('adds a readable statusText, and null for a code not in the list (kept raw)', async () => {
		fake.addBounce({ to: 'a@example.com', status: '2' });
		fake.addBounce({ to: 'b@example.com', status: '11' });
		fake.addBounce({ to: 'c@example.com', status: '42', ...({ extra: 'kept' } as object) });
		const { items } = await runCmc(fake, { ...list, returnAll: true });
		expect(items.map((item) => [item.json.status, item.json.statusText])).toEqual([
			['2', STATUS_TEXT['2']],
			['11', STATUS_TEXT['11']],
			['42', null],
		]);
		expect(items[2].json.extra).toBe('kept');
	});

	it('sends status, start_date, end_date, from, to and api_data, and the fake applies them', async () => {
		const bounces = fake.seedBounces(3000, { spacingSeconds: 300 });
		const { items, error } = await runCmc(fake, {
			...list,
			returnAll: true,
			filters: {
				status: '2',
				startDate: '2024-05-02T00:00:00',
				endDate: '2024-05-05',
				to: 'EXAMPLE.JP',
				from: 'info',
				apiData: 'CMC',
			},
		});
		expect(error).toBeUndefined();
		expect(forms('list')[0]).toMatchObject({
			status: '2',
			start_date: '2024-05-02',
			end_date: '2024-05-05',
			to: 'EXAMPLE.JP',
			from: 'info',
			api_data: 'CMC',
		});
		const expected = bounces.filter(
			(bounce) =>
				bounce.status === '2' &&
				bounce.created >= '2024-05-02' &&
				bounce.created < '2024-05-06' &&
				bounce.to.includes('example.jp') &&
				bounce.apiData.includes('CMC'),
		);
		expect(expected.length).toBeGreaterThan(0);
		expect(items.map((item) => item.json.to)).toEqual(expected.map((bounce) => bounce.to));
	});

	it.each([
		[{ filters: { status: 'two' } }, /Error Status must be a status code/],
		[
			{ filters: { startDate: '2024-05-03', endDate: '2024-05-01' } },
			/Start Date \(2024-05-03\) is after End Date/,
		],
		[{ filters: { endDate: 'soon' } }, /End Date is not a valid date/],
		[{ filters: { to: '={{ {"a": 1} }}' } }, /To Contains must be one value, not an object/],
		[{ returnAll: false, limit: -1 }, /Limit must be a whole number/],
	])('%j is refused before any request, naming the field', async (parameters, message) => {
		const { error } = await runCmc(fake, { ...list, returnAll: true, ...parameters });
		expect(error?.message).toMatch(message);
		expect(fake.server.requests).toHaveLength(0);
	});

	it('provider errors carry code and field; Continue On Fail keeps the good items, paired', async () => {
		fake.seedBounces(2);
		const { items } = await runCmc(
			fake,
			{ ...list, returnAll: true, serverComposition: '={{ $json.sc }}' },
			{ continueOnFail: true, input: [{ sc: 'nope' }, { sc: 'testcomp' }, { sc: 'denied-comp' }] },
		);
		expect(items.map((item) => [item.pairedItem, item.json.code ?? item.json.to])).toEqual([
			[{ item: 0 }, '10-002'],
			[{ item: 1 }, expect.stringMatching(/^bounced0/)],
			[{ item: 1 }, expect.stringMatching(/^bounced1/)],
			[{ item: 2 }, '12-002'],
		]);
	});

	it('retries 429 and 500; HTML and invalid JSON end in a clear error', async () => {
		fake.seedBounces(5);
		fake.server.inject({ kind: 'rateLimit', retryAfterSeconds: 0 });
		fake.server.inject({ kind: 'status', status: 500 });
		const ok = await runCmc(fake, { ...list, returnAll: true, options: FAST_RETRY });
		expect(ok.items).toHaveLength(5);
		fake.server.inject({ kind: 'html', status: 200 }, { times: 10 });
		const html = await runCmc(fake, {
			...list,
			returnAll: true,
			options: { ...FAST_RETRY, retryAttempts: 1 },
		});
		expect(html.error?.message).toBe('Customers Mail Cloud sent an answer that is not valid JSON');
		fake.server.clearFaults();
		fake.server.inject({ kind: 'invalidJson' }, { times: 10 });
		const broken = await runCmc(fake, {
			...list,
			returnAll: true,
			options: { ...FAST_RETRY, retryAttempts: 1 },
		});
		expect(broken.error?.message).toBe(
			'Customers Mail Cloud sent an answer that is not valid JSON',
		);
	});
});

describe('Download', () => {
	it('returns the ZIP as binary data named as the API names it (bounces-…zip when it sends none)', async () => {
		fake.seedBounces(50);
		const { items, error } = await runCmc(fake, {
			...download,
			output: 'binary',
			filters: { status: '99' },
		});
		expect(error).toBeUndefined();
		expect(items[0].binary!.data.fileName).toMatch(/^bounces-\d{8}_\d{6}\.zip$/);
		expect(forms('download')[0]).toMatchObject({ status: '99', server_composition: 'testcomp' });
		fake.setDownload({ omitFileName: true });
		const unnamed = await runCmc(fake, { ...download });
		expect(unnamed.items[0].binary!.data.fileName).toMatch(/^bounces-\d{8}_\d{6}\.zip$/);
	});

	it('one item per CSV row, columns read by the header row: the same items as Get Many', async () => {
		fake.seedBounces(1200);
		const downloaded = await runCmc(fake, { ...download, output: 'items' });
		const listed = await runCmc(fake, { ...list, returnAll: true });
		expect(downloaded.error).toBeUndefined();
		expect(downloaded.items).toHaveLength(1200);
		expect(downloaded.items.map((item) => item.json)).toEqual(
			listed.items.map((item) => item.json),
		);
	});

	it.each([
		['ZipCrypto', { kind: 'zipcrypto' as const, password: 'bounce-zip-1' }],
		[
			'AES-256',
			{ kind: 'aes' as const, password: 'bounce-zip-1', strength: 3 as const, version: 2 as const },
		],
	])(
		'decrypts a %s ZIP with the ZIP password; a wrong one is a clear error without the password',
		async (_name, encryption) => {
			const bounces = fake.seedBounces(100);
			fake.setDownload({ encryption });
			const { items, error } = await runCmc(
				fake,
				{ ...download, output: 'items' },
				{ credentials: { zipPassword: 'bounce-zip-1' } },
			);
			expect(error).toBeUndefined();
			expect(items.map((item) => item.json.to)).toEqual(bounces.map((bounce) => bounce.to));
			const wrong = await runCmc(
				fake,
				{ ...download, output: 'items' },
				{ credentials: { zipPassword: 'not-the-one-55' } },
			);
			expect(wrong.items).toHaveLength(0);
			expect(wrong.error?.message).toMatch(/password is wrong|authentication check/);
			expect(serializeError(wrong.error)).not.toContain('not-the-one-55');
			const missing = await runCmc(fake, { ...download, output: 'items' });
			expect(missing.error?.message).toBe('The ZIP file is encrypted and no password was given');
		},
	);

	it('with Continue On Fail a bad item fails alone, paired, before any request of its own', async () => {
		const bounces = fake.seedBounces(3);
		const { items, error } = await runCmc(
			fake,
			{ ...download, output: 'items', filters: { status: '={{ $json.status }}' } },
			{ continueOnFail: true, input: [{ status: 'x' }, { status: '' }] },
		);
		expect(error).toBeUndefined();
		expect(items[0]).toEqual({
			json: expect.objectContaining({ error: expect.stringMatching(/Error Status/) }),
			pairedItem: { item: 0 },
		});
		expect(items.slice(1).map((item) => item.json.to)).toEqual(bounces.map((bounce) => bounce.to));
		expect(forms('download')).toHaveLength(1);
	});

	it('a truncated ZIP or an HTML page is a clear error; the API key never shows', async () => {
		fake.seedBounces(2000);
		fake.setDownload({ truncateTo: 3000 });
		const cut = await runCmc(fake, { ...download, output: 'items' });
		expect(cut.error?.message).toMatch(/The ZIP file is damaged or incomplete/);
		fake.setDownload({ truncateTo: undefined });
		fake.server.inject({
			kind: 'status',
			status: 200,
			contentType: 'text/html',
			body: `<html>key ${fake.credentials.apiKey}</html>`,
		});
		const html = await runCmc(fake, { ...download, options: { retryAttempts: 0 } });
		expect(html.error?.message).toBe('Customers Mail Cloud sent something that is not a ZIP file');
		expect(serializeError(html.error)).not.toContain(fake.credentials.apiKey);
	});
});
