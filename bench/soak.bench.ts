/**
 * Soak, bounded: each trigger for 1,000 polls or pushes and each per-item operation over 100,000
 * items, against the fakes on 127.0.0.1 with random faults, through n8n's engine. Reports
 * requests, errors, peak memory and whether memory grew (heap after GC, trigger static data),
 * and whether any event was lost or doubled. Stops by itself: every job has a count and a time
 * budget (SOAK_POLLS, SOAK_ITEMS, SOAK_SECONDS_PER_JOB).
 *
 *   npm run build && npx tsc -p tsconfig.tools.json && node --expose-gc .build/bench/soak.bench.js
 *
 * Exits 1 when an event was lost or doubled, or an item came out unpaired; never on time.
 */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { runNode, runPoll } from '../test/harness/engine';
import type { CredentialStore } from '../test/harness/credentials';
import { usePackageRoot } from '../test/harness/node-types';
import { runWebhook } from '../test/harness/webhook';
import {
	startAraraMessageFake,
	type AraraFake,
	type StoredDelivery,
} from '../test/fakes/arara-message';
import { japanMinute } from '../test/fakes/arara-message/store';
import {
	startCustomersMailCloudFake,
	type CustomersMailCloudFake,
} from '../test/fakes/customers-mail-cloud';
import { seededRandom, type Fault, type FakeServer } from '../test/fakes/fake-server';
import { startNaimarSmsFake, type NaimarSmsFake } from '../test/fakes/naimar-sms';

const POLLS = Number(process.env.SOAK_POLLS ?? 1_000);
/** SOAK_ONLY=a,b: only the jobs whose name holds one of these (e.g. "Arara"), to re-run a few. */
const ONLY = (process.env.SOAK_ONLY ?? '').split(',').filter(Boolean);
const wanted = (name: string) => !ONLY.length || ONLY.some((part) => name.includes(part));
const ITEMS = Number(process.env.SOAK_ITEMS ?? 100_000);
/**
 * A safety cap, not the plan: on 2 cores every job reaches its count well within it (a per-item
 * operation does 100,000 items in about 2–5 minutes), so a job that hits it is reported as such.
 */
const SECONDS_PER_JOB = Number(process.env.SOAK_SECONDS_PER_JOB ?? 900);
/** What a job's "done" says when the time cap stopped it before its count. */
const capped = (done: number, count: number) =>
	done < count ? ` (stopped by the ${SECONDS_PER_JOB} s cap)` : '';
/** Items per execution: the heap is measured between executions. */
const CHUNK = 1_000;
/** Share of requests that meet a random fault. */
const FAULT_RATE = 0.02;
const OPTIONS = { timeout: 5, retryAttempts: 2, maxRetryWait: 0.05 };

const random = seededRandom(20_261_202);
const FAULTS: Fault[] = [
	{ kind: 'rateLimit', retryAfterSeconds: 1 },
	{ kind: 'status', status: 500, body: 'Internal Server Error', contentType: 'text/plain' },
	{ kind: 'status', status: 503, body: '' },
	{ kind: 'dropMidBody' },
	{ kind: 'dropConnection' },
	{ kind: 'html' },
	{ kind: 'invalidJson' },
	{ kind: 'status', status: 200, body: '' },
];

function repoRoot(start = __dirname): string {
	for (let dir = start; ; dir = path.dirname(dir)) {
		if (existsSync(path.join(dir, 'scripts', 'n8n-runtime.js'))) return dir;
		if (path.dirname(dir) === dir)
			throw new Error(`cannot find the repository root above ${start}`);
	}
}

function injectRandomFaults(server: FakeServer, requests: number, pathPrefix: string): number {
	let injected = 0;
	for (let index = 0; index < requests; index++) {
		if (random() >= FAULT_RATE) continue;
		server.inject(FAULTS[Math.floor(random() * FAULTS.length)], { pathPrefix });
		injected++;
	}
	return injected;
}

const gc = (globalThis as { gc?: () => void }).gc;
function heapAfterGc(): number {
	gc?.();
	const usage = process.memoryUsage();
	return usage.heapUsed + usage.arrayBuffers;
}

/** Peak RSS and heap while a job runs, sampled every few milliseconds. */
class PeakMemory {
	private peakHeap = 0;
	private peakRss = 0;
	private readonly timer = setInterval(() => this.sample(), 20);
	sample(): void {
		const usage = process.memoryUsage();
		this.peakHeap = Math.max(this.peakHeap, usage.heapUsed + usage.arrayBuffers);
		this.peakRss = Math.max(this.peakRss, usage.rss);
	}
	stop(): { heap: number; rss: number } {
		this.sample();
		clearInterval(this.timer);
		return { heap: this.peakHeap, rss: this.peakRss };
	}
}

