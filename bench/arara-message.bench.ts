/**
 * Arara Message, in one run against its fake (in its own process). Every job is done by this
 * package's node, by the floor (bench/BenchFloor.node.ts: the same requests through bare
 * helpers.httpRequest), by n8n's HTTP Request node where a user would use it (with the same
 * credential, n8n's OAuth2 handling), and by a raw undici client (keep-alive Pool, same
 * concurrency). Every contender starts with a token stored in the credential, as after a first run.
 *  1. Get Many, Return All over 50,000 deliveries reserved in one month (12.5× the API's cap of
 *     4,000 per query): windows split by `total`, 4 in flight. The raw client already knows the
 *     perfect split (the fewest windows of ≤ 4,000, from the fake's data): the fewest requests
 *     any client needs.
 *  2. Get (by delivery id) of 1,000 ids, Cancel of 1,000 reserved deliveries (the per-item
 *     default in flight) and Send of 1,000 deliveries (one per item; the node packs 100 per
 *     request), on loopback and with 10 ms added to every answer.
 *  3. Error Filter → Look Up of 50,000 addresses (a fifth of them in the filter): the node packs
 *     10,000 per request; the HTTP Request node sends one request per address.
 *  4. The trigger: one poll with nothing new over 10,000 known deliveries of the last 24 hours.
 *
 *   npm run build && npm run build:tools && node .build/bench/arara-message.bench.js
 *
 * Prints ratios from this one run; asserts nothing about time.
 */

import { Pool } from 'undici';

import { mapWithConcurrency } from '../nodes/shared/transport/limiter';
import { DEFAULT_CONCURRENCY, DEFAULT_ITEM_CONCURRENCY } from '../nodes/shared/description/options';
import type { IDataObject } from 'n8n-workflow';

import type { CredentialStore } from '../test/harness/credentials';
import { usePackageRoot } from '../test/harness/node-types';
import { STATUS_CAP, japanMinute, startAraraMessageFake } from '../test/fakes/arara-message';
import { floorType, FLOOR_TYPE } from './BenchFloor.node';
import { executeNode, pollNode } from './engine-runner';
import {
	askFake,
	measureContenders,
	runBenchmark,
	scaled,
	serveFakeInChild,
	startFakeInChild,
} from './lib';
import { repoRoot, runContender } from './http-request-node';
import { ARARA_SEND, jobs, type Contender, type JobSpec } from './jobs';
import { recordJob } from './results';

const DELIVERIES = scaled(50_000);
const PER_ITEM = scaled(1_000);
const WATCHED = scaled(10_000);
const LATENCY_MS = 10;
const BENCHMARK = 'Arara Message';
const CREDENTIAL = 'Arara bench';
const nodeCredentials = { araraMessageOAuth2Api: CREDENTIAL };
const IN_FLIGHT = DEFAULT_CONCURRENCY;
/** Per-item operations keep more in flight: each waits a whole round trip for one item. */
const ITEM_IN_FLIGHT = DEFAULT_ITEM_CONCURRENCY;
const LOOKUPS = scaled(50_000);
/** Share of the looked-up addresses that the error filter holds. */
const FILTERED_SHARE = 0.2;
const MINUTE = 60_000;
// May 2024 in Japan time.
const FROM = Date.UTC(2024, 3, 30, 15, 0);
const TO = Date.UTC(2024, 4, 31, 15, 0);

interface Ready {
	url: string;
	credentials: { host: string; clientId: string; clientSecret: string };
	/** The perfect split: fewest [from, to) minute windows holding ≤ 4,000 deliveries each. */
	windows: Array<[number, number]>;
	/** Deliveries to look up by id. */
	ids: string[];
}

