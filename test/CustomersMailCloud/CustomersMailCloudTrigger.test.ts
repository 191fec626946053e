/** The polling trigger: new blocks and lifted blocks, each emitted once, no flood on the first run. */
import type { IDataObject } from 'n8n-workflow';

import { PersistedStaticData, emittedAcrossRestarts, type Step } from '../harness/restart';
import type { CustomersMailCloudFake } from '../fakes/customers-mail-cloud';
import { diffBlocks, initialWindowStart } from '../../nodes/CustomersMailCloud/helpers/blockWatch';
import { formsTo, serializeError, pollTrigger, useFakePerFile } from './setup';

let fake: CustomersMailCloudFake;
useFakePerFile((started) => (fake = started));

/** One poll against this file's fake. */
function poll(
	parameters: IDataObject,
	staticData: IDataObject,
	mode: 'trigger' | 'manual' = 'trigger',
	credentials: IDataObject = {},
) {
	return pollTrigger(fake, parameters, staticData, mode, credentials);
}

/** The trigger's state inside the workflow's static data (n8n keeps it per node). */
const watchOf = (staticData: IDataObject) =>
	(
		staticData['node:Node Under Test'] as
			| { watch?: { seen: IDataObject; windowStart?: string } }
			| undefined
	)?.watch;

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);

/** Lifts a block through the API, as a user would. */
async function cancel(email: string): Promise<void> {
	const response = await fetch(`${fake.url}/transaction/v2/blocks/cancel.json`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({
			api_user: fake.credentials.apiUser,
			api_key: fake.credentials.apiKey,
			server_composition: 'testcomp',
			email,
		}).toString(),
	});
	expect(response.status).toBe(200);
}

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

		const added = [
			fake.addBlock({ email: 'new1@example.com', status: '2' }),
			fake.addBlock({ email: 'new2@example.com', status: '1' }),
		];
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

	it('"Fetch Test Event" reads one page of the last days, not all of them', async () => {
		fake.seed(450, { from: daysAgo(0.9), spacingSeconds: 60 });
		const manual = await poll({ event: 'newBlock' }, {}, 'manual');
		expect(formsTo(fake, 'list')).toEqual([
			expect.objectContaining({ p: '0', r: '100', start_date: initialWindowStart(new Date()) }),
		]);
		expect(manual.items).toHaveLength(1);
	});

	it('a block of an address blocked again under the same id is new; a state of the version that kept days still works', () => {
		const state = {
			key: 'k',
			windowStart: '2024-01-01',
			seen: { a: '2024-01-01 08:00:00', old: '2024-01-01' },
		};
		const { fresh } = diffBlocks('newBlock', state, [
			{ id: 'a', created: '2024-01-01 08:00:00' },
			{ id: 'a', created: '2024-01-01 10:00:00' },
			{ id: 'old', created: '2024-01-01 07:00:00' },
			{ id: 'old', created: '2024-01-03 07:00:00' },
		]);
		expect(fresh.map((block) => [block.id, block.created])).toEqual([
			['a', '2024-01-01 10:00:00'],
			['old', '2024-01-03 07:00:00'],
		]);
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
		expect(next.items?.map((item) => [item.json.event, item.json.id])).toEqual(
			lifted.map((block) => ['blockRemoved', block.id]),
		);
		expect((await poll({ event: 'blockRemoved' }, staticData)).items).toBeNull();
	});

	it('"Fetch Test Event" returns the most recently lifted one (the last listed)', async () => {
		const lifted = fake.seed(5, { removed: true });
		const manual = await poll({ event: 'blockRemoved' }, {}, 'manual');
		expect(manual.items?.[0].json.id).toBe(lifted[4].id);
	});

	it('"Fetch Test Event" reads one page, never the whole removed list', async () => {
		const lifted = fake.seed(1050, { removed: true });
		const manual = await poll({ event: 'blockRemoved' }, {}, 'manual');
		expect(formsTo(fake, 'list')).toEqual([
			expect.objectContaining({ removed: 'true', p: '0', r: '100' }),
		]);
		expect(manual.items?.map((item) => item.json.id)).toEqual([lifted[99].id]);
	});

	it('an address blocked and lifted again counts as a new lift, even under the same id', async () => {
		const [block] = fake.seed(1);
		const staticData: IDataObject = {};
		await poll({ event: 'blockRemoved' }, staticData);
		await cancel(block.email);
		expect(
			(await poll({ event: 'blockRemoved' }, staticData)).items?.map((item) => item.json.id),
		).toEqual([block.id]);
		// Blocked again later under the same id (the API does not say ids are new), then lifted again.
		fake.removedBlocks().splice(0, fake.removedBlocks().length);
		fake.addBlock({ ...block, created: '2099-01-01 00:00:00' });
		expect((await poll({ event: 'blockRemoved' }, staticData)).items).toBeNull();
		await cancel(block.email);
		const again = await poll({ event: 'blockRemoved' }, staticData);
		expect(again.items?.map((item) => [item.json.id, item.json.created])).toEqual([
			[block.id, '2099-01-01 00:00:00'],
		]);
	});

	it('resumes from a state saved by the version that kept only ids, without emitting again', async () => {
		const lifted = fake.seed(3, { removed: true });
		const key = JSON.stringify(['blockRemoved', 'testcomp', '']);
		const seen = Object.fromEntries(lifted.map((block) => [block.id, '']));
		const staticData: IDataObject = { 'node:Node Under Test': { watch: { key, seen } } };
		expect((await poll({ event: 'blockRemoved' }, staticData)).items).toBeNull();
		const [block] = fake.seed(1);
		await cancel(block.email);
		expect(
			(await poll({ event: 'blockRemoved' }, staticData)).items?.map((item) => item.json.id),
		).toEqual([block.id]);
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
		const failed = await poll(
			{ event: 'newBlock', options: { retryAttempts: 1, maxRetryWait: 0 } },
			staticData,
		);
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
		expect(next).toEqual({
			key: 'k',
			windowStart: '2024-01-04',
			seen: { c: '2024-01-05 09:00:00', b: '2024-01-04 09:00:00' },
		});
	});
});

