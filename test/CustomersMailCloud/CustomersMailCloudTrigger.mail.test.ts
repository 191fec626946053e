/** The polling trigger's mail events: new bounces and failed deliveries, each emitted once, across restarts. */
import type { IDataObject } from 'n8n-workflow';

import { PersistedStaticData, emittedAcrossRestarts, type Step } from '../harness/restart';
import type { CustomersMailCloudFake } from '../fakes/customers-mail-cloud';
import { formatCreated } from '../fakes/customers-mail-cloud/data';
import { providerToday } from '../../nodes/CustomersMailCloud/helpers/mailWatch';
import { serializeError, pollTrigger, useFakePerFile } from './setup';

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

const forms = (resource: 'bounces' | 'deliveries') =>
	fake.server
		.requestsTo(`/transaction/v2/${resource}/list.json`)
		.map((request) => Object.fromEntries(new URLSearchParams(request.body)));
/** A record time as the service writes it: wall-clock time in Japan, as the trigger reads it (see providerToday). */
const minutesAgo = (minutes: number) =>
	formatCreated(new Date(Date.now() + 9 * 3_600_000 - minutes * 60_000));
const addDaysTo = (day: string, days: number) =>
	new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
/** As n8n does between polls: only what was saved survives (a restart in between changes nothing). */
const restart = (staticData: IDataObject) => JSON.parse(JSON.stringify(staticData)) as IDataObject;

describe('newBounce', () => {
	it('records on the first run, then emits each new bounce exactly once, with statusText', async () => {
		fake.seedBounces(300, {
			from: new Date(Date.now() - 200 * 86_400_000),
			spacingSeconds: 30_000,
		});
		fake.addBounce({ to: 'before@example.com', created: minutesAgo(30) });
		let staticData: IDataObject = {};
		const first = await poll({ event: 'newBounce' }, staticData);
		expect(first.error).toBeUndefined();
		expect(first.items).toBeNull();
		expect(forms('bounces')[0].start_date).toBe(addDaysTo(providerToday(new Date()), -1));

		const added = [
			fake.addBounce({ to: 'new1@example.com', status: '2' }),
			fake.addBounce({ to: 'new2@example.com', status: '42' }),
		];
		staticData = restart(staticData);
		const second = await poll({ event: 'newBounce' }, staticData);
		expect(second.items?.map((item) => item.json)).toEqual([
			{ event: 'newBounce', ...added[0], statusText: 'unknown user' },
			{ event: 'newBounce', ...added[1], statusText: null },
		]);
		staticData = restart(staticData);
		expect((await poll({ event: 'newBounce' }, staticData)).items).toBeNull();
	});

	it('a failed poll changes no state: the bounces come with the next good poll, once', async () => {
		let staticData: IDataObject = {};
		await poll({ event: 'newBounce' }, staticData);
		const added = fake.addBounce({ to: 'late@example.com' });
		fake.server.inject({ kind: 'status', status: 500 }, { times: 10 });
		const failed = await poll(
			{ event: 'newBounce', options: { retryAttempts: 1, maxRetryWait: 0 } },
			staticData,
		);
		expect(failed.error).toBeDefined();
		expect(serializeError(failed.error)).not.toContain(fake.credentials.apiKey);
		fake.server.clearFaults();
		staticData = restart(staticData);
		const next = await poll({ event: 'newBounce' }, staticData);
		expect(next.items?.map((item) => item.json.to)).toEqual([added.to]);
		expect((await poll({ event: 'newBounce' }, restart(staticData))).items).toBeNull();
	});

	it('Email Contains filters by recipient, and a changed filter starts over', async () => {
		const staticData: IDataObject = {};
		await poll({ event: 'newBounce', filters: { email: 'vip' } }, staticData);
		expect(forms('bounces')[0].to).toBe('vip');
		fake.addBounce({ to: 'vip@example.com' });
		const changed = await poll({ event: 'newBounce', filters: { email: 'other' } }, staticData);
		expect(changed.items).toBeNull();
	});

	it('Fetch Test Event shows the newest bounce without touching the state', async () => {
		fake.addBounce({ to: 'older@example.com', created: minutesAgo(60) });
		fake.addBounce({ to: 'newest@example.com', created: minutesAgo(1) });
		const staticData: IDataObject = {};
		const test = await poll({ event: 'newBounce' }, staticData, 'manual');
		expect(test.items?.map((item) => item.json.to)).toEqual(['newest@example.com']);
		expect(staticData).toEqual({});
	});
});