async function serveFake(): Promise<void> {
	const fake = await startAraraMessageFake();
	fake.seed(DELIVERIES, FROM, TO, 11);
	const perMinute = new Map<number, number>();
	for (const delivery of fake.store.all()) {
		const minute = Math.floor(delivery.reservedAt / MINUTE) * MINUTE;
		perMinute.set(minute, (perMinute.get(minute) ?? 0) + 1);
	}
	const windows: Array<[number, number]> = [];
	let start = FROM;
	let count = 0;
	for (let minute = FROM; minute < TO; minute += MINUTE) {
		const here = perMinute.get(minute) ?? 0;
		if (count + here > STATUS_CAP) {
			windows.push([start, minute]);
			start = minute;
			count = 0;
		}
		count += here;
	}
	windows.push([start, TO]);
	// What the trigger sees: deliveries of the last day, none of them changing between polls.
	const now = Date.now();
	fake.seed(WATCHED, now - 23 * 3_600_000, now - 10 * 60_000, 12);
	fake.seedErrorFilter(Math.ceil(LOOKUPS * FILTERED_SHARE));
	const ready: Ready = {
		url: fake.url,
		credentials: fake.credentials,
		windows,
		ids: fake.store
			.all()
			.slice(0, PER_ITEM)
			.map((d) => d.delivery_id),
	};
	serveFakeInChild({
		ready,
		server: fake.server,
		close: () => fake.close(),
		answer(message) {
			if (message.startsWith('reserved:')) {
				// Fresh deliveries to cancel, a day ahead: every contender cancels its own.
				const ids: string[] = [];
				for (let index = 0; index < Number(message.slice('reserved:'.length)); index++) {
					const sendAt = Math.floor((Date.now() + 86_400_000) / MINUTE) * MINUTE;
					const delivery = {
						delivery_id: fake.store.newId(),
						status: 'reserved',
						settings: { send_time: japanMinute(sendAt) },
						sendresult_count: { success: 0, error: 0 },
						reservedAt: Date.now() - 3 * 86_400_000,
						sendAt,
						mails: 1,
					};
					fake.store.add(delivery);
					ids.push(delivery.delivery_id);
				}
				return { ids };
			}
			if (!message.startsWith('latency:')) return undefined;
			fake.server.clearFaults();
			const ms = Number(message.slice('latency:'.length));
			if (ms > 0) fake.server.inject({ kind: 'delay', ms }, { times: Number.MAX_SAFE_INTEGER });
			return { latency: ms };
		},
	});
}

/** The addresses looked up: every fifth one is in the filter (seeded as filtered<i>@example.com). */
export function lookupAddresses(): string[] {
	return Array.from({ length: LOOKUPS }, (_, index) =>
		index % Math.round(1 / FILTERED_SHARE) === 0
			? `filtered${index / Math.round(1 / FILTERED_SHARE)}@example.com`
			: `customer${index}@example.org`,
	);
}

type Delivery = Record<string, unknown> & { settings?: { send_time?: string } };

/** A token from the fake, stored in the credential as n8n stores it after a first run. */
async function fetchToken(ready: Ready): Promise<string> {
	const pool = new Pool(ready.url, { connections: 1 });
	try {
		const basic = Buffer.from(
			`${ready.credentials.clientId}:${ready.credentials.clientSecret}`,
		).toString('base64');
		const answer = await pool.request({
			method: 'POST',
			path: '/oauth2/token',
			headers: {
				authorization: `Basic ${basic}`,
				'content-type': 'application/x-www-form-urlencoded',
			},
			body: 'grant_type=client_credentials',
		});
		return ((await answer.body.json()) as { access_token: string }).access_token;
	} finally {
		await pool.close();
	}
}

async function rawClient(ready: Ready, token: string): Promise<number> {
	const pool = new Pool(ready.url, { connections: IN_FLIGHT });
	try {
		const pages = await mapWithConcurrency(ready.windows, IN_FLIGHT, async ([from, to]) => {
			const query = new URLSearchParams({ timemin: japanMinute(from), timemax: japanMinute(to) });
			const answer = await pool.request({
				method: 'GET',
				path: `/send?${query}`,
				headers: { authorization: `Bearer ${token}` },
			});
			const body = (await answer.body.json()) as {
				items: Delivery[];
				count: number;
				total: number;
			};
			if (body.total > body.count) throw new Error('the perfect split is not perfect');
			return body.items;
		});
		const byId = new Map<string, Delivery>();
		for (const item of pages.flat()) {
			const { deliver_id: deliverId, ...rest } = item;
			const id = String(item.delivery_id ?? deliverId);
			byId.set(id, { delivery_id: id, ...rest });
		}
		const sorted = [...byId.values()].sort(
			(a, b) =>
				Date.parse(String(a.settings?.send_time)) - Date.parse(String(b.settings?.send_time)),
		);
		return sorted.length;
	} finally {
		await pool.close();
	}
}

function check(count: number, expected: number, who: string): void {
	if (count !== expected) throw new Error(`${who} returned ${count} items, expected ${expected}`);
}

/** Bearer requests through a keep-alive pool, `inFlight` at once. */
async function rawPerItem<T>(
	ready: Ready,
	token: string,
	inputs: T[],
	request: (input: T) => { method: 'GET' | 'POST' | 'DELETE'; path: string; body?: unknown },
	inFlight = ITEM_IN_FLIGHT,
): Promise<unknown[]> {
	const pool = new Pool(ready.url, { connections: inFlight });
	try {
		return await mapWithConcurrency(inputs, inFlight, async (input) => {
			const { method, path, body } = request(input);
			const answer = await pool.request({
				method,
				path,
				headers: {
					authorization: `Bearer ${token}`,
					...(body === undefined ? {} : { 'content-type': 'application/json' }),
				},
				body: body === undefined ? undefined : JSON.stringify(body),
			});
			return await answer.body.json();
		});
	} finally {
		await pool.close();
	}
}

