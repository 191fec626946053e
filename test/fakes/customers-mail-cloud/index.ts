/**
 * A fake of the Customers Mail Cloud Blocks API (see /work/shared/api/customers-mail-cloud.md):
 * list / download / delete / cancel with the provider's validation, error codes and body shapes,
 * real (optionally encrypted) ZIP downloads, and state (an unblocked address moves to the removed
 * list). Assumptions where the spec is silent are marked "ASSUMPTION".
 */
import {
	FakeServer,
	parseBody,
	seededRandom,
	type FakeReply,
	type FakeRequest,
} from '../fake-server';
import {
	type FakeBlock,
	type GenerateOptions,
	csvChunks,
	formatCreated,
	generateBlocks,
} from './data';
import {
	type FakeBounce,
	type FakeDelivery,
	type MailGenerateOptions,
	bounceCsvChunks,
	generateBounces,
	generateDeliveries,
} from './mail-data';
import { type ZipEncryption, buildZip, deflateChunks } from './zip-writer';

export { type FakeBlock, generateBlocks, csvChunks } from './data';
export { buildZip, deflateChunks, type ZipEncryption } from './zip-writer';
export {
	type FakeBounce,
	type FakeDelivery,
	BOUNCE_CSV_COLUMNS,
	generateBounces,
	generateDeliveries,
} from './mail-data';

export const SANDBOX_PORT = 8401;

/** Credential values that work against the fake (`npm run sandbox` / `npm start`). */
export const SANDBOX_CREDENTIALS = {
	apiUser: 'sandbox-user',
	apiKey: 'sandbox-key-2f9c41d7e8',
	host: `http://127.0.0.1:${SANDBOX_PORT}`,
	language: 'en',
	serverComposition: 'testcomp',
} as const;

/** A composition that exists but that the API user may not read (error 12-002). */
export const DENIED_COMPOSITION = 'denied-comp';

const MESSAGES = {
	auth: {
		// ASSUMPTION: the spec does not say what a wrong key returns; we answer 401 with this body.
		en: 'Authentication failed. Check api_user and api_key.',
		ja: '認証に失敗しました。api_userとapi_keyを確認してください。',
	},
	required: { en: 'The {0} is required.', ja: '{0}を指定してください。' },
	invalid: { en: 'The {0} is invalid.', ja: '{0}の値が不正です。' },
	'10-002': {
		en: 'Specified server composition, {0}, was not found.',
		ja: '指定されたサーバ構成 {0} は存在しません。',
	},
	'10-003': {
		en: 'The start_date must be earlier than the end_date.',
		ja: '開始日には終了日以前の日付を指定してください。',
	},
	'12-001': {
		en: 'It does not exist the data specified in the email.',
		ja: 'emailで指定されたデータは存在しません。',
	},
	'12-002': {
		en: 'Access to the specified data was denied.',
		ja: '指定されたデータにアクセスする権限がありません。',
	},
} as const;

/** ASSUMPTION: codes for errors the spec does not list (auth, missing or invalid parameters). */
export const AUTH_ERROR_CODE = '01-001';
export const INVALID_PARAMETER_CODE = '10-001';

interface CompositionState {
	active: FakeBlock[];
	removed: FakeBlock[];
	/** Delivery records in `created` order, and the same records by day. */
	deliveries: FakeDelivery[];
	deliveriesByDay: Map<string, FakeDelivery[]>;
	bounces: FakeBounce[];
	denied: boolean;
}

function emptyComposition(denied: boolean): CompositionState {
	return {
		active: [],
		removed: [],
		deliveries: [],
		deliveriesByDay: new Map(),
		bounces: [],
		denied,
	};
}

/** The service is in Japan: "today" (no future date allowed) is the day in Japan. */
export function todayInJapan(now = Date.now()): string {
	return new Date(now + 9 * 3_600_000).toISOString().slice(0, 10);
}

class ApiError {
	constructor(
		readonly status: number,
		readonly errors: Array<{ code: string; field?: string; message: string }>,
	) {}
}