describe('deliveryFailed', () => {
	it('reads failed and deferred records of yesterday and today, then emits each new one once', async () => {
		let staticData: IDataObject = {};
		fake.addDelivery({ to: 'old@example.com', status: 'failed', created: minutesAgo(20) });
		const first = await poll({ event: 'deliveryFailed' }, staticData);
		expect(first.error).toBeUndefined();
		expect(first.items).toBeNull();
		const today = providerToday(new Date());
		expect(forms('deliveries').map((form) => [form.date, form.status])).toEqual([
			[addDaysTo(today, -1), 'failed'],
			[addDaysTo(today, -1), 'deferred'],
			[today, 'failed'],
			[today, 'deferred'],
		]);

		fake.addDelivery({ to: 'ok@example.com', status: 'queued', created: minutesAgo(2) });
		fake.addDelivery({ to: 'ok@example.com', status: 'succeeded', created: minutesAgo(1) });
		const failed = fake.addDelivery({
			to: 'bad@example.com',
			status: 'failed',
			created: minutesAgo(1),
			reason: '550 unknown',
		});
		const deferred = fake.addDelivery({
			to: 'slow@example.com',
			status: 'deferred',
			created: minutesAgo(1),
		});
		staticData = restart(staticData);
		const second = await poll({ event: 'deliveryFailed' }, staticData);
		expect(second.items?.map((item) => item.json)).toEqual(
			expect.arrayContaining([
				{ event: 'deliveryFailed', ...failed },
				{ event: 'deliveryFailed', ...deferred },
			]),
		);
		expect(second.items).toHaveLength(2);
		expect((await poll({ event: 'deliveryFailed' }, restart(staticData))).items).toBeNull();
	});

	it('a deferred mail that then fails is emitted twice: once per record', async () => {
		let staticData: IDataObject = {};
		await poll({ event: 'deliveryFailed' }, staticData);
		fake.addDelivery({
			messageId: '<x@n>',
			to: 'u@example.com',
			status: 'deferred',
			created: minutesAgo(3),
		});
		staticData = restart(staticData);
		expect(
			(await poll({ event: 'deliveryFailed' }, staticData)).items?.map((item) => item.json.status),
		).toEqual(['deferred']);
		fake.addDelivery({
			messageId: '<x@n>',
			to: 'u@example.com',
			status: 'failed',
			created: minutesAgo(1),
		});
		staticData = restart(staticData);
		expect(
			(await poll({ event: 'deliveryFailed' }, staticData)).items?.map((item) => item.json.status),
		).toEqual(['failed']);
	});

	it('an empty answer (read as no records) makes nothing seen before new again', async () => {
		const yesterday = addDaysTo(providerToday(new Date()), -1);
		fake.addDelivery({
			to: 'yesterday@example.com',
			status: 'failed',
			created: `${yesterday} 12:00:00`,
		});
		let staticData: IDataObject = {};
		await poll({ event: 'deliveryFailed' }, staticData);
		fake.addDelivery({ to: 'today@example.com', status: 'failed', created: minutesAgo(1) });
		// The first call (yesterday's failed records) answers 200 with an empty body, and is not retried.
		fake.server.inject(
			{ kind: 'status', status: 200, body: '' },
			{ pathPrefix: '/transaction/v2/deliveries/', times: 1 },
		);
		const short = await poll(
			{ event: 'deliveryFailed', options: { retryAttempts: 0 } },
			staticData,
		);
		expect(fake.server.requests.some((request) => request.fault === 'status')).toBe(true);
		expect(short.items?.map((item) => item.json.to)).toEqual(['today@example.com']);
		staticData = restart(staticData);
		const next = await poll({ event: 'deliveryFailed' }, staticData);
		expect(next.error).toBeUndefined();
		expect(next.items).toBeNull();
	});

	it('Fetch Test Event shows the newest failed or deferred record', async () => {
		fake.addDelivery({ to: 'a@example.com', status: 'failed', created: minutesAgo(10) });
		fake.addDelivery({ to: 'b@example.com', status: 'deferred', created: minutesAgo(2) });
		fake.addDelivery({ to: 'c@example.com', status: 'succeeded', created: minutesAgo(1) });
		const test = await poll({ event: 'deliveryFailed' }, {}, 'manual');
		expect(test.items?.map((item) => item.json.to)).toEqual(['b@example.com']);
	});

	it('a provider error names its code', async () => {
		const result = await poll({ event: 'deliveryFailed', serverComposition: 'nope' }, {});
		expect(result.error?.message).toBe('Specified server composition, nope, was not found.');
	});
});