const sendDelivery = (email: string) => ({
	'mailing-list': [{ to: { address: email } }],
	contents: { subject: ARARA_SEND.subject, body: { text: ARARA_SEND.text } },
	settings: {
		send_time: 'now',
		from: { address: ARARA_SEND.fromAddress, name: ARARA_SEND.fromName },
	},
});

export async function main(): Promise<void> {
	usePackageRoot(repoRoot());
	const { child, ready } = await startFakeInChild<Ready>(__filename);
	const token = await fetchToken(ready);
	const store = (): CredentialStore => ({
		[CREDENTIAL]: {
			type: 'araraMessageOAuth2Api',
			data: {
				...ready.credentials,
				oauthTokenData: { access_token: token, token_type: 'Bearer', expires_in: 3600 },
			},
		},
	});
	const options = { concurrency: IN_FLIGHT };
	const run = async (type: string, parameters: IDataObject, items: IDataObject[] = [{}]) => {
		const result = await executeNode(
			{ type, parameters, nodeCredentials, credentials: store(), items },
			[floorType],
		);
		if (result.error) throw result.error;
		return result.items;
	};
	const getAll = { timeMin: '2024-05-01T00:00:00+09:00', timeMax: '2024-06-01T00:00:00+09:00' };

	try {
		recordJob({
			benchmark: BENCHMARK,
			job: `Get Many, Return All over ${DELIVERIES.toLocaleString('en')} deliveries in one month (cap ${STATUS_CAP} per query, ${IN_FLIGHT} in flight)`,
			where: 'engine',
			...(await measureContenders(child, {
				node: async () =>
					check(
						(
							await run('araraMessage', {
								resource: 'delivery',
								operation: 'getAll',
								...getAll,
								returnAll: true,
								options,
							})
						).length,
						DELIVERIES,
						'the node',
					),
				floor: async () =>
					check(
						(await run(FLOOR_TYPE, { job: 'araraGetAll', ...getAll, options })).length,
						DELIVERIES,
						'the floor',
					),
				floorAuth: async () =>
					check(
						(
							await run(FLOOR_TYPE, {
								job: 'araraGetAll',
								...getAll,
								options,
								viaAuthentication: true,
							})
						).length,
						DELIVERIES,
						"the floor via n8n's authentication",
					),
				raw: async () => check(await rawClient(ready, token), DELIVERIES, 'the raw client'),
			})),
			note: `raw client: the perfect split (${ready.windows.length} windows) known in advance`,
		});

		// Before the jobs below: Send adds deliveries of today, which this poll would then also watch.
		const parameters = { lookBackHours: 24, statuses: [], options };
		const nodeStatic = {};
		const floorStatic = {};
		const floorAuthStatic = {};
		const pollIt = (type: string, extra: IDataObject, staticData: object) => async () => {
			const { items } = await pollNode(
				{
					type,
					parameters: { ...parameters, ...extra },
					nodeCredentials,
					credentials: store(),
					staticData: staticData as never,
				},
				[floorType],
			);
			if (items) throw new Error(`${type} found ${items.length} changes, expected none`);
		};
		await pollIt('araraMessageTrigger', {}, nodeStatic)();
		await pollIt(FLOOR_TYPE, { job: 'araraWatch' }, floorStatic)();
		await pollIt(FLOOR_TYPE, { job: 'araraWatch', viaAuthentication: true }, floorAuthStatic)();
		recordJob({
			benchmark: BENCHMARK,
			job: `Trigger: one poll with nothing new over ${WATCHED.toLocaleString('en')} known deliveries (last 24 hours)`,
			where: 'engine',
			...(await measureContenders(child, {
				node: pollIt('araraMessageTrigger', {}, nodeStatic),
				floor: pollIt(FLOOR_TYPE, { job: 'araraWatch' }, floorStatic),
				floorAuth: pollIt(
					FLOOR_TYPE,
					{ job: 'araraWatch', viaAuthentication: true },
					floorAuthStatic,
				),
			})),
			note: 'the poll itself (any Minimum Poll Interval decides how often it runs)',
		});

		const contender =
			(
				spec: JobSpec,
				role: 'node' | 'floor' | 'floorAuth' | 'httpRequest',
				items: IDataObject[],
				expected: number,
				who: string,
			) =>
			async () =>
				check(
					(
						await runContender(
							role === 'httpRequest' ? spec.httpRequest! : (spec[role] as Contender),
							spec.credentialType,
							store(),
							items,
						)
					).length,
					expected,
					who,
				);
		/** `items` makes each run's inputs: the same ones for reads, fresh reserved deliveries for Cancel. */
		const perItem = async (
			spec: JobSpec,
			suffix: string,
			items: () => Promise<IDataObject[]>,
			raw: (items: IDataObject[]) => Promise<unknown>,
		) => {
			const each = (role: 'node' | 'floor' | 'floorAuth' | 'httpRequest', who: string) => ({
				fresh: async () => {
					const inputs = await items();
					return contender(spec, role, inputs, inputs.length, who);
				},
			});
			recordJob({
				benchmark: spec.benchmark,
				job: spec.job + suffix,
				where: 'engine',
				...(await measureContenders(child, {
					node: each('node', 'the node'),
					floor: each('floor', 'the floor'),
					floorAuth: each('floorAuth', "the floor via n8n's authentication"),
					httpRequest: each('httpRequest', 'the HTTP Request node'),
					raw: {
						fresh: async () => {
							const inputs = await items();
							return () => raw(inputs);
						},
					},
				})),
				note: spec.note,
			});
		};

		for (const latency of [0, LATENCY_MS]) {
			await askFake(child, `latency:${latency}`);
			const suffix = latency ? `, ${latency} ms per answer` : ', loopback';
			const idItems = ready.ids.map((id) => ({ id }));
			await perItem(
				jobs.araraGet(ready.url, PER_ITEM, ITEM_IN_FLIGHT),
				suffix,
				async () => idItems,
				async () =>
					check(
						(
							await rawPerItem(ready, token, ready.ids, (id) => ({
								method: 'GET',
								path: `/send/${id}`,
							}))
						).length,
						PER_ITEM,
						'the raw client',
					),
			);

			const reserved = async () =>
				(await askFake<{ ids: string[] }>(child, `reserved:${PER_ITEM}`)).ids.map((id) => ({ id }));
			await perItem(
				jobs.araraCancel(ready.url, PER_ITEM, ITEM_IN_FLIGHT),
				suffix,
				reserved,
				async (items) =>
					check(
						(
							await rawPerItem(
								ready,
								token,
								items.map(({ id }) => String(id)),
								(id) => ({
									method: 'DELETE',
									path: `/send/${id}`,
								}),
							)
						).length,
						PER_ITEM,
						'the raw client',
					),
			);

			const recipients = Array.from({ length: PER_ITEM }, (_, index) => ({
				email: `customer${index}@example.com`,
			}));
			const batches: Array<Array<{ email: string }>> = [];
			for (let start = 0; start < recipients.length; start += 100)
				batches.push(recipients.slice(start, start + 100));
			await perItem(
				jobs.araraSend(ready.url, PER_ITEM, ITEM_IN_FLIGHT),
				suffix,
				async () => recipients,
				async () =>
					check(
						(
							await rawPerItem(ready, token, batches, (batch) => ({
								method: 'POST',
								path: '/send',
								body: { delivery: batch.map(({ email }) => sendDelivery(email)) },
							}))
						).length,
						batches.length,
						'the raw client',
					),
			);

			if (latency === 0) {
				// Error Filter → Look Up: a bounce list's addresses, some of them held by the filter.
				const addresses = lookupAddresses();
				const lookupBatches: string[][] = [];
				for (let start = 0; start < addresses.length; start += 10_000)
					lookupBatches.push(addresses.slice(start, start + 10_000));
				const spec = jobs.araraLookup(ready.url, LOOKUPS, IN_FLIGHT);
				const items = addresses.map((email) => ({ email }));
				recordJob({
					benchmark: spec.benchmark,
					job: spec.job + suffix,
					where: 'engine',
					...(await measureContenders(child, {
						node: contender(spec, 'node', items, LOOKUPS, 'the node'),
						floor: contender(spec, 'floor', items, LOOKUPS, 'the floor'),
						floorAuth: contender(
							spec,
							'floorAuth',
							items,
							LOOKUPS,
							"the floor via n8n's authentication",
						),
						httpRequest: contender(spec, 'httpRequest', items, LOOKUPS, 'the HTTP Request node'),
						raw: async () => {
							const answers = (await rawPerItem(
								ready,
								token,
								lookupBatches,
								(batch) => ({
									method: 'POST',
									path: '/errorfilter',
									body: { items: batch.map((address) => ({ address })) },
								}),
								IN_FLIGHT,
							)) as Array<{ items: Array<{ address: string }> }>;
							const found = new Map<string, unknown>();
							for (const answer of answers)
								for (const entry of answer.items) found.set(entry.address.toLowerCase(), entry);
							check(
								addresses.map(
									(address) => found.get(address.toLowerCase()) ?? { address, registered: false },
								).length,
								LOOKUPS,
								'the raw client',
							);
						},
					})),
					note: spec.note,
				});
			}
		}
		await askFake(child, 'latency:0');
	} finally {
		child.send('stop');
	}
}

runBenchmark(module, main, serveFake);
