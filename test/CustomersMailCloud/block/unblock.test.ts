/** Block → Unblock Permanently (delete) and Unblock Once (cancel). */
import { DEFAULT_ITEM_CONCURRENCY } from '../../../nodes/shared/description/options';
import type { CustomersMailCloudFake } from '../../fakes/customers-mail-cloud';
import { formsTo, runCmc, serializeError, useFakePerFile } from '../setup';

let fake: CustomersMailCloudFake;
useFakePerFile((started) => (fake = started));

describe.each(['delete', 'cancel'])('%s', (operation) => {
	it('lifts the block of each input item, matching the address ignoring case, and moves it to the removed list', async () => {
		const blocks = fake.seed(5);
		const emails = [blocks[1].email.toUpperCase(), blocks[3].email];
		const { items, error } = await runCmc(
			fake,
			{ operation, email: '={{ $json.address }}' },
			{ input: emails.map((address) => ({ address })) },
		);
		expect(error).toBeUndefined();
		expect(items).toEqual([
			{ json: { email: emails[0], result: 'success' }, pairedItem: { item: 0 } },
			{ json: { email: emails[1], result: 'success' }, pairedItem: { item: 1 } },
		]);
		expect(fake.blocks().map((block) => block.id)).toEqual([
			blocks[0].id,
			blocks[2].id,
			blocks[4].id,
		]);
		expect(fake.removedBlocks().map((block) => block.id)).toEqual(
			expect.arrayContaining([blocks[1].id, blocks[3].id]),
		);
		expect(formsTo(fake, operation).map((form) => form.email)).toEqual(
			expect.arrayContaining(emails),
		);
	});

	it.each([
		[undefined, DEFAULT_ITEM_CONCURRENCY],
		[5, 5],
	])(
		'Parallel Requests %s: 200 addresses with at most %i requests in flight, every one lifted',
		async (concurrency, bound) => {
			const blocks = fake.seed(200);
			// Slow answers make the requests in flight visible to the fake.
			fake.server.inject({ kind: 'delay', ms: 30 }, { times: 200 });
			const { items, error } = await runCmc(
				fake,
				{
					operation,
					email: '={{ $json.email }}',
					options: concurrency === undefined ? {} : { concurrency },
				},
				{ input: blocks.map((block) => ({ email: block.email })) },
			);
			expect(error).toBeUndefined();
			expect(items.map((item) => item.json.result)).toEqual(blocks.map(() => 'success'));
			expect(fake.server.maxInFlight).toBe(bound);
		},
	);

	it('12-001 (not in the list) is an error by default, with code, field and message', async () => {
		const { error } = await runCmc(fake, { operation, email: 'nobody@example.com' });
		expect(error?.message).toBe('It does not exist the data specified in the email.');
		expect(String(error?.description)).toContain('code 12-001');
		expect(String(error?.description)).toContain('field "email"');
	});

	it('Output Not Found Instead of Failing gives result "notFound"', async () => {
		const [block] = fake.seed(1);
		const { items } = await runCmc(
			fake,
			{ operation, email: '={{ $json.e }}', options: { returnNotFound: true } },
			{ input: [{ e: 'nobody@example.com' }, { e: block.email }] },
		);
		expect(items.map((item) => item.json)).toEqual([
			{ email: 'nobody@example.com', result: 'notFound' },
			{ email: block.email, result: 'success' },
		]);
		const other = await runCmc(fake, {
			operation,
			email: 'x@y.z',
			serverComposition: 'nope',
			options: { returnNotFound: true },
		});
		expect(other.error?.message).toMatch(/server composition, nope/);
	});

	it('Output Not Found does not hide another error that comes with 12-001', async () => {
		fake.server.inject({
			kind: 'status',
			status: 400,
			body: '{"errors":[{"code":"12-001","field":"email","message":"It does not exist the data specified in the email."},{"code":"10-002","field":"server_composition","message":"Specified server composition, x, was not found."}]}',
		});
		const { items, error } = await runCmc(fake, {
			operation,
			email: 'a@b.c',
			options: { returnNotFound: true },
		});
		expect(items).toHaveLength(0);
		expect(error?.message).toContain('Specified server composition, x, was not found.');
	});

	it('an empty email is refused before any request; with Continue On Fail the other items still run', async () => {
		const blocks = fake.seed(3);
		// A literal empty value is caught by n8n itself (Email is required); an expression by the node.
		// n8n 2.8 says "The workflow has issues", 2.41 "The '…' node has issues".
		await expect(runCmc(fake, { operation, email: '' })).rejects.toThrow(/has issues/);
		const alone = await runCmc(fake, { operation, email: '={{ "" }}' });
		expect(alone.error?.message).toBe('Email is empty');
		expect(String(alone.error?.description)).toContain('{{ $json.email }}');
		expect(fake.server.requests).toHaveLength(0);
		const { items, error } = await runCmc(
			fake,
			{ operation, email: '={{ $json.e }}' },
			{
				continueOnFail: true,
				input: [
					{ e: blocks[0].email },
					{ e: '  ' },
					{ e: 'missing@example.com' },
					{ e: blocks[2].email },
				],
			},
		);
		expect(error).toBeUndefined();
		expect(
			items.map((item) => [item.pairedItem, item.json.result ?? item.json.code ?? item.json.error]),
		).toEqual([
			[{ item: 0 }, 'success'],
			[{ item: 1 }, 'Email is empty'],
			[{ item: 2 }, '12-001'],
			[{ item: 3 }, 'success'],
		]);
		expect(formsTo(fake, operation)).toHaveLength(3);
	});

	it('an Email that is not one address (a list, an object) is refused before any request, naming the field', async () => {
		const blocks = fake.seed(3);
		const { items, error } = await runCmc(
			fake,
			{ operation, email: '={{ $json.e }}' },
			{
				continueOnFail: true,
				input: [
					{ e: [blocks[0].email, blocks[1].email] },
					{ e: { address: blocks[1].email } },
					{ e: blocks[2].email },
				],
			},
		);
		expect(error).toBeUndefined();
		expect(items.map((item) => [item.pairedItem, item.json.result ?? item.json.error])).toEqual([
			[{ item: 0 }, 'Email must be one address, not a list'],
			[{ item: 1 }, 'Email must be one address, not an object'],
			[{ item: 2 }, 'success'],
		]);
		expect(String(items[0].json.description)).toContain('Split Out');
		expect(formsTo(fake, operation).map((form) => form.email)).toEqual([blocks[2].email]);
	});

	it('an answer without {"message":"success"} is not reported as success', async () => {
		const blocks = fake.seed(2);
		fake.server.inject({ kind: 'status', status: 200, body: '{"result":"queued"}' });
		const { items, error } = await runCmc(
			fake,
			{ operation, email: '={{ $json.e }}', options: { concurrency: 1 } },
			{ continueOnFail: true, input: [{ e: blocks[0].email }, { e: blocks[1].email }] },
		);
		expect(error).toBeUndefined();
		expect(items[0].json.error).toBe(
			'Customers Mail Cloud did not confirm that the block was lifted',
		);
		expect(items[0].json.httpCode).toBe('200');
		expect(String(items[0].json.description)).toContain('queued');
		expect(items[0].pairedItem).toEqual({ item: 0 });
		expect(items[1]).toEqual({
			json: { email: blocks[1].email, result: 'success' },
			pairedItem: { item: 1 },
		});
	});

	it('several errors in one answer are all shown, and Continue On Fail items carry them all', async () => {
		fake.server.inject(
			{
				kind: 'status',
				status: 400,
				body: '{"errors":[{"code":"10-002","field":"server_composition","message":"Specified server composition, x, was not found."},{"code":"12-001","field":"email","message":"It does not exist the data specified in the email."}]}',
			},
			{ times: 2 },
		);
		const failed = await runCmc(fake, { operation, email: 'a@b.c' });
		expect(failed.error?.message).toContain('Specified server composition, x, was not found.');
		expect(failed.error?.message).toContain('It does not exist the data specified in the email.');
		expect(String(failed.error?.description)).toContain('code 10-002');
		expect(String(failed.error?.description)).toContain('code 12-001');
		const { items } = await runCmc(fake, { operation, email: 'a@b.c' }, { continueOnFail: true });
		expect(items[0].json).toMatchObject({ code: '10-002', field: 'server_composition' });
		expect(items[0].json.errors).toHaveLength(2);
	});

	it('is not repeated after a 500 (it changes data) but is after a 429', async () => {
		const blocks = fake.seed(2);
		fake.server.inject({ kind: 'status', status: 500, body: '{}' });
		const failed = await runCmc(fake, {
			operation,
			email: blocks[0].email,
			options: { maxRetryWait: 0 },
		});
		expect(failed.error?.httpCode).toBe('500');
		expect(formsTo(fake, operation)).toHaveLength(1);
		fake.server.resetLog();
		fake.server.inject({ kind: 'rateLimit', retryAfterSeconds: 0 });
		const retried = await runCmc(fake, { operation, email: blocks[1].email });
		expect(retried.items[0].json.result).toBe('success');
		expect(formsTo(fake, operation)).toHaveLength(2);
	});

	it('never leaks the API key, whatever fails', async () => {
		const apiKey = fake.credentials.apiKey;
		fake.server.inject({
			kind: 'status',
			status: 400,
			body: `{"errors":[{"code":"99","field":"api_key","message":"bad key ${apiKey}"}]}`,
		});
		const echoed = await runCmc(fake, { operation, email: 'a@b.c' }, { continueOnFail: true });
		expect(JSON.stringify(echoed.items)).not.toContain(apiKey);
		expect(JSON.stringify(echoed.items)).toContain('[redacted]');
		fake.server.inject({ kind: 'dropConnection' });
		const dropped = await runCmc(fake, { operation, email: 'a@b.c' });
		for (const failing of [
			dropped.error,
			(
				await runCmc(
					fake,
					{ operation, email: 'a@b.c' },
					{ credentials: { apiKey: 'other-key-777' } },
				)
			).error,
			(await runCmc(fake, { operation, email: 'a@b.c', serverComposition: 'nope' })).error,
		]) {
			expect(failing).toBeDefined();
			const text = serializeError(failing);
			expect(text).not.toContain(apiKey);
			expect(text).not.toContain('other-key-777');
		}
	});
});

it('the two operations explain their difference', () => {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const {
		CustomersMailCloud,
	} = require('../../../dist/nodes/CustomersMailCloud/CustomersMailCloud.node.js');
	const node = new CustomersMailCloud();
	const operation = node.description.properties.find(
		(property: { name: string }) => property.name === 'operation',
	);
	const byValue = Object.fromEntries(
		operation.options.map((option: { value: string }) => [option.value, option]),
	);
	expect(byValue.delete.name).toBe('Unblock Permanently');
	expect(byValue.delete.description).toMatch(/never blocked again/);
	expect(byValue.cancel.name).toBe('Unblock Once');
	expect(byValue.cancel.description).toMatch(/blocked again if send errors recur/);
	expect(node.description.usableAsTool).toBe(true);
	expect(node.description.subtitle).toBe(
		'={{$parameter["operation"] + ": " + $parameter["resource"]}}',
	);
});