describe('filters', () => {
	it('an Email Contains that resolves to a list is refused before any request, naming the field', async () => {
		const { error, items } = await poll(
			{ event: 'newBlock', filters: { email: "={{ ['a@x.jp', 'b@x.jp'] }}" } },
			{},
		);
		expect(items).toBeNull();
		expect(error?.message).toBe('Email Contains must be one address, not a list');
		expect(fake.server.requests).toHaveLength(0);
	});
});

describe('Minimum Poll Interval', () => {
	const pacingOf = (staticData: IDataObject) =>
		(staticData['node:Node Under Test'] as { pacing?: { lastPollAt: number } } | undefined)?.pacing;

	it('by default (1 hour) a poll soon after the last one is skipped without any request, and an hour later it polls', async () => {
		const staticData: IDataObject = {};
		const defaults = { event: 'newBlock', options: { minPollInterval: undefined } };
		await poll(defaults, staticData);
		const added = fake.addBlock({ email: 'paced@example.com' });
		fake.server.resetLog();
		const soon = await poll(defaults, staticData);
		expect(soon.error).toBeUndefined();
		expect(soon.items).toBeNull();
		expect(fake.server.requests).toHaveLength(0);
		// 61 minutes later (the remembered time moved back instead of the clock moving on).
		const node = staticData['node:Node Under Test'] as { pacing: { lastPollAt: number } };
		node.pacing.lastPollAt -= 61 * 60_000;
		const later = await poll(defaults, staticData);
		expect(later.items?.map((item) => item.json.id)).toEqual([added.id]);
		expect(fake.server.requests).toHaveLength(1);
	});

	it('counts in minutes, skips nothing at 0, and a changed event polls at once', async () => {
		const staticData: IDataObject = {};
		await poll({ event: 'newBlock', options: { minPollInterval: 5 } }, staticData);
		const first = pacingOf(staticData)!.lastPollAt;
		(staticData['node:Node Under Test'] as { pacing: { lastPollAt: number } }).pacing.lastPollAt =
			first - 4 * 60_000;
		fake.server.resetLog();
		await poll({ event: 'newBlock', options: { minPollInterval: 5 } }, staticData);
		expect(fake.server.requests).toHaveLength(0);
		(staticData['node:Node Under Test'] as { pacing: { lastPollAt: number } }).pacing.lastPollAt =
			first - 6 * 60_000;
		await poll({ event: 'newBlock', options: { minPollInterval: 5 } }, staticData);
		expect(fake.server.requests).toHaveLength(1);
		await poll({ event: 'newBlock', options: { minPollInterval: 0 } }, staticData);
		expect(fake.server.requests).toHaveLength(2);
		await poll({ event: 'blockRemoved', options: { minPollInterval: 60 } }, staticData);
		expect(fake.server.requests).toHaveLength(3);
	});

	it('a failed poll does not count: the next one tries again', async () => {
		const staticData: IDataObject = {};
		await poll({ event: 'newBlock', options: { minPollInterval: 60 } }, staticData);
		(staticData['node:Node Under Test'] as { pacing: { lastPollAt: number } }).pacing.lastPollAt -=
			61 * 60_000;
		const before = pacingOf(staticData)!.lastPollAt;
		fake.server.inject({ kind: 'status', status: 500 }, { times: 10 });
		const failed = await poll(
			{ event: 'newBlock', options: { minPollInterval: 60, retryAttempts: 0 } },
			staticData,
		);
		expect(failed.error).toBeDefined();
		expect(pacingOf(staticData)!.lastPollAt).toBe(before);
		fake.server.clearFaults();
		fake.server.resetLog();
		await poll({ event: 'newBlock', options: { minPollInterval: 60 } }, staticData);
		expect(fake.server.requests).toHaveLength(1);
	});

	it('"Fetch Test Event" is never skipped', async () => {
		fake.seed(3, { from: daysAgo(0.5) });
		const staticData: IDataObject = {};
		await poll({ event: 'newBlock', options: { minPollInterval: 60 } }, staticData);
		const manual = await poll(
			{ event: 'newBlock', options: { minPollInterval: 60 } },
			staticData,
			'manual',
		);
		expect(manual.items).toHaveLength(1);
	});
});

