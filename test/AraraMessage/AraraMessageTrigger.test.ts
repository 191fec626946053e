import type { IDataObject } from 'n8n-workflow';

import type { AraraFake } from '../fakes/arara-message';
import { emittedAcrossRestarts, type Step } from '../harness/restart';
import { credentialStore, pollArara, startFake } from './setup';

const HOUR = 3_600_000;

describe('Arara Message Trigger', () => {
	let fake: AraraFake;
	beforeEach(async () => {
		fake = await startFake();
		const now = Date.now();
		fake.seed(40, now - 20 * HOUR, now - HOUR, 3);
		// Outside a 24-hour look-back: never emitted.
		fake.seed(10, now - 72 * HOUR, now - 48 * HOUR, 4);
	});
	afterEach(async () => await fake.close());

	it('records statuses on the first poll without emitting, then emits only changes (and new deliveries)', async () => {
		const credentials = credentialStore(fake);
		const staticData: IDataObject = {};
		const parameters = { lookBackHours: 24 };
		const first = await pollArara({ parameters, credentials, staticData });
		expect(first.error).toBeUndefined();
		expect(first.items).toBeNull();
		const known = (staticData['node:Node Under Test'] as IDataObject).statuses;
		expect(Object.keys(known as IDataObject)).toHaveLength(40);

		expect((await pollArara({ parameters, credentials, staticData })).items).toBeNull();

		const recent = fake.store
			.all()
			.filter((delivery) => delivery.reservedAt > Date.now() - 24 * HOUR);
		const changed = recent[5];
		const before = changed.status;
		fake.setStatus(changed.delivery_id, before === 'failed' ? 'finished' : 'failed');
		const old = fake.store.all().find((delivery) => delivery.reservedAt < Date.now() - 48 * HOUR)!;
		fake.setStatus(old.delivery_id, 'failed');
		const [added] = fake.seed(1, Date.now() - 2 * HOUR, Date.now() - HOUR, 9);

		const third = await pollArara({ parameters, credentials, staticData });
		expect(third.error).toBeUndefined();
		const emitted = (third.items ?? []).map((item) => item.json);
		expect(emitted.map((json) => json.delivery_id).sort()).toEqual(
			[changed.delivery_id, added.delivery_id].sort(),
		);
		expect(emitted.find((json) => json.delivery_id === changed.delivery_id)).toMatchObject({
			status: changed.status,
			previous_status: before,
		});
		expect(
			emitted.find((json) => json.delivery_id === added.delivery_id)?.previous_status,
		).toBeNull();
		expect((await pollArara({ parameters, credentials, staticData })).items).toBeNull();
		// One token for all polls.
		expect(fake.tokenRequests()).toHaveLength(1);
	});

	it('emits only the chosen statuses', async () => {
		const credentials = credentialStore(fake);
		const staticData: IDataObject = {};
		const parameters = { lookBackHours: 24, statuses: ['failed'] };
		await pollArara({ parameters, credentials, staticData });
		const recent = fake.store
			.all()
			.filter((delivery) => delivery.reservedAt > Date.now() - 24 * HOUR);
		const toFailed = recent.find((delivery) => delivery.status !== 'failed')!;
		const toFinished = recent.find(
			(delivery) => delivery.status !== 'finished' && delivery !== toFailed,
		)!;
		fake.setStatus(toFailed.delivery_id, 'failed');
		fake.setStatus(toFinished.delivery_id, 'finished');
		const { items } = await pollArara({ parameters, credentials, staticData });
		expect((items ?? []).map((item) => item.json.delivery_id)).toEqual([toFailed.delivery_id]);
	});

	it('a longer look-back on an active trigger does not flood: deliveries it newly covers are recorded, not emitted', async () => {
		const credentials = credentialStore(fake);
		const staticData: IDataObject = {};
		// All 40 were reserved 1 to 20 hours ago: a 1-hour look-back sees none of them.
		expect(
			(await pollArara({ parameters: { lookBackHours: 1 }, credentials, staticData })).items,
		).toBeNull();
		const widened = await pollArara({ parameters: { lookBackHours: 24 }, credentials, staticData });
		expect(widened.error).toBeUndefined();
		expect(widened.items).toBeNull();
		const recent = fake.store
			.all()
			.filter((delivery) => delivery.reservedAt > Date.now() - 24 * HOUR);
		fake.setStatus(recent[0].delivery_id, recent[0].status === 'failed' ? 'finished' : 'failed');
		const next = await pollArara({ parameters: { lookBackHours: 24 }, credentials, staticData });
		expect((next.items ?? []).map((item) => item.json.delivery_id)).toEqual([
			recent[0].delivery_id,
		]);
		// A delivery that is new after the widening still counts as new.
		const [added] = fake.seed(1, Date.now() - 2 * HOUR, Date.now() - HOUR, 12);
		const after = await pollArara({ parameters: { lookBackHours: 24 }, credentials, staticData });
		expect(
			(after.items ?? []).map((item) => [item.json.delivery_id, item.json.previous_status]),
		).toEqual([[added.delivery_id, null]]);
	});

	it('manual test returns the newest delivery and keeps no state', async () => {
		const staticData: IDataObject = {};
		const { items, error } = await pollArara({
			parameters: { lookBackHours: 24 },
			credentials: credentialStore(fake),
			staticData,
			mode: 'manual',
		});
		expect(error).toBeUndefined();
		const recent = fake.store
			.all()
			.filter((delivery) => delivery.reservedAt > Date.now() - 24 * HOUR);
		const newest = recent.reduce((a, b) =>
			b.sendAt > a.sendAt || (b.sendAt === a.sendAt && b.delivery_id > a.delivery_id) ? b : a,
		);
		expect(items).toHaveLength(1);
		expect(items![0].json.delivery_id).toBe(newest.delivery_id);
		expect(JSON.stringify(staticData)).not.toContain('statuses');
	});

	it('a failing poll throws and keeps the previous statuses', async () => {
		const credentials = credentialStore(fake);
		const staticData: IDataObject = {};
		await pollArara({ parameters: { lookBackHours: 24 }, credentials, staticData });
		const saved = JSON.stringify(staticData);
		fake.server.inject(
			{ kind: 'status', status: 500, body: '{"message":"Internal Server Error"}' },
			{ pathPrefix: '/send', times: 10 },
		);
		const failed = await pollArara({
			parameters: { lookBackHours: 24, options: { retryAttempts: 0 } },
			credentials,
			staticData,
		});
		expect(failed.error?.message).toContain('HTTP 500');
		expect(JSON.stringify(staticData)).toBe(saved);
	});
});