export interface DownloadSettings {
	encryption: ZipEncryption;
	dataDescriptor: boolean;
	/** Leave out Content-Disposition (the node then names the file itself). */
	omitFileName: boolean;
	/** Send only the first N bytes of the ZIP (a download cut short by a proxy). */
	truncateTo?: number;
}

export interface CustomersMailCloudFake {
	url: string;
	server: FakeServer;
	/** The credential data that works against this instance. */
	credentials: {
		apiUser: string;
		apiKey: string;
		host: string;
		language: string;
		serverComposition: string;
	};
	close(): Promise<void>;
	/** Empties every composition (keeps `testcomp` and the denied one). */
	reset(): void;
	/** Appends `count` generated blocks (deterministic for the same options) and returns them. */
	seed(
		count: number,
		options?: GenerateOptions & { composition?: string; removed?: boolean },
	): FakeBlock[];
	/** Appends one block (e.g. a "new" one for the trigger). */
	addBlock(
		block: Partial<FakeBlock> & { email: string },
		options?: { composition?: string; removed?: boolean },
	): FakeBlock;
	blocks(composition?: string): FakeBlock[];
	removedBlocks(composition?: string): FakeBlock[];
	addComposition(name: string, options?: { denied?: boolean }): void;
	/** How downloads are built from now on (for one composition only, when named). */
	setDownload(settings: Partial<DownloadSettings>, composition?: string): void;
	/** Appends the records of `mails` generated mails (deterministic for the same options) and returns them. */
	seedDeliveries(
		mails: number,
		options?: MailGenerateOptions & { composition?: string },
	): FakeDelivery[];
	/** Appends one delivery record. */
	addDelivery(
		record: Partial<FakeDelivery> & { to: string; status: string },
		options?: { composition?: string },
	): FakeDelivery;
	deliveries(composition?: string): FakeDelivery[];
	/** Appends `count` generated bounces and returns them. */
	seedBounces(
		count: number,
		options?: MailGenerateOptions & { composition?: string },
	): FakeBounce[];
	addBounce(
		bounce: Partial<FakeBounce> & { to: string },
		options?: { composition?: string },
	): FakeBounce;
	bounces(composition?: string): FakeBounce[];
}

