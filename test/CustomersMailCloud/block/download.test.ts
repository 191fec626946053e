/** Block → Download: the ZIP as binary data, or unzipped into items (plain, ZipCrypto, AES). */
import type { CustomersMailCloudFake, ZipEncryption } from '../../fakes/customers-mail-cloud';
import { formsTo, runCmc, serializeError, useFakePerFile } from '../setup';

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

describe('binary output', () => {
	it('returns the ZIP as binary data named as the API names it, in the chosen field', async () => {
		fake.seed(500);
		const { items, error } = await runCmc(fake, {
			operation: 'download',
			output: 'binary',
			binaryPropertyName: 'zip',
			filters: { email: 'example', startDate: '2024-01-01', removed: true },
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		const binary = items[0].binary!.zip;
		expect(binary.fileName).toMatch(/^blocks-\d{8}_\d{6}\.zip$/);
		expect(binary.mimeType).toBe('application/zip');
		expect(items[0].json.fileName).toBe(binary.fileName);
		expect(items[0].pairedItem).toEqual({ item: 0 });
		expect(formsTo(fake, 'download')[0]).toMatchObject({
			email: 'example',
			start_date: '2024-01-01',
			removed: 'true',
		});
	});

	it('names the file blocks-yyyyMMdd_HHmmss.zip when the API sends no name', async () => {
		fake.seed(5);
		fake.setDownload({ omitFileName: true });
		const { items } = await runCmc(fake, { operation: 'download' });
		expect(items[0].binary!.data.fileName).toMatch(/^blocks-\d{8}_\d{6}\.zip$/);
	});
});

describe('an answer that is not a ZIP file', () => {
	it.each(['binary', 'items'])(
		'an HTML page with HTTP 200 is a clear error in %s output, never a file or "damaged ZIP"',
		async (output) => {
			fake.seed(5);
			fake.server.inject({ kind: 'html', status: 200 }, { times: 10 });
			const { items, error } = await runCmc(fake, {
				operation: 'download',
				output,
				options: { retryAttempts: 0 },
			});
			expect(items).toHaveLength(0);
			expect(error?.message).toBe('Customers Mail Cloud sent something that is not a ZIP file');
			// A provider's answer, not the node's input: an API error with the status it came with.
			expect(error?.name).toBe('NodeApiError');
			expect(error?.httpCode).toBe('200');
			expect(String(error?.description)).toContain('Bad Gateway');
			expect(String(error?.description)).toContain('Host');
		},
	);
});

it('a page that echoes the request (API key included) is quoted without the key', async () => {
	const apiKey = fake.credentials.apiKey;
	fake.server.inject({
		kind: 'status',
		status: 200,
		contentType: 'text/html',
		body: `<html><body>Blocked request key ${apiKey}</body></html>`,
	});
	const { error } = await runCmc(fake, { operation: 'download', options: { retryAttempts: 0 } });
	expect(error?.message).toBe('Customers Mail Cloud sent something that is not a ZIP file');
	expect(String(error?.description)).toContain('Blocked request key');
	expect(serializeError(error)).not.toContain(apiKey);
});

describe('items output', () => {
	it('gives one item per CSV row, the same items as Get Many Return All', async () => {
		fake.seed(1234);
		const downloaded = await runCmc(fake, { operation: 'download', output: 'items' });
		const listed = await runCmc(fake, { operation: 'getAll', returnAll: true });
		expect(downloaded.items).toHaveLength(1234);
		expect(downloaded.items.map((item) => item.json)).toEqual(
			listed.items.map((item) => item.json),
		);
		expect(downloaded.items.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(
			true,
		);
	});

	const encrypted: Array<[string, ZipEncryption, boolean]> = [
		['ZipCrypto', { kind: 'zipcrypto', password: 'zip-pass-1' }, false],
		['ZipCrypto with data descriptor', { kind: 'zipcrypto', password: 'zip-pass-1' }, true],
		['AES-128 (AE-1)', { kind: 'aes', password: 'zip-pass-1', strength: 1, version: 1 }, false],
		['AES-256 (AE-2)', { kind: 'aes', password: 'zip-pass-1', strength: 3, version: 2 }, false],
	];

	it.each(encrypted)(
		"decrypts a %s ZIP with the credential's ZIP Password",
		async (_name, encryption, dataDescriptor) => {
			const blocks = fake.seed(300);
			fake.setDownload({ encryption, dataDescriptor });
			const { items, error } = await runCmc(
				fake,
				{ operation: 'download', output: 'items' },
				{ credentials: { zipPassword: 'zip-pass-1' } },
			);
			expect(error).toBeUndefined();
			expect(items.map((item) => item.json.id)).toEqual(blocks.map((block) => block.id));
		},
	);

	it.each(encrypted)(
		'a wrong or missing password on a %s ZIP is a clear error, never garbage',
		async (_name, encryption) => {
			fake.seed(300);
			fake.setDownload({ encryption });
			const wrong = await runCmc(
				fake,
				{ operation: 'download', output: 'items' },
				{ credentials: { zipPassword: 'not-it-987' } },
			);
			expect(wrong.items).toHaveLength(0);
			expect(wrong.error?.message).toMatch(/password is wrong|authentication check/);
			expect(String(wrong.error?.description)).toContain(
				'"ZIP Password" in the Customers Mail Cloud credential',
			);
			expect(serializeError(wrong.error)).not.toContain('not-it-987');
			const missing = await runCmc(fake, { operation: 'download', output: 'items' });
			expect(missing.error?.message).toBe('The ZIP file is encrypted and no password was given');
			expect(String(missing.error?.description)).toContain('data encryption');
			expect(String(missing.error?.description)).toContain('credential');
		},
	);

	it('the ZIP password is no node option any more, and never shows in what a run produces', async () => {
		const node = (await import('../../harness/node-types')).loadNodeTypes;
		const nodeTypes = await node([]);
		const { description } = nodeTypes.getByNameAndVersion(
			'n8n-nodes-delivery-reports.customersMailCloud',
			1,
		);
		const options = description.properties.filter((property) => property.name === 'options');
		expect(
			options.flatMap((property) => property.options ?? []).map((option) => option.name),
		).not.toContain('zipPassword');
		fake.seed(20);
		fake.setDownload({ encryption: { kind: 'aes', password: 'zip-pass-leak-1' } });
		const right = await runCmc(
			fake,
			{ operation: 'download', output: 'items' },
			{ credentials: { zipPassword: 'zip-pass-leak-1' } },
		);
		expect(right.items).toHaveLength(20);
		expect(JSON.stringify(right.run)).not.toContain('zip-pass-leak-1');
		fake.setDownload({ encryption: { kind: 'zipcrypto', password: 'other-pass' } });
		const wrong = await runCmc(
			fake,
			{ operation: 'download', output: 'items' },
			{ credentials: { zipPassword: 'zip-pass-leak-1' } },
		);
		expect(wrong.error).toBeDefined();
		expect(serializeError(wrong.error)).not.toContain('zip-pass-leak-1');
		expect(JSON.stringify(wrong.run)).not.toContain('zip-pass-leak-1');
	});

	it('a truncated ZIP is a clear error', async () => {
		fake.seed(2000);
		fake.setDownload({ truncateTo: 5000 });
		const { error, items } = await runCmc(fake, { operation: 'download', output: 'items' });
		expect(items).toHaveLength(0);
		expect(error?.message).toMatch(/The ZIP file is damaged or incomplete/);
	});

	it('with Continue On Fail a wrong password fails each item alone, paired to it', async () => {
		fake.seed(10);
		fake.setDownload({ encryption: { kind: 'aes', password: 'right-pass' } });
		const { items, error } = await runCmc(
			fake,
			{ operation: 'download', output: 'items' },
			{ continueOnFail: true, input: [{}, {}], credentials: { zipPassword: 'wrong-pass' } },
		);
		expect(error).toBeUndefined();
		expect(items).toEqual([
			{
				json: expect.objectContaining({ error: expect.stringMatching(/password/) }),
				pairedItem: { item: 0 },
			},
			{
				json: expect.objectContaining({ error: expect.stringMatching(/password/) }),
				pairedItem: { item: 1 },
			},
		]);
		expect(JSON.stringify(items)).not.toContain('wrong-pass');
	});

	it('provider errors and local validation work as for Get Many', async () => {
		const unknown = await runCmc(fake, { operation: 'download', serverComposition: 'nope' });
		expect(unknown.error?.message).toBe('Specified server composition, nope, was not found.');
		const denied = await runCmc(fake, { operation: 'download', serverComposition: 'denied-comp' });
		expect(denied.error?.message).toBe('Access to the specified data was denied.');
		fake.server.resetLog();
		const dates = await runCmc(fake, {
			operation: 'download',
			filters: { startDate: '2024-03-02', endDate: '2024-03-01' },
		});
		expect(dates.error?.message).toMatch(/is after End Date/);
		expect(fake.server.requests).toHaveLength(0);
	});

	it('retries a 500 on the download (safe to repeat)', async () => {
		fake.seed(10);
		fake.server.inject({ kind: 'status', status: 500 }, { times: 1 });
		const { items, error } = await runCmc(fake, {
			operation: 'download',
			output: 'items',
			options: { maxRetryWait: 0 },
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(10);
	});
});