describe('Arara Message Trigger across restarts (n8n saves static data only after activation and after a poll that emits)', () => {
	let fake: AraraFake | undefined;
	afterEach(async () => await fake?.close());

	it.each([
		['with a status filter (silent polls record other changes)', ['failed', 'finished']],
		['without a filter', []],
	])(
		'%s: with a restart before any poll, each change comes out exactly once, as without one',
		async (_case, statuses) => {
			const now = Date.now();
			let ids: string[] = [];
			const set = (index: number, status: string) => () => fake!.setStatus(ids[index], status);
			const steps: Step[] = [
				'poll',
				set(0, 'sending'),
				'poll',
				'poll',
				set(0, 'failed'),
				'poll',
				set(1, 'processing'),
				set(2, 'sending'),
				'poll',
				set(1, 'finished'),
				'poll',
				() => {
					const [added] = fake!.seed(1, now - 2 * HOUR, now - HOUR, 77);
					fake!.setStatus(added.delivery_id, 'reserved');
					ids.push(added.delivery_id);
				},
				'poll',
				set(10, 'failed'),
				set(2, 'failed'),
				'poll',
				'poll',
			];
			const { baseline, withRestart } = await emittedAcrossRestarts(
				steps,
				async (staticData) => {
					const result = await pollArara({
						parameters: { lookBackHours: 24, statuses },
						credentials: credentialStore(fake!),
						staticData,
					});
					expect(result.error).toBeUndefined();
					return (result.items ?? []).map(
						(item) => `${String(item.json.delivery_id)}:${String(item.json.status)}`,
					);
				},
				async () => {
					await fake?.close();
					fake = await startFake();
					ids = fake
						.seed(10, now - 20 * HOUR, now - 3 * HOUR, 5)
						.map((delivery) => delivery.delivery_id);
					for (const id of ids) fake.setStatus(id, 'reserved');
				},
			);
			const finals = [
				`${ids[0]}:failed`,
				`${ids[1]}:finished`,
				`${ids[10]}:failed`,
				`${ids[2]}:failed`,
			];
			expect([...baseline].sort()).toEqual(
				(statuses.length
					? finals
					: [
							...finals,
							`${ids[0]}:sending`,
							`${ids[1]}:processing`,
							`${ids[2]}:sending`,
							`${ids[10]}:reserved`,
						]
				).sort(),
			);
			for (const run of withRestart)
				expect({ ...run, emitted: [...run.emitted].sort() }).toEqual({
					...run,
					emitted: [...baseline].sort(),
				});
		},
	);
});
