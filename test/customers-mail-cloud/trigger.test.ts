/** The polling trigger: new blocks and lifted blocks, each emitted once, no flood on the first run. */
import type { IDataObject } from 'n8n-workflow';

import { runPoll } from '../harness/engine';
import type { CustomersMailCloudFake } from '../fakes/customers-mail-cloud';
import { diffBlocks, initialWindowStart } from '../../nodes/CustomersMailCloud/helpers/blockWatch';
import { CREDENTIAL_NAME, CREDENTIAL_TYPE, credentialStore, formsTo, serializeError, useFakePerFile } from './setup';

let fake: CustomersMailCloudFake;
useFakePerFile((started) => (fake = started));

function poll(parameters: IDataObject, staticData: IDataObject, mode: 'trigger' | 'manual' = 'trigger', credentials: IDataObject = {}) {
	return runPoll({
		node: { type: 'customersMailCloudTrigger', parameters, credentials: { [CREDENTIAL_TYPE]: CREDENTIAL_NAME } },
		credentials: credentialStore(fake, credentials),
		staticData,
		mode,
	});
}

/** The trigger's state inside the workflow's static data (n8n keeps it per node). */
const watchOf = (staticData: IDataObject) =>
	(staticData['node:Node Under Test'] as { watch?: { seen: IDataObject; windowStart?: string } } | undefined)?.watch;

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);

describe('newBlock', () => {
	it('records on the first run, then emits each new block exactly once', async () => {
		fake.seed(500, { from: daysAgo(400), spacingSeconds: 40_000 });
		fake.seed(5, { from: daysAgo(0.5), spacingSeconds: 60 });
		const staticData: IDataObject = {};
		const first = await poll({ event: 'newBlock' }, staticData);
		expect(first.error).toBeUndefined();
		expect(first.items).toBeNull();
		// The first run reads only recent days, not the whole history.
		expect(formsTo(fake, 'list')[0].start_date).toBe(initialWindowStart(new Date()));
		expect(formsTo(fake, 'list')).toHaveLength(1);

		const added = [fake.addBlock({ email: 'new1@example.com', status: '2' }), fake.addBlock({ email: 'new2@example.com', status: '1' })];
		const second = await poll({ event: 'newBlock' }, staticData);
		expect(second.items?.map((item) => item.json)).toEqual(
			added.map((block) => ({ event: 'newBlock', ...block, statusText: expect.any(String) })),
		);
		expect(second.items?.[0].json.statusText).toBe('unknown user');

		const third = await poll({ event: 'newBlock' }, staticData);
		expect(third.items).toBeNull();
	});

	it('keeps only a couple of days of ids in static data', async () => {
		fake.seed(3000, { from: daysAgo(10), spacingSeconds: 150 });
		const staticData: IDataObject = {};
		await poll({ event: 'newBlock' }, staticData);
		const seen = Object.keys(watchOf(staticData)!.seen).length;
		expect(seen).toBeLessThan(3000 / 5);
	});

	it('filters by email and starts over when the filter changes', async () => {
		const staticData: IDataObject = {};
		await poll({ event: 'newBlock', filters: { email: 'vip' } }, staticData);
		expect(formsTo(fake, 'list')[0].email).toBe('vip');
		fake.addBlock({ email: 'someone@vip.example.com' });
		fake.addBlock({ email: 'other@example.com' });
		const next = await poll({ event: 'newBlock', filters: { email: 'vip' } }, staticData);
		expect(next.items?.map((item) => item.json.email)).toEqual(['someone@vip.example.com']);
		const changed = await poll({ event: 'newBlock', filters: { email: 'other' } }, staticData);
		expect(changed.items).toBeNull();
	});

	it('"Fetch Test Event" returns the newest block without touching the state', async () => {
		const blocks = fake.seed(50, { from: daysAgo(100), spacingSeconds: 3600 });
		const staticData: IDataObject = {};
		const manual = await poll({ event: 'newBlock' }, staticData, 'manual');
		expect(manual.items).toHaveLength(1);
		expect(manual.items?.[0].json.id).toBe(blocks[blocks.length - 1].id);
		expect(watchOf(staticData)).toBeUndefined();
		fake.reset();
		expect((await poll({ event: 'newBlock' }, {}, 'manual')).items).toBeNull();
	});
});