/** The trigger's state inside the workflow's static data (n8n keeps it per node). */
const nodeData = (staticData: IDataObject) =>
	staticData['node:Node Under Test'] as {
		watch?: { key: string; seen: IDataObject; windowStart?: string };
		pacing?: { lastPollAt: number };
	};

const MAIL_EVENTS = ['newBounce', 'deliveryFailed'] as const;
type MailEvent = (typeof MAIL_EVENTS)[number];

/** A new record at the provider that the event emits, found again by its recipient. */
function addEventRecord(event: MailEvent, to: string): void {
	if (event === 'newBounce') fake.addBounce({ to, created: minutesAgo(1) });
	else fake.addDelivery({ to, status: 'failed', created: minutesAgo(1) });
}

describe('Minimum Poll Interval (as for the block events)', () => {
	it.each(MAIL_EVENTS)(
		'%s: by default (1 hour) a poll soon after the last one is skipped without any request, and an hour later it polls',
		async (event) => {
			const staticData: IDataObject = {};
			const defaults = { event, options: { minPollInterval: undefined } };
			await poll(defaults, staticData);
			addEventRecord(event, 'paced@example.com');
			fake.server.resetLog();
			const soon = await poll(defaults, staticData);
			expect(soon.error).toBeUndefined();
			expect(soon.items).toBeNull();
			expect(fake.server.requests).toHaveLength(0);
			// 61 minutes later (the remembered time moved back instead of the clock moving on).
			nodeData(staticData).pacing!.lastPollAt -= 61 * 60_000;
			const later = await poll(defaults, staticData);
			expect(later.items?.map((item) => item.json.to)).toEqual(['paced@example.com']);
			expect(fake.server.requests.length).toBeGreaterThan(0);
		},
	);

	it.each(MAIL_EVENTS)(
		'%s: counts in minutes, and a changed event or filter polls at once',
		async (event) => {
			const staticData: IDataObject = {};
			await poll({ event, options: { minPollInterval: 5 } }, staticData);
			const first = nodeData(staticData).pacing!.lastPollAt;
			nodeData(staticData).pacing!.lastPollAt = first - 4 * 60_000;
			fake.server.resetLog();
			await poll({ event, options: { minPollInterval: 5 } }, staticData);
			expect(fake.server.requests).toHaveLength(0);
			nodeData(staticData).pacing!.lastPollAt = first - 6 * 60_000;
			await poll({ event, options: { minPollInterval: 5 } }, staticData);
			const paced = fake.server.requests.length;
			expect(paced).toBeGreaterThan(0);
			await poll(
				{ event, filters: { email: 'other' }, options: { minPollInterval: 60 } },
				staticData,
			);
			expect(fake.server.requests.length).toBeGreaterThan(paced);
			const afterFilter = fake.server.requests.length;
			await poll({ event: 'newBlock', options: { minPollInterval: 60 } }, staticData);
			expect(fake.server.requests.length).toBeGreaterThan(afterFilter);
			// And back from a block event: the pacing is one for the node, the new event starts over at once.
			const afterBlock = fake.server.requests.length;
			await poll({ event, options: { minPollInterval: 60 } }, staticData);
			expect(fake.server.requests.length).toBeGreaterThan(afterBlock);
		},
	);

	it.each(MAIL_EVENTS)(
		'%s: a failed poll does not count: the next one tries again',
		async (event) => {
			const staticData: IDataObject = {};
			await poll({ event, options: { minPollInterval: 60 } }, staticData);
			nodeData(staticData).pacing!.lastPollAt -= 61 * 60_000;
			const before = nodeData(staticData).pacing!.lastPollAt;
			fake.server.inject({ kind: 'status', status: 500 }, { times: 10 });
			const failed = await poll(
				{ event, options: { minPollInterval: 60, retryAttempts: 0 } },
				staticData,
			);
			expect(failed.error).toBeDefined();
			expect(nodeData(staticData).pacing!.lastPollAt).toBe(before);
			fake.server.clearFaults();
			fake.server.resetLog();
			await poll({ event, options: { minPollInterval: 60 } }, staticData);
			expect(fake.server.requests.length).toBeGreaterThan(0);
		},
	);

	it.each(MAIL_EVENTS)('%s: "Fetch Test Event" is never skipped', async (event) => {
		const staticData: IDataObject = {};
		await poll({ event, options: { minPollInterval: 60 } }, staticData);
		addEventRecord(event, 'sample@example.com');
		const manual = await poll({ event, options: { minPollInterval: 60 } }, staticData, 'manual');
		expect(manual.items?.map((item) => item.json.to)).toEqual(['sample@example.com']);
	});
});