function formatMessage(template: string, value = ''): string {
	return template.replace('{0}', value);
}

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
function isValidDate(text: string): boolean {
	const match = DATE_PATTERN.exec(text);
	if (!match) return false;
	const date = new Date(`${text}T00:00:00Z`);
	return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

export async function startCustomersMailCloudFake(
	options: { port?: number; demoData?: boolean } = {},
): Promise<CustomersMailCloudFake> {
	const compositions = new Map<string, CompositionState>();
	let version = 0;
	const filteredCache = new Map<string, FakeBlock[]>();
	const zipCache = new Map<string, Buffer>();
	let download: DownloadSettings = {
		encryption: { kind: 'none' },
		dataDescriptor: false,
		omitFileName: false,
	};
	const downloadByComposition = new Map<string, Partial<DownloadSettings>>();
	let serial = 0;

	const touch = () => {
		version++;
		filteredCache.clear();
		zipCache.clear();
	};
	const reset = () => {
		compositions.clear();
		compositions.set('testcomp', emptyComposition(false));
		compositions.set(DENIED_COMPOSITION, emptyComposition(true));
		downloadByComposition.clear();
		touch();
	};
	reset();

	const compositionOf = (name = 'testcomp') => {
		const state = compositions.get(name);
		if (!state) throw new Error(`no composition ${name} in the fake`);
		return state;
	};

	function language(request: FakeRequest): 'en' | 'ja' {
		return String(request.headers['accept-language'] ?? '')
			.toLowerCase()
			.startsWith('ja')
			? 'ja'
			: 'en';
	}

	function fail(
		request: FakeRequest,
		status: number,
		code: string,
		field: string | undefined,
		key: keyof typeof MESSAGES,
		value?: string,
	): never {
		throw new ApiError(status, [
			{
				code,
				...(field ? { field } : {}),
				message: formatMessage(MESSAGES[key][language(request)], value),
			},
		]);
	}

	function authenticate(
		request: FakeRequest,
		form: Record<string, unknown>,
		credentials: CustomersMailCloudFake['credentials'],
	) {
		if (form.api_user !== credentials.apiUser || form.api_key !== credentials.apiKey) {
			fail(request, 401, AUTH_ERROR_CODE, 'api_key', 'auth');
		}
	}

	function compositionFor(request: FakeRequest, form: Record<string, unknown>): CompositionState {
		const name = typeof form.server_composition === 'string' ? form.server_composition : '';
		if (!name)
			fail(
				request,
				400,
				INVALID_PARAMETER_CODE,
				'server_composition',
				'required',
				'server_composition',
			);
		const state = compositions.get(name);
		if (!state) fail(request, 400, '10-002', 'server_composition', '10-002', name);
		return state;
	}

	interface Filters {
		email?: string;
		start?: string;
		end?: string;
		removed: boolean;
	}

	function readFilters(request: FakeRequest, form: Record<string, unknown>): Filters {
		const text = (name: string) =>
			typeof form[name] === 'string' && form[name] !== '' ? (form[name] as string) : undefined;
		const start = text('start_date');
		const end = text('end_date');
		if (start !== undefined && !isValidDate(start))
			fail(request, 400, INVALID_PARAMETER_CODE, 'start_date', 'invalid', 'start_date');
		if (end !== undefined && !isValidDate(end))
			fail(request, 400, INVALID_PARAMETER_CODE, 'end_date', 'invalid', 'end_date');
		if (start && end && start > end) fail(request, 400, '10-003', 'start_date', '10-003');
		const removed = text('removed');
		if (removed !== undefined && removed !== 'true' && removed !== 'false') {
			fail(request, 400, INVALID_PARAMETER_CODE, 'removed', 'invalid', 'removed');
		}
		return { email: text('email'), start, end, removed: removed === 'true' };
	}

	function filtered(state: CompositionState, filters: Filters): FakeBlock[] {
		const key = JSON.stringify([[...compositions.values()].indexOf(state), filters, version]);
		let result = filteredCache.get(key);
		if (!result) {
			const needle = filters.email?.toLowerCase();
			result = (filters.removed ? state.removed : state.active).filter((block) => {
				const day = block.created.slice(0, 10);
				return (
					(!needle || block.email.toLowerCase().includes(needle)) &&
					(!filters.start || day >= filters.start) &&
					(!filters.end || day <= filters.end)
				);
			});
			filteredCache.set(key, result);
		}
		return result;
	}

	function readInteger(
		request: FakeRequest,
		form: Record<string, unknown>,
		name: string,
		fallback: number,
		min: number,
		max: number,
	): number {
		const raw = form[name];
		if (raw === undefined || raw === '') return fallback;
		const value = Number(raw);
		// ASSUMPTION: r above 100 (or p/r not a whole number) is refused with 10-001 rather than capped.
		if (!Number.isInteger(value) || value < min || value > max)
			fail(request, 400, INVALID_PARAMETER_CODE, name, 'invalid', name);
		return value;
	}

	function json(body: unknown, status = 200): FakeReply {
		return { status, body: JSON.stringify(body) };
	}

	async function zipFor(
		blocks: FakeBlock[],
		key: string,
		settings: DownloadSettings,
	): Promise<Buffer> {
		const cacheKey = JSON.stringify([key, version, settings.encryption, settings.dataDescriptor]);
		let zip = zipCache.get(cacheKey);
		if (!zip) {
			const deflated = await deflateChunks(csvChunks(blocks));
			zip = buildZip('blocks.csv', deflated, {
				encryption: settings.encryption,
				dataDescriptor: settings.dataDescriptor,
				random: seededRandom(42),
			});
			zipCache.clear();
			zipCache.set(cacheKey, zip);
		}
		return zip;
	}

	const partialMatch = (value: string, needle: unknown) =>
		typeof needle !== 'string' ||
		needle === '' ||
		value.toLowerCase().includes(needle.toLowerCase());

	const deliveryCache = new Map<string, FakeDelivery[]>();
	function listDeliveries(
		request: FakeRequest,
		form: Record<string, unknown>,
		state: CompositionState,
	): FakeReply {
		const date = typeof form.date === 'string' ? form.date : '';
		if (!date) fail(request, 400, INVALID_PARAMETER_CODE, 'date', 'required', 'date');
		if (!isValidDate(date)) fail(request, 400, INVALID_PARAMETER_CODE, 'date', 'invalid', 'date');
		// ASSUMPTION: a future day is refused as an invalid date (the spec: it "cannot be specified").
		if (date > todayInJapan())
			fail(request, 400, INVALID_PARAMETER_CODE, 'date', 'invalid', 'date');
		const hour =
			form.hour === undefined || form.hour === ''
				? undefined
				: readInteger(request, form, 'hour', 0, 0, 23);
		const status = typeof form.status === 'string' && form.status !== '' ? form.status : undefined;
		if (status !== undefined && !['queued', 'succeeded', 'failed', 'deferred'].includes(status)) {
			fail(request, 400, INVALID_PARAMETER_CODE, 'status', 'invalid', 'status');
		}
		const page = readInteger(request, form, 'p', 0, 0, Number.MAX_SAFE_INTEGER);
		const size = readInteger(request, form, 'r', 10, 1, 100);
		if (state.denied) fail(request, 403, '12-002', undefined, '12-002');
		const key = JSON.stringify([
			[...compositions.values()].indexOf(state),
			date,
			hour,
			status,
			form.from,
			form.to,
			form.api_data,
			version,
		]);
		let records = deliveryCache.get(key);
		if (!records) {
			const prefix = hour === undefined ? date : `${date} ${String(hour).padStart(2, '0')}`;
			records = (state.deliveriesByDay.get(date) ?? []).filter(
				(record) =>
					record.created.startsWith(prefix) &&
					(!status || record.status === status) &&
					partialMatch(record.from, form.from) &&
					partialMatch(record.to, form.to) &&
					partialMatch(record.apiData, form.api_data),
			);
			deliveryCache.clear();
			deliveryCache.set(key, records);
		}
		return json({ deliveries: records.slice(page * size, page * size + size) });
	}

	const bounceZipCache = new Map<string, Buffer>();
	async function bouncesCall(
		request: FakeRequest,
		form: Record<string, unknown>,
		state: CompositionState,
		asZip: boolean,
	): Promise<FakeReply> {
		const filters = readFilters(request, form);
		const status = typeof form.status === 'string' && form.status !== '' ? form.status : undefined;
		if (status !== undefined && !/^\d+$/.test(status))
			fail(request, 400, INVALID_PARAMETER_CODE, 'status', 'invalid', 'status');
		if (state.denied) fail(request, 403, '12-002', undefined, '12-002');
		const bounces = state.bounces.filter((bounce) => {
			const day = bounce.created.slice(0, 10);
			return (
				(!status || bounce.status === status) &&
				(!filters.start || day >= filters.start) &&
				(!filters.end || day <= filters.end) &&
				partialMatch(bounce.from, form.from) &&
				partialMatch(bounce.to, form.to) &&
				partialMatch(bounce.apiData, form.api_data)
			);
		});
		if (!asZip) {
			const page = readInteger(request, form, 'p', 0, 0, Number.MAX_SAFE_INTEGER);
			const size = readInteger(request, form, 'r', 10, 1, 100);
			return json({ bounces: bounces.slice(page * size, page * size + size) });
		}
		const name = String(form.server_composition);
		const settings = { ...download, ...downloadByComposition.get(name) };
		const cacheKey = JSON.stringify([
			name,
			filters,
			status,
			form.from,
			form.to,
			form.api_data,
			version,
			settings.encryption,
			settings.dataDescriptor,
		]);
		let zip = bounceZipCache.get(cacheKey);
		if (!zip) {
			const deflated = await deflateChunks(bounceCsvChunks(bounces));
			zip = buildZip('bounces.csv', deflated, {
				encryption: settings.encryption,
				dataDescriptor: settings.dataDescriptor,
				random: seededRandom(43),
			});
			bounceZipCache.clear();
			bounceZipCache.set(cacheKey, zip);
		}
		if (settings.truncateTo !== undefined) zip = zip.subarray(0, settings.truncateTo);
		const fileName = `bounces-${formatCreated(new Date()).replace(/[-:]/g, '').replace(' ', '_')}.zip`;
		return {
			status: 200,
			headers: {
				'content-type': 'application/octet-stream',
				...(settings.omitFileName
					? {}
					: { 'content-disposition': `attachment; filename="${fileName}"` }),
			},
			body: zip,
		};
	}

	const addDeliveryRecords = (state: CompositionState, records: FakeDelivery[]) => {
		for (const record of records) {
			state.deliveries.push(record);
			const day = record.created.slice(0, 10);
			const list = state.deliveriesByDay.get(day);
			if (list) list.push(record);
			else state.deliveriesByDay.set(day, [record]);
		}
		touch();
	};

	let fake: CustomersMailCloudFake;
	const handler = async (request: FakeRequest): Promise<FakeReply> => {
		try {
			// Test-only: lets a benchmark that runs the fake in another process count requests.
			if (request.path === '/__fake/stats') return json({ requests: fake.server.requests.length });
			const mailMatch =
				/^\/transaction\/v2\/(deliveries\/list|bounces\/list|bounces\/download)\.json$/.exec(
					request.path,
				);
			if (mailMatch) {
				if (request.method !== 'POST') return { status: 405, body: '' };
				const form = parseBody(request);
				authenticate(request, form, fake.credentials);
				const state = compositionFor(request, form);
				if (mailMatch[1] === 'deliveries/list') return listDeliveries(request, form, state);
				return await bouncesCall(request, form, state, mailMatch[1] === 'bounces/download');
			}
			const match = /^\/transaction\/v2\/blocks\/(list|download|delete|cancel)\.json$/.exec(
				request.path,
			);
			if (!match)
				return {
					status: 404,
					headers: { 'content-type': 'text/html' },
					body: '<html><body>Not Found</body></html>',
				};
			if (request.method !== 'POST') return { status: 405, body: '' };
			const form = parseBody(request);
			authenticate(request, form, fake.credentials);
			const state = compositionFor(request, form);
			const operation = match[1];
			if (operation === 'list' || operation === 'download') {
				const filters = readFilters(request, form);
				if (state.denied) fail(request, 403, '12-002', undefined, '12-002');
				const blocks = filtered(state, filters);
				if (operation === 'list') {
					const page = readInteger(request, form, 'p', 0, 0, Number.MAX_SAFE_INTEGER);
					const size = readInteger(request, form, 'r', 10, 1, 100);
					return json({ blocks: blocks.slice(page * size, page * size + size) });
				}
				const name = String(form.server_composition);
				const settings = { ...download, ...downloadByComposition.get(name) };
				let zip = await zipFor(blocks, JSON.stringify([name, filters]), settings);
				if (settings.truncateTo !== undefined) zip = zip.subarray(0, settings.truncateTo);
				const fileName = `blocks-${formatCreated(new Date()).replace(/[-:]/g, '').replace(' ', '_')}.zip`;
				return {
					status: 200,
					headers: {
						'content-type': 'application/octet-stream',
						...(settings.omitFileName
							? {}
							: { 'content-disposition': `attachment; filename="${fileName}"` }),
					},
					body: zip,
				};
			}
			const email = typeof form.email === 'string' ? form.email : '';
			if (!email) fail(request, 400, INVALID_PARAMETER_CODE, 'email', 'required', 'email');
			const index = state.active.findIndex(
				(block) => block.email.toLowerCase() === email.toLowerCase(),
			);
			if (index < 0) fail(request, 400, '12-001', 'email', '12-001');
			const [lifted] = state.active.splice(index, 1);
			state.removed.push(lifted);
			touch();
			return json({ message: 'success' });
		} catch (error) {
			if (error instanceof ApiError) return json({ errors: error.errors }, error.status);
			throw error;
		}
	};

	const server = await new FakeServer(handler).start(options.port ?? 0);
	fake = {
		url: server.url,
		server,
		credentials: { ...SANDBOX_CREDENTIALS, host: server.url },
		close: async () => await server.close(),
		reset,
		seed(count, seedOptions = {}) {
			const blocks = generateBlocks(count, { prefix: `s${serial++}`, ...seedOptions });
			const state = compositionOf(seedOptions.composition);
			const list = seedOptions.removed ? state.removed : state.active;
			for (const block of blocks) list.push(block);
			touch();
			return blocks;
		},
		addBlock(block, addOptions = {}) {
			const full: FakeBlock = {
				created: formatCreated(new Date()),
				id: `cpnew${(serial++).toString(36)}`,
				occurred: '1',
				status: '2',
				...block,
			};
			const state = compositionOf(addOptions.composition);
			(addOptions.removed ? state.removed : state.active).push(full);
			touch();
			return full;
		},
		blocks: (composition) => compositionOf(composition).active,
		removedBlocks: (composition) => compositionOf(composition).removed,
		addComposition(name, compositionOptions = {}) {
			compositions.set(name, emptyComposition(compositionOptions.denied ?? false));
			touch();
		},
		seedDeliveries(mails, seedOptions = {}) {
			const records = generateDeliveries(mails, { prefix: `m${serial++}`, ...seedOptions });
			addDeliveryRecords(compositionOf(seedOptions.composition), records);
			return records;
		},
		addDelivery(record, addOptions = {}) {
			const full: FakeDelivery = {
				created: formatCreated(new Date()),
				returnPath: 'bounce@return.example.com',
				from: 'info@example.com',
				messageId: `<new-${(serial++).toString(36)}@node1>`,
				reason: '',
				senderIp: '',
				sourceIp: '',
				subject: 'a new mail',
				apiData: '',
				...record,
			};
			addDeliveryRecords(compositionOf(addOptions.composition), [full]);
			return full;
		},
		deliveries: (composition) => compositionOf(composition).deliveries,
		seedBounces(count, seedOptions = {}) {
			const bounces = generateBounces(count, { prefix: `x${serial++}`, ...seedOptions });
			compositionOf(seedOptions.composition).bounces.push(...bounces);
			touch();
			return bounces;
		},
		addBounce(bounce, addOptions = {}) {
			const full: FakeBounce = {
				created: formatCreated(new Date()),
				status: '2',
				from: 'info@example.com',
				messageId: `<newb-${(serial++).toString(36)}@node1>`,
				returnPath: 'bounce@return.example.com',
				subject: 'a new mail',
				apiData: '',
				reason: '550 5.1.1 User unknown',
				...bounce,
			};
			compositionOf(addOptions.composition).bounces.push(full);
			touch();
			return full;
		},
		bounces: (composition) => compositionOf(composition).bounces,
		setDownload(settings, composition) {
			if (composition)
				downloadByComposition.set(composition, {
					...downloadByComposition.get(composition),
					...settings,
				});
			else download = { ...download, ...settings };
			zipCache.clear();
		},
	};
	if (options.demoData ?? options.port === SANDBOX_PORT) {
		// A month of blocks ending now, and a few lifted ones, for `npm start`.
		fake.seed(240, {
			seed: 7,
			from: new Date(Date.now() - 30 * 86_400_000),
			spacingSeconds: 5400,
			prefix: 'demo',
		});
		fake.seed(12, {
			seed: 8,
			from: new Date(Date.now() - 60 * 86_400_000),
			spacingSeconds: 86_400,
			prefix: 'lifted',
			removed: true,
		});
		// Bounces of the last five days (none in the future), for the bounce alert example.
		fake.seedBounces(40, {
			seed: 9,
			from: new Date(Date.now() - 5 * 86_400_000),
			spacingSeconds: 3600,
			prefix: 'demo',
		});
	}
	return fake;
}