interface Report {
	job: string;
	done: string;
	seconds: number;
	requests: number;
	faults: number;
	errors: number;
	peakHeap: number;
	peakRss: number;
	/**
	 * Heap after GC early in the job and at its end: the lowest of the first and of the last third
	 * of the samples (one per execution, or per 50 polls or pushes), so that garbage one sample
	 * happens to hold (a socket closing, a run's data) does not read as growth.
	 */
	heapStart: number;
	heapEnd: number;
	heapSamples: number[];
	staticData?: string;
	/** One error message, to see what the faults came to. */
	sampleError?: string;
	problems: string[];
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
/** Flat: the heap after GC grew by less than 10 % and 8 MiB over the job. */
const grew = (report: Report) =>
	report.heapEnd - report.heapStart > Math.max(8 * 1024 * 1024, report.heapStart * 0.1);

interface Fakes {
	cmc: CustomersMailCloudFake;
	naimar: NaimarSmsFake;
	arara: AraraFake;
}

function credentials(fakes: Fakes): CredentialStore {
	return {
		cmc: { type: 'customersMailCloudApi', data: { ...fakes.cmc.credentials } },
		naimar: { type: 'naimarSmsApi', data: { ...fakes.naimar.credentials } },
		arara: {
			type: 'araraMessageOAuth2Api',
			data: {
				host: fakes.arara.url,
				clientId: fakes.arara.credentials.clientId,
				clientSecret: fakes.arara.credentials.clientSecret,
			},
		},
	};
}

/**
 * The fakes share this process: their request logs are emptied after every poll or execution
 * (counted first), so the heap measured is the nodes' and n8n's, plus the fakes' own data.
 */
function takeRequests(server: FakeServer, report: Report, fakes?: Fakes): void {
	report.requests += server.requests.length;
	server.resetLog();
	if (fakes) fakes.arara.rawUrls.length = 0;
}

let allFakes: Fakes | undefined;

async function job(
	name: string,
	server: FakeServer,
	body: (report: Report, deadline: number) => Promise<void>,
): Promise<Report> {
	server.resetLog();
	server.clearFaults();
	const report: Report = {
		job: name,
		done: '',
		seconds: 0,
		requests: 0,
		faults: 0,
		errors: 0,
		peakHeap: 0,
		peakRss: 0,
		heapStart: 0,
		heapEnd: 0,
		heapSamples: [],
		problems: [],
	};
	const peak = new PeakMemory();
	const started = Date.now();
	try {
		await body(report, Date.now() + SECONDS_PER_JOB * 1000);
	} catch (error) {
		report.problems.push(`crashed: ${(error as Error).message}`);
	}
	const { heap, rss } = peak.stop();
	report.seconds = (Date.now() - started) / 1000;
	takeRequests(server, report, allFakes);
	report.peakHeap = heap;
	report.peakRss = rss;
	report.heapSamples.push(heapAfterGc());
	const third = Math.max(1, Math.floor(report.heapSamples.length / 3));
	report.heapStart = Math.min(...report.heapSamples.slice(0, third));
	report.heapEnd = Math.min(...report.heapSamples.slice(-third));
	server.clearFaults();
	server.resetLog();
	return report;
}

/** A polling trigger for POLLS polls: events produced between polls, each must come out exactly once. */
async function soakPolls(
	name: string,
	server: FakeServer,
	faultPath: string,
	poll: (staticData: IDataObject) => Promise<{ items: INodeExecutionData[] | null; error?: Error }>,
	produce: () => string[],
	keyOf: (json: IDataObject) => string,
): Promise<Report> {
	return await job(name, server, async (report, deadline) => {
		const staticData: IDataObject = {};
		// Counted: an Arara delivery may come back to a status it had before, which is a new event.
		const expected = new Map<string, number>();
		const seen = new Map<string, number>();
		let polls = 0;
		let pending = false;
		let firstSize = 0;
		const first = await poll(staticData);
		if (first.error) report.problems.push(`first poll failed: ${first.error.message}`);
		for (; polls < POLLS && Date.now() < deadline; polls++) {
			if (polls % 50 === 0) report.heapSamples.push(heapAfterGc());
			// A new event only once the previous ones came out, so none is overwritten before a poll sees it.
			if (!pending) for (const key of produce()) expected.set(key, (expected.get(key) ?? 0) + 1);
			report.faults += injectRandomFaults(server, 3, faultPath);
			const outcome = await poll(staticData);
			server.clearFaults();
			takeRequests(server, report, allFakes);
			pending = Boolean(outcome.error);
			if (outcome.error) report.errors++;
			for (const item of outcome.items ?? []) {
				const key = keyOf(item.json);
				seen.set(key, (seen.get(key) ?? 0) + 1);
			}
			if (polls === 9) firstSize = JSON.stringify(staticData).length;
		}
		const last = await poll(staticData);
		for (const item of last.items ?? [])
			seen.set(keyOf(item.json), (seen.get(keyOf(item.json)) ?? 0) + 1);
		const lost = [...expected]
			.filter(([key, count]) => (seen.get(key) ?? 0) < count)
			.map(([key]) => key);
		const doubled = [...seen]
			.filter(([key, count]) => count > (expected.get(key) ?? 0) && expected.has(key))
			.map(([key]) => key);
		const unexpected = [...seen.keys()].filter((key) => !expected.has(key));
		if (lost.length)
			report.problems.push(`${lost.length} events lost, e.g. ${lost.slice(0, 3).join(', ')}`);
		if (doubled.length)
			report.problems.push(
				`${doubled.length} events doubled, e.g. ${doubled.slice(0, 3).join(', ')}`,
			);
		if (unexpected.length)
			report.problems.push(
				`${unexpected.length} events nobody produced, e.g. ${unexpected.slice(0, 3).join(', ')}`,
			);
		const events = [...expected.values()].reduce((sum, count) => sum + count, 0);
		const emitted = [...seen.values()].reduce((sum, count) => sum + count, 0);
		report.done = `${polls} polls, ${events} events, ${emitted} emitted${capped(polls, POLLS)}`;
		report.staticData = `${firstSize} → ${JSON.stringify(staticData).length} bytes`;
	});
}

interface ItemJob {
	name: string;
	provider: keyof Fakes;
	faultPath: string;
	parameters: IDataObject;
	/** Builds one execution's input (and whatever the fake needs for it). */
	chunk(size: number, offset: number): IDataObject[];
	/** At most this many outputs per input item. */
	maxOutputs: number;
	/** Items per request, for operations that batch (faults are drawn per request). */
	itemsPerRequest?: number;
	/** After a chunk: the provider's side effects happened once per succeeded item. */
	sideEffects?(succeeded: number[], input: IDataObject[]): string | undefined;
	/** After a chunk is checked: drops what the fake keeps of it, so the heap measures the node. */
	afterChunk?(): void;
}

async function soakItems(fakes: Fakes, spec: ItemJob): Promise<Report> {
	const server = fakes[spec.provider].server;
	const [resource, operation] = String(spec.name).split(' ').slice(-2);
	return await job(spec.name, server, async (report, deadline) => {
		let done = 0;
		let chunks = 0;
		while (done < ITEMS && Date.now() < deadline) {
			const input = spec.chunk(Math.min(CHUNK, ITEMS - done), done);
			report.faults += injectRandomFaults(
				server,
				Math.ceil(input.length / (spec.itemsPerRequest ?? 1)),
				spec.faultPath,
			);
			const result = await runNode({
				node: {
					type: { cmc: 'customersMailCloud', naimar: 'naimarSms', arara: 'araraMessage' }[
						spec.provider
					],
					parameters: {
						resource,
						operation,
						...spec.parameters,
						options: { ...OPTIONS, ...(spec.parameters.options as IDataObject) },
					},
					credentials: { [credentials(fakes)[spec.provider].type]: spec.provider },
					continueOnFail: true,
				},
				input,
				credentials: credentials(fakes),
			});
			server.clearFaults();
			takeRequests(server, report, fakes);
			if (result.error) report.problems.push(`chunk ${chunks} stopped: ${result.error.message}`);
			const outputs = new Array<number>(input.length).fill(0);
			const failed = new Set<number>();
			for (const item of result.items) {
				const paired = Array.isArray(item.pairedItem) ? item.pairedItem : [item.pairedItem];
				const index = typeof paired[0] === 'number' ? paired[0] : (paired[0]?.item ?? -1);
				if (paired.length !== 1 || index < 0 || index >= input.length) {
					report.problems.push(
						`chunk ${chunks}: an item paired to ${JSON.stringify(item.pairedItem)}`,
					);
					continue;
				}
				outputs[index]++;
				if (item.json.error !== undefined) {
					failed.add(index);
					report.sampleError ??= String(item.json.error);
				}
			}
			report.errors += failed.size;
			const missing = outputs.filter((count) => count === 0).length;
			const extra = outputs.filter((count) => count > spec.maxOutputs).length;
			if (missing) report.problems.push(`chunk ${chunks}: ${missing} items lost`);
			if (extra)
				report.problems.push(
					`chunk ${chunks}: ${extra} items with more than ${spec.maxOutputs} outputs`,
				);
			const succeeded = input.map((_, index) => index).filter((index) => !failed.has(index));
			const sideEffect = spec.sideEffects?.(succeeded, input);
			if (sideEffect) report.problems.push(`chunk ${chunks}: ${sideEffect}`);
			spec.afterChunk?.();
			done += input.length;
			chunks++;
			// The first executions warm caches; memory growth is measured from the third one.
			if (chunks >= 2) report.heapSamples.push(heapAfterGc());
		}
		report.done = `${done} items in ${chunks} executions${capped(done, ITEMS)}`;
	});
}

function itemJobs(fakes: Fakes): ItemJob[] {
	const { cmc, naimar, arara } = fakes;
	let serial = 0;
	const blockChunk = (size: number) => {
		cmc.reset();
		const emails = Array.from({ length: size }, () => `soak${++serial}@example.com`);
		for (const email of emails) cmc.addBlock({ email });
		return emails.map((email) => ({ email }));
	};
	const unblock = (operation: 'delete' | 'cancel'): ItemJob => ({
		name: `Customers Mail Cloud block ${operation}`,
		provider: 'cmc',
		faultPath: '/transaction/',
		parameters: { email: '={{ $json.email }}' },
		chunk: blockChunk,
		maxOutputs: 1,
		sideEffects: (succeeded, input) => {
			const removed = new Map<string, number>();
			for (const block of cmc.removedBlocks())
				removed.set(block.email, (removed.get(block.email) ?? 0) + 1);
			const twice = [...removed.values()].filter((count) => count > 1).length;
			const notDone = succeeded.filter((index) => !removed.has(String(input[index].email))).length;
			return twice || notDone
				? `${twice} unblocked twice, ${notDone} reported done but still blocked`
				: undefined;
		},
	});
	const now = Date.now();
	const pool: StoredDelivery[] = arara.seed(100, now - 6 * 3_600_000, now - 5 * 3_600_000, 77);
	const reserved = (count: number) =>
		Array.from({ length: count }, () => {
			const sendAt = Math.floor((Date.now() + 2 * 86_400_000) / 60_000) * 60_000;
			const delivery: StoredDelivery = {
				delivery_id: arara.store.newId(),
				status: 'reserved',
				settings: { send_time: japanMinute(sendAt) },
				sendresult_count: { success: 0, error: 0 },
				reservedAt: now - 30 * 86_400_000,
				sendAt,
				mails: 1,
			};
			arara.store.add(delivery);
			return delivery;
		});
	let reserveBefore = 0;
	return [
		{
			name: 'Customers Mail Cloud block getAll',
			provider: 'cmc',
			faultPath: '/transaction/',
			parameters: { returnAll: false, limit: 1, filters: { email: '={{ $json.email }}' } },
			chunk: (size) => {
				const emails = blockChunk(Math.min(size, 100));
				return Array.from({ length: size }, (_, index) => emails[index % emails.length]);
			},
			maxOutputs: 1,
		},
		{
			name: 'Customers Mail Cloud block download',
			provider: 'cmc',
			faultPath: '/transaction/',
			parameters: { output: 'items', filters: { email: '={{ $json.email }}' } },
			chunk: (size) => {
				const emails = blockChunk(Math.min(size, 100));
				return Array.from({ length: size }, (_, index) => emails[index % emails.length]);
			},
			maxOutputs: 1,
		},
		unblock('delete'),
		unblock('cancel'),
		{
			name: 'Naimar SMS deliveryReport get',
			provider: 'naimar',
			faultPath: '/api/',
			parameters: { messageIds: '={{ $json.id }}' },
			chunk: (size) => {
				// Only this execution's reports: the fake's map stays the same size.
				naimar.reports.clear();
				return naimar
					.seedReports(size, { prefix: `S${(++serial).toString(36)}` })
					.map((id) => ({ id }));
			},
			maxOutputs: 1,
			itemsPerRequest: 100,
		},
		{
			name: 'Arara Message delivery get',
			provider: 'arara',
			faultPath: '/send',
			parameters: { deliveryId: '={{ $json.id }}' },
			chunk: (size) =>
				Array.from({ length: size }, (_, index) => ({ id: pool[index % pool.length].delivery_id })),
			maxOutputs: 1,
		},
		{
			name: 'Arara Message delivery getAll',
			provider: 'arara',
			faultPath: '/send',
			parameters: {
				timeMin: '={{ $json.from }}',
				timeMax: '={{ $json.to }}',
				returnAll: false,
				limit: 1,
			},
			chunk: (size) =>
				Array.from({ length: size }, () => ({
					from: new Date(now - 6 * 3_600_000 - 60_000).toISOString(),
					to: new Date(now - 5 * 3_600_000 + 60_000).toISOString(),
				})),
			maxOutputs: 1,
		},
		{
			name: 'Arara Message delivery reserve',
			provider: 'arara',
			faultPath: '/send',
			parameters: {
				deliveryMode: 'perItem',
				toAddress: '={{ $json.email }}',
				subject: 'Soak',
				text: 'Soak test.',
				fromAddress: 'shop@example.jp',
			},
			chunk: (size) => {
				reserveBefore = arara.store.size;
				return Array.from({ length: size }, () => ({ email: `r${++serial}@example.com` }));
			},
			maxOutputs: 1,
			itemsPerRequest: 100,
			sideEffects: (succeeded) => {
				const added = arara.store.size - reserveBefore;
				return added !== succeeded.length
					? `${added} deliveries reserved for ${succeeded.length} succeeded items`
					: undefined;
			},
			afterChunk: () => arara.store.clear(),
		},
		{
			name: 'Arara Message delivery cancel',
			provider: 'arara',
			faultPath: '/send',
			parameters: { deliveryId: '={{ $json.id }}' },
			chunk: (size) => reserved(size).map((delivery) => ({ id: delivery.delivery_id })),
			maxOutputs: 1,
			sideEffects: (succeeded, input) => {
				const notDone = succeeded.filter(
					(index) => arara.store.get(String(input[index].id))?.status !== 'deleted',
				).length;
				return notDone ? `${notDone} reported cancelled but not` : undefined;
			},
			afterChunk: () => arara.store.clear(),
		},
	];
}

async function soakWebhook(fakes: Fakes): Promise<Report> {
	const secret = 'soak-webhook-secret';
	return await job(
		'Naimar SMS Trigger (webhook)',
		fakes.naimar.server,
		async (report, deadline) => {
			const seen = new Map<string, number>();
			let expected = 0;
			let pushes = 0;
			for (; pushes < POLLS && Date.now() < deadline; pushes++) {
				if (pushes % 50 === 0) report.heapSamples.push(heapAfterGc());
				// Random faults of a push: a wrong secret or no report at all; both must start nothing.
				const roll = random();
				const id = `P${pushes}`;
				const query: Record<string, string> =
					roll < 0.05
						? { id, status: '2', secret: 'wrong' }
						: roll < 0.1
							? { hello: 'world', secret }
							: { id, status: '2', secret };
				const outcome = await runWebhook({
					node: {
						type: 'naimarSmsTrigger',
						parameters: {},
						credentials: { naimarSmsPushApi: 'push' },
					},
					credentials: { push: { type: 'naimarSmsPushApi', data: { sharedSecret: secret } } },
					call: { query },
				});
				if (roll >= 0.1) expected++;
				else report.errors++;
				for (const item of outcome.items ?? [])
					seen.set(String(item.json.id), (seen.get(String(item.json.id)) ?? 0) + 1);
				if (roll >= 0.1 && outcome.status !== 200)
					report.problems.push(`push ${pushes} answered ${outcome.status}`);
			}
			const doubled = [...seen.values()].filter((count) => count > 1).length;
			if (seen.size !== expected)
				report.problems.push(`${expected} reports pushed, ${seen.size} emitted`);
			if (doubled) report.problems.push(`${doubled} reports emitted twice`);
			report.done = `${pushes} pushes, ${seen.size} emitted once${capped(pushes, POLLS)}`;
		},
	);
}

async function main(): Promise<void> {
	usePackageRoot(repoRoot());
	const [cmc, naimar, arara] = await Promise.all([
		startCustomersMailCloudFake(),
		startNaimarSmsFake(),
		startAraraMessageFake(),
	]);
	const fakes: Fakes = { cmc, naimar, arara };
	allFakes = fakes;
	const reports: Report[] = [];
	try {
		cmc.reset();
		let blockSerial = 0;
		if (wanted('Customers Mail Cloud Trigger (poll)'))
			reports.push(
				await soakPolls(
					'Customers Mail Cloud Trigger (poll)',
					cmc.server,
					'/transaction/',
					(staticData) =>
						runPoll({
							node: {
								type: 'customersMailCloudTrigger',
								parameters: { event: 'newBlock', options: { ...OPTIONS, minPollInterval: 0 } },
								credentials: { customersMailCloudApi: 'cmc' },
							},
							credentials: credentials(fakes),
							staticData,
						}),
					() =>
						Array.from(
							{ length: Math.floor(random() * 3) },
							() => cmc.addBlock({ email: `poll${++blockSerial}@example.com` }).email,
						),
					(json) => String(json.email),
				),
			);
		const hour = 3_600_000;
		const watched = arara.seed(200, Date.now() - 20 * hour, Date.now() - hour, 11);
		const statuses = ['reserved', 'processing', 'processed', 'sending', 'finished', 'failed'];
		if (wanted('Arara Message Trigger (poll)'))
			reports.push(
				await soakPolls(
					'Arara Message Trigger (poll)',
					arara.server,
					'/send',
					(staticData) =>
						runPoll({
							node: {
								type: 'araraMessageTrigger',
								parameters: { lookBackHours: 24, options: OPTIONS },
								credentials: { araraMessageOAuth2Api: 'arara' },
							},
							credentials: credentials(fakes),
							staticData,
						}),
					() => {
						const delivery = watched[Math.floor(random() * watched.length)];
						const next = statuses.filter((status) => status !== delivery.status)[
							Math.floor(random() * (statuses.length - 1))
						];
						arara.setStatus(delivery.delivery_id, next);
						return [`${delivery.delivery_id}:${next}`];
					},
					(json) => `${String(json.delivery_id)}:${String(json.status)}`,
				),
			);
		if (wanted('Naimar SMS Trigger (webhook)')) reports.push(await soakWebhook(fakes));
		for (const spec of itemJobs(fakes).filter((item) => wanted(item.name)))
			reports.push(await soakItems(fakes, spec));
	} finally {
		await Promise.all([cmc.close(), naimar.close(), arara.close()]);
	}

	const table = [
		`soak: ${POLLS} polls/pushes per trigger, ${ITEMS} items per operation (at most ${SECONDS_PER_JOB} s each), ${FAULT_RATE * 100} % of requests faulted${gc ? '' : ' (run with --expose-gc for heap after GC)'}`,
		"(heap includes the in-process fakes; Arara's Send and Cancel drop the fake's deliveries after each execution. Heap after GC: the lowest of the first and of the last third of its samples, one per execution or per 50 polls; 'flat' unless it grew by 10 % and 8 MiB)",
		'',
		'| job | done | time | requests | faults | errors | peak heap | peak RSS | heap after GC start → end | memory | static data | lost / doubled |',
		'| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
		...reports.map(
			(report) =>
				`| ${report.job} | ${report.done} | ${report.seconds.toFixed(0)} s | ${report.requests} | ${report.faults} | ${report.errors} | ${mib(report.peakHeap)} | ${mib(report.peakRss)} | ${mib(report.heapStart)} → ${mib(report.heapEnd)} | ${grew(report) ? 'GREW' : 'flat'} | ${report.staticData ?? '—'} | ${report.problems.length ? report.problems.join('; ') : 'none'} |${report.sampleError ? ` e.g. "${report.sampleError.slice(0, 100)}"` : ''}`,
		),
	];
	console.log(`\n${table.join('\n')}`);
	// Under `npm run bench` the table goes into bench/RESULTS.md with the other results.
	if (process.env.BENCH_RESULTS)
		writeFileSync(`${process.env.BENCH_RESULTS}.soak.md`, table.join('\n'));
	const failed = reports.filter((report) => report.problems.length);
	if (failed.length) {
		console.error(`\nsoak: problems in ${failed.map((report) => report.job).join(', ')}`);
		process.exitCode = 1;
	}
}

if (require.main === module) {
	main().then(
		() => process.exit(process.exitCode ?? 0),
		(error: unknown) => {
			console.error(error);
			process.exit(1);
		},
	);
}