describe('restarts (n8n saves static data only after activation and after a poll that emits)', () => {
	it.each(MAIL_EVENTS)(
		'%s: a silent poll changes nothing in memory that the saved copy lacks',
		async (event) => {
			addEventRecord(event, 'known@example.com');
			const persisted = new PersistedStaticData();
			await poll({ event }, persisted.memory);
			persisted.afterPoll(false);
			expect(nodeData(persisted.memory).watch?.key).toBe(JSON.stringify([event, 'testcomp', '']));
			const silent = await poll({ event }, persisted.memory);
			expect(silent.items).toBeNull();
			expect(nodeData(persisted.memory).watch).toEqual(nodeData(persisted.savedCopy).watch);
		},
	);

	it.each(MAIL_EVENTS)(
		'%s: with a restart before any poll, every event comes out exactly once, as without one',
		async (event) => {
			const add = (to: string) => () => addEventRecord(event, to);
			const steps: Step[] = [
				'poll',
				'poll',
				add('n1@example.com'),
				'poll',
				'poll',
				add('n2@example.com'),
				add('n3@example.com'),
				'poll',
				'poll',
				add('n4@example.com'),
				'poll',
			];
			const { baseline, withRestart } = await emittedAcrossRestarts(
				steps,
				async (staticData) => {
					const result = await poll({ event }, staticData);
					expect(result.error).toBeUndefined();
					return (result.items ?? []).map((item) => String(item.json.to));
				},
				() => {
					fake.reset();
					addEventRecord(event, 'before@example.com');
				},
			);
			expect(baseline).toEqual([
				'n1@example.com',
				'n2@example.com',
				'n3@example.com',
				'n4@example.com',
			]);
			for (const run of withRestart)
				expect({ ...run, emitted: [...run.emitted].sort() }).toEqual({ ...run, emitted: baseline });
		},
	);
});