describe('restarts (n8n saves static data only after activation and after a poll that emits)', () => {
	it('a silent poll leaves the saved state as it is, even when blocks went away', async () => {
		const blocks = fake.seed(5, { from: daysAgo(0.5), spacingSeconds: 60 });
		const persisted = new PersistedStaticData();
		await poll({ event: 'newBlock' }, persisted.memory);
		persisted.afterPoll(false);
		await cancel(blocks[0].email);
		const silent = await poll({ event: 'newBlock' }, persisted.memory);
		expect(silent.items).toBeNull();
		expect(watchOf(persisted.memory)).toEqual(watchOf(persisted.savedCopy));
	});

	// New blocks get the current time from the fake, so runs differ in `created`: their address is the key.
	const emittedKey = (event: string, items: Array<{ json: IDataObject }> | null) =>
		(items ?? []).map((item) =>
			event === 'newBlock'
				? String(item.json.email)
				: `${String(item.json.email)}@${String(item.json.created)}`,
		);

	it.each(['newBlock', 'blockRemoved'] as const)(
		'%s: with a restart before any poll, every event comes out exactly once, as without one',
		async (event) => {
			let seeded: Array<{ email: string }> = [];
			let at = 0;
			const from = daysAgo(0.5);
			const later = () => `2099-01-01 00:00:${String(at++).padStart(2, '0')}`;
			const lift = (index: number) => async () => await cancel(seeded[index].email);
			const steps: Step[] =
				event === 'newBlock'
					? [
							'poll',
							'poll',
							() => void fake.addBlock({ email: 'n1@example.com' }),
							'poll',
							'poll',
							lift(0),
							'poll',
							() => void fake.addBlock({ email: 'n2@example.com' }),
							() => void fake.addBlock({ email: 'n3@example.com' }),
							'poll',
							'poll',
							() => void fake.addBlock({ email: 'n4@example.com' }),
							'poll',
						]
					: [
							'poll',
							'poll',
							lift(1),
							'poll',
							'poll',
							lift(2),
							lift(3),
							'poll',
							// blocked again under the same id, a silent poll, lifted again
							() => {
								const removed = fake.removedBlocks();
								const index = removed.findIndex((block) => block.email === seeded[1].email);
								const [block] = removed.splice(index, 1);
								fake.addBlock({ ...block, created: later() });
							},
							'poll',
							lift(1),
							'poll',
							'poll',
						];
			const { baseline, withRestart } = await emittedAcrossRestarts(
				steps,
				async (staticData) => {
					const result = await poll({ event }, staticData);
					expect(result.error).toBeUndefined();
					return emittedKey(event, result.items);
				},
				() => {
					fake.reset();
					at = 0;
					seeded = fake.seed(6, { from, spacingSeconds: 60, prefix: 'restart' });
				},
			);
			expect(baseline).toHaveLength(4);
			expect(new Set(baseline).size).toBe(baseline.length);
			for (const run of withRestart)
				expect({ ...run, emitted: [...run.emitted].sort() }).toEqual({
					...run,
					emitted: [...baseline].sort(),
				});
		},
	);
});