describe('blockRemoved', () => {
	it('records on the first run, then emits each lifted block once', async () => {
		const blocks = fake.seed(250);
		fake.seed(120, { removed: true });
		const staticData: IDataObject = {};
		expect((await poll({ event: 'blockRemoved' }, staticData)).items).toBeNull();
		expect(formsTo(fake, 'list').every((form) => form.removed === 'true')).toBe(true);

		// lift two blocks through the API
		const lifted = [blocks[10], blocks[20]];
		for (const block of lifted) {
			await fetch(`${fake.url}/transaction/v2/blocks/cancel.json`, {
				method: 'POST',
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({
					api_user: fake.credentials.apiUser,
					api_key: fake.credentials.apiKey,
					server_composition: 'testcomp',
					email: block.email,
				}).toString(),
			});
		}
		const next = await poll({ event: 'blockRemoved' }, staticData);
		expect(next.items?.map((item) => [item.json.event, item.json.id])).toEqual(lifted.map((block) => ['blockRemoved', block.id]));
		expect((await poll({ event: 'blockRemoved' }, staticData)).items).toBeNull();
	});

	it('"Fetch Test Event" returns the most recently lifted one (the last listed)', async () => {
		const lifted = fake.seed(5, { removed: true });
		const manual = await poll({ event: 'blockRemoved' }, {}, 'manual');
		expect(manual.items?.[0].json.id).toBe(lifted[4].id);
	});
});

describe('errors', () => {
	it('a provider error fails the poll with code and message, and no secret', async () => {
		const result = await poll({ event: 'newBlock', serverComposition: 'nope' }, {});
		expect(result.error?.message).toBe('Specified server composition, nope, was not found.');
		expect(serializeError(result.error)).not.toContain(fake.credentials.apiKey);
		const wrongKey = await poll({ event: 'newBlock' }, {}, 'trigger', { apiKey: 'bad-key-4242' });
		expect(wrongKey.error?.message).toMatch(/refused the credentials/);
		expect(serializeError(wrongKey.error)).not.toContain('bad-key-4242');
	});

	it('a failed poll keeps the previous state, so nothing is lost or repeated', async () => {
		const staticData: IDataObject = {};
		await poll({ event: 'newBlock' }, staticData);
		const before = JSON.stringify(staticData);
		fake.addBlock({ email: 'late@example.com' });
		fake.server.inject({ kind: 'status', status: 500 }, { times: 10 });
		const failed = await poll({ event: 'newBlock', options: { retryAttempts: 1, maxRetryWait: 0 } }, staticData);
		expect(failed.error).toBeDefined();
		expect(JSON.stringify(staticData)).toBe(before);
		fake.server.clearFaults();
		const next = await poll({ event: 'newBlock' }, staticData);
		expect(next.items?.map((item) => item.json.email)).toEqual(['late@example.com']);
	});
});

describe('diffBlocks (pure)', () => {
	it('moves the window to the day before the newest block and prunes older ids', () => {
		const state = { key: 'k', windowStart: '2024-01-01', seen: { a: '2024-01-01' } };
		const { fresh, next } = diffBlocks('newBlock', state, [
			{ id: 'a', created: '2024-01-01 10:00:00' },
			{ id: 'c', created: '2024-01-05 09:00:00' },
			{ id: 'b', created: '2024-01-04 09:00:00' },
		]);
		expect(fresh.map((block) => block.id)).toEqual(['b', 'c']);
		expect(next).toEqual({ key: 'k', windowStart: '2024-01-04', seen: { c: '2024-01-05', b: '2024-01-04' } });
	});
});

describe('filters', () => {
	it('an Email Contains that resolves to a list is refused before any request, naming the field', async () => {
		const { error, items } = await poll({ event: 'newBlock', filters: { email: "={{ ['a@x.jp', 'b@x.jp'] }}" } }, {});
		expect(items).toBeNull();
		expect(error?.message).toBe('Email Contains must be one address, not a list');
		expect(fake.server.requests).toHaveLength(0);
	});
});
