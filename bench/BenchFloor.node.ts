/**
 * The floor of every benchmark: a throwaway node (never shipped) that does a job the cheapest way
 * a node can inside n8n. It reads the same parameters per item as this package's node (the same way), sends the
 * same requests (same pages, batches and concurrency) through bare `this.helpers.httpRequest`, and
 * reads its credential once. No retries, no error shapes, no redaction, no item mapping: what is
 * left is n8n's own cost per request and per item.
 */
import type {
	IAdditionalCredentialOptions,
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';

import { readItemParameter } from '../nodes/shared/description/itemParameter';
import { mapWithConcurrency } from '../nodes/shared/transport/limiter';
import { fetchPagesUntilShort } from '../nodes/shared/transport/paging';
import { partsFor, splitWindow } from '../nodes/AraraMessage/helpers/period';
import { toJapanMinute } from '../nodes/AraraMessage/helpers/japanTime';

export const FLOOR_JOBS = [
	'cmcList',
	'cmcUnblock',
	'naimarGet',
	'araraGet',
	'araraCancel',
	'araraSend',
	'araraGetAll',
	'cmcDeliveries',
	'araraLookup',
	'cmcWatch',
	'araraWatch',
	'items',
	'readParameters',
] as const;
export type FloorJob = (typeof FLOOR_JOBS)[number];

const CMC = 'customersMailCloudApi';
const NAIMAR = 'naimarSmsApi';
const ARARA = 'araraMessageOAuth2Api';
const CMC_PAGE = 100;
const NAIMAR_BATCH = 100;
const ARARA_BATCH = 100;
const ARARA_LOOKUP_BATCH = 10_000;
const MINUTE = 60_000;

type Context = IExecuteFunctions | IPollFunctions;

const text = (name: string) => ({ displayName: name, name, type: 'string' as const, default: '' });

function trimmed(value: unknown): string {
	return String(value ?? '')
		.trim()
		.replace(/\/+$/, '');
}

function concurrencyOf(options: unknown): number {
	return Number((options as IDataObject | undefined)?.concurrency ?? 4) || 4;
}

/**
 * With "Via n8n's Authentication" the floor sends through httpRequestWithAuthentication (as every
 * node must), with the credential decrypted once as the nodes pass it, so the gap between the two
 * floors is what n8n's authentication costs per request (and its OAuth2 client's, for Arara),
 * and the node's gap to this one is the node's own cost. Set per execution (benchmarks run one at a time).
 */
let authenticateAs: string | undefined;

function credentialTypeOf(job: FloorJob): string {
	return job.startsWith('cmc') ? CMC : job.startsWith('naimar') ? NAIMAR : ARARA;
}

const decrypted = new WeakMap<object, Promise<ICredentialDataDecryptedObject>>();

/**
 * The credential decrypted once per execution and handed to n8n's helper, as the nodes do:
 * n8n then applies its `authenticate` without reading it again. OAuth2 credentials cannot take it.
 */
async function credentialOptions(
	ctx: Context,
	type: string,
): Promise<IAdditionalCredentialOptions | undefined> {
	if (type === ARARA) return undefined;
	let data = decrypted.get(ctx);
	if (!data) decrypted.set(ctx, (data = ctx.getCredentials(type)));
	return { credentialsDecrypted: { id: '', name: type, type, data: await data } };
}

async function send(ctx: Context, options: IHttpRequestOptions): Promise<IDataObject> {
	if (authenticateAs)
		return (await ctx.helpers.httpRequestWithAuthentication.call(
			ctx,
			authenticateAs,
			{ json: true, ...options },
			await credentialOptions(ctx, authenticateAs),
		)) as IDataObject;
	return (await ctx.helpers.httpRequest({ json: true, ...options })) as IDataObject;
}

const form = { 'Content-Type': 'application/x-www-form-urlencoded' };

/** The token stored with the credential, else one client-credentials token for the execution. */
async function araraToken(
	ctx: Context,
	credentials: ICredentialDataDecryptedObject,
): Promise<string> {
	const stored = (credentials.oauthTokenData as IDataObject | undefined)?.access_token;
	if (typeof stored === 'string' && stored) return stored;
	const basic = Buffer.from(
		`${String(credentials.clientId)}:${String(credentials.clientSecret)}`,
	).toString('base64');
	const answer = await ctx.helpers.httpRequest({
		json: true,
		method: 'POST',
		url: String(credentials.accessTokenUrl),
		headers: { ...form, Authorization: `Basic ${basic}` },
		body: { grant_type: 'client_credentials' },
	});
	return String(answer.access_token);
}

/** All deliveries of [from, to): split by `total` the way the package's node splits. */
async function araraPeriod(
	ctx: Context,
	base: string,
	token: string,
	from: number,
	to: number,
	concurrency: number,
): Promise<IDataObject[]> {
	let open = [{ from, to }];
	const done: IDataObject[][] = [];
	while (open.length) {
		const answers = await mapWithConcurrency(
			open,
			concurrency,
			async (window) =>
				await send(ctx, {
					method: 'GET',
					url: `${base}/send`,
					qs: { timemin: toJapanMinute(window.from), timemax: toJapanMinute(window.to) },
					headers: { Authorization: `Bearer ${token}` },
				}),
		);
		const next: typeof open = [];
		answers.forEach((answer, index) => {
			const items = (answer.items as IDataObject[]) ?? [];
			const window = open[index];
			if (Number(answer.total) <= items.length || window.to - window.from <= MINUTE)
				done.push(items);
			else next.push(...splitWindow(window.from, window.to, partsFor(Number(answer.total))));
		});
		open = next;
	}
	return done.flat();
}

const araraBase = (credentials: ICredentialDataDecryptedObject) => {
	const host = trimmed(credentials.host);
	return /^https?:\/\//i.test(host) ? host : `https://${host}`;
};

async function cmcListAll(
	ctx: Context,
	credentials: ICredentialDataDecryptedObject,
	composition: unknown,
	extra: IDataObject,
	concurrency: number,
): Promise<IDataObject[]> {
	const url = `${trimmed(credentials.host)}/transaction/v2/blocks/list.json`;
	const serverComposition = String(composition || credentials.serverComposition);
	const pages = await fetchPagesUntilShort({ pageSize: CMC_PAGE, concurrency }, async (page) => {
		const answer = await send(ctx, {
			method: 'POST',
			url,
			headers: form,
			body: {
				server_composition: serverComposition,
				...extra,
				p: page,
				r: CMC_PAGE,
				api_user: credentials.apiUser,
				api_key: credentials.apiKey,
			},
		});
		return (answer.blocks as IDataObject[]) ?? [];
	});
	return pages.flat();
}

/**
 * The floor reads its parameters as the nodes do (nodes/shared/description/itemParameter.ts):
 * a fixed value or `{{ $json.field }}` without n8n evaluating it per item, anything else through n8n.
 */
async function execute(
	ctx: IExecuteFunctions,
	job: FloorJob,
	items: INodeExecutionData[],
): Promise<IDataObject[]> {
	const concurrency = concurrencyOf(readItemParameter(ctx, 'options', 0, {}));
	switch (job) {
		case 'cmcList': {
			const credentials = await ctx.getCredentials(CMC);
			return await cmcListAll(
				ctx,
				credentials,
				readItemParameter(ctx, 'serverComposition', 0),
				{},
				concurrency,
			);
		}
		case 'cmcUnblock': {
			const credentials = await ctx.getCredentials(CMC);
			const operation = readItemParameter(ctx, 'operation', 0) as string;
			const url = `${trimmed(credentials.host)}/transaction/v2/blocks/${operation}.json`;
			return await mapWithConcurrency(items, concurrency, async (_item, index) => {
				const serverComposition =
					readItemParameter(ctx, 'serverComposition', index) || credentials.serverComposition;
				const email = readItemParameter(ctx, 'email', index) as string;
				readItemParameter(ctx, 'options', index, {});
				const answer = await send(ctx, {
					method: 'POST',
					url,
					headers: form,
					body: {
						server_composition: serverComposition,
						email,
						api_user: credentials.apiUser,
						api_key: credentials.apiKey,
					},
				});
				return { email, result: answer.message };
			});
		}
		case 'naimarGet': {
			const credentials = await ctx.getCredentials(NAIMAR);
			const ids = items.flatMap((_item, index) =>
				String(readItemParameter(ctx, 'messageIds', index))
					.split(/[\s,]+/)
					.filter(Boolean),
			);
			readItemParameter(ctx, 'options', 0, {});
			const batches: string[][] = [];
			for (let start = 0; start < ids.length; start += NAIMAR_BATCH)
				batches.push(ids.slice(start, start + NAIMAR_BATCH));
			const url = `${trimmed(credentials.baseUrl)}/rest/delivery/json/`;
			const answers = await mapWithConcurrency(
				batches,
				concurrency,
				async (batch) =>
					await send(ctx, {
						method: 'POST',
						url,
						body: {
							username: credentials.username,
							password: credentials.password,
							deliveries: batch.map((id) => ({ id })),
						},
					}),
			);
			return answers.flatMap((answer) => (answer.delivery as IDataObject[]) ?? []);
		}
		case 'araraGet':
		case 'araraCancel': {
			const credentials = await ctx.getCredentials(ARARA);
			const base = araraBase(credentials);
			const token = await araraToken(ctx, credentials);
			const method = job === 'araraGet' ? 'GET' : 'DELETE';
			const answers = await mapWithConcurrency(items, concurrency, async (_item, index) => {
				const id = String(readItemParameter(ctx, 'deliveryId', index));
				readItemParameter(ctx, 'options', index, {});
				return await send(ctx, {
					method,
					url: `${base}/send/${encodeURIComponent(id)}`,
					headers: { Authorization: `Bearer ${token}` },
				});
			});
			return answers.flatMap((answer) => (answer.items as IDataObject[]) ?? []);
		}
		case 'araraSend': {
			const credentials = await ctx.getCredentials(ARARA);
			const base = araraBase(credentials);
			// The same requests as the node's: it gives each delivery a request ID (43 characters) when
			// n8n runs it as an execution, so a rerun cannot mail twice; the floor names them by index.
			const withIds = ctx.getExecutionId() !== undefined;
			const deliveries = items.map((_item, index) => ({
				'mailing-list': [{ to: { address: String(readItemParameter(ctx, 'toAddress', index)) } }],
				contents: {
					subject: readItemParameter(ctx, 'subject', index),
					body: { text: readItemParameter(ctx, 'text', index) },
				},
				settings: {
					send_time: 'now',
					...(withIds ? { request_id: `n8n${index.toString(16).padStart(40, '0')}` } : {}),
					from: {
						address: readItemParameter(ctx, 'fromAddress', index),
						name: readItemParameter(ctx, 'fromName', index),
					},
				},
			}));
			const batches: IDataObject[][] = [];
			for (let start = 0; start < deliveries.length; start += ARARA_BATCH)
				batches.push(deliveries.slice(start, start + ARARA_BATCH));
			const token = await araraToken(ctx, credentials);
			const answers = await mapWithConcurrency(
				batches,
				concurrency,
				async (delivery) =>
					await send(ctx, {
						method: 'POST',
						url: `${base}/send`,
						headers: { Authorization: `Bearer ${token}` },
						body: { delivery },
					}),
			);
			return answers.flatMap((answer) => (answer.items as IDataObject[]) ?? []);
		}
		case 'araraGetAll': {
			const credentials = await ctx.getCredentials(ARARA);
			const from = Date.parse(String(readItemParameter(ctx, 'timeMin', 0)));
			const to = Date.parse(String(readItemParameter(ctx, 'timeMax', 0)));
			const token = await araraToken(ctx, credentials);
			return await araraPeriod(ctx, araraBase(credentials), token, from, to, concurrency);
		}
		case 'cmcDeliveries': {
			const credentials = await ctx.getCredentials(CMC);
			const url = `${trimmed(credentials.host)}/transaction/v2/deliveries/list.json`;
			const serverComposition = String(
				readItemParameter(ctx, 'serverComposition', 0) || credentials.serverComposition,
			);
			const date = String(readItemParameter(ctx, 'date', 0));
			readItemParameter(ctx, 'returnAll', 0, true);
			readItemParameter(ctx, 'filters', 0, {});
			const pages = await fetchPagesUntilShort(
				{ pageSize: CMC_PAGE, concurrency },
				async (page) => {
					const answer = await send(ctx, {
						method: 'POST',
						url,
						headers: form,
						body: {
							server_composition: serverComposition,
							date,
							p: page,
							r: CMC_PAGE,
							api_user: credentials.apiUser,
							api_key: credentials.apiKey,
						},
					});
					return (answer.deliveries as IDataObject[]) ?? [];
				},
			);
			return pages.flat();
		}
		case 'araraLookup': {
			const credentials = await ctx.getCredentials(ARARA);
			const base = araraBase(credentials);
			const addresses = items.map((_item, index) =>
				String(readItemParameter(ctx, 'address', index)),
			);
			readItemParameter(ctx, 'options', 0, {});
			const unique = [
				...new Map(addresses.map((address) => [address.toLowerCase(), address])).values(),
			];
			const batches: string[][] = [];
			for (let start = 0; start < unique.length; start += ARARA_LOOKUP_BATCH)
				batches.push(unique.slice(start, start + ARARA_LOOKUP_BATCH));
			const token = await araraToken(ctx, credentials);
			const found = new Map<string, IDataObject>();
			await mapWithConcurrency(batches, concurrency, async (batch) => {
				const answer = await send(ctx, {
					method: 'POST',
					url: `${base}/errorfilter`,
					headers: { Authorization: `Bearer ${token}` },
					body: { items: batch.map((address) => ({ address })) },
				});
				for (const entry of (answer.items as IDataObject[]) ?? [])
					found.set(String(entry.address).toLowerCase(), entry);
			});
			return addresses.map((address) => {
				const entry = found.get(address.toLowerCase());
				return entry
					? { address, registered: true, ...entry }
					: { address, registered: false, count: 0 };
			});
		}
		case 'readParameters':
			// No request: what n8n's getNodeParameter costs reading Message IDs per item (the nodes skip it).
			return [
				{ read: items.map((_item, index) => ctx.getNodeParameter('messageIds', index)).length },
			];
		case 'items':
			// Not a floor: the input items of a workflow in the real n8n (no Code node, no task runner).
			return JSON.parse(String(ctx.getNodeParameter('itemsJson', 0))) as IDataObject[];
		default:
			throw new Error(`the floor node has no job "${job}" to execute`);
	}
}

async function poll(ctx: IPollFunctions, job: FloorJob): Promise<IDataObject[]> {
	const staticData = ctx.getWorkflowStaticData('node') as {
		seen?: Record<string, string>;
		since?: string;
	};
	const concurrency = concurrencyOf(ctx.getNodeParameter('options', {}));
	let listed: IDataObject[];
	let keyOf: (entry: IDataObject) => string;
	if (job === 'cmcWatch') {
		const credentials = await ctx.getCredentials(CMC);
		const removed = ctx.getNodeParameter('event', 'newBlock') === 'blockRemoved';
		const composition = ctx.getNodeParameter('serverComposition', '');
		ctx.getNodeParameter('filters', {});
		const startDate =
			staticData.since ?? new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
		listed = await cmcListAll(
			ctx,
			credentials,
			composition,
			removed ? { removed: 'true' } : { start_date: startDate },
			concurrency,
		);
		if (!removed) staticData.since = startDate;
		keyOf = (block) => String(block.id);
	} else if (job === 'araraWatch') {
		const credentials = await ctx.getCredentials(ARARA);
		const hours = Number(ctx.getNodeParameter('lookBackHours', 24));
		const now = Date.now();
		const token = await araraToken(ctx, credentials);
		const from = Math.floor((now - hours * 3_600_000) / MINUTE) * MINUTE;
		listed = await araraPeriod(
			ctx,
			araraBase(credentials),
			token,
			from,
			Math.ceil((now + 1) / MINUTE) * MINUTE,
			concurrency,
		);
		keyOf = (delivery) =>
			`${String(delivery.delivery_id ?? delivery.deliver_id)}:${String(delivery.status)}`;
	} else {
		throw new Error(`the floor node has no job "${job}" to poll`);
	}
	const seen = staticData.seen ?? {};
	const next: Record<string, string> = {};
	const fresh: IDataObject[] = [];
	for (const entry of listed) {
		const key = keyOf(entry);
		if (!(key in seen)) fresh.push(entry);
		next[key] = '';
	}
	const first = staticData.seen === undefined;
	staticData.seen = next;
	return first ? [] : fresh;
}

export class BenchFloor implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bench Floor',
		name: 'benchFloor',
		group: ['transform'],
		version: 1,
		description: 'The cheapest node that does a benchmark job (not shipped)',
		defaults: { name: 'Bench Floor' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [
			{ name: CMC, required: false },
			{ name: NAIMAR, required: false },
			{ name: ARARA, required: false },
		],
		properties: [
			{
				...text('job'),
				type: 'options',
				options: FLOOR_JOBS.map((job) => ({ name: job, value: job })),
				default: 'cmcList',
			},
			...[
				'operation',
				'email',
				'messageIds',
				'deliveryId',
				'toAddress',
				'subject',
				'text',
				'fromAddress',
				'fromName',
				'event',
				'timeMin',
				'timeMax',
				'serverComposition',
				'itemsJson',
				'date',
				'address',
			].map(text),
			{ displayName: 'Look Back Hours', name: 'lookBackHours', type: 'number', default: 24 },
			{ displayName: 'Return All', name: 'returnAll', type: 'boolean', default: true },
			{
				displayName: "Via n8n's Authentication",
				name: 'viaAuthentication',
				type: 'boolean',
				default: false,
			},
			{
				displayName: 'Filters',
				name: 'filters',
				type: 'collection',
				default: {},
				options: [text('email')],
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				default: {},
				options: [{ displayName: 'Concurrency', name: 'concurrency', type: 'number', default: 4 }],
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const job = this.getNodeParameter('job', 0) as FloorJob;
		authenticateAs = this.getNodeParameter('viaAuthentication', 0, false)
			? credentialTypeOf(job)
			: undefined;
		const out = await execute(this, job, items);
		return [out.map((json) => ({ json }))];
	}

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const job = this.getNodeParameter('job') as FloorJob;
		authenticateAs = this.getNodeParameter('viaAuthentication', false)
			? credentialTypeOf(job)
			: undefined;
		const fresh = await poll(this, job);
		return fresh.length ? [fresh.map((json) => ({ json }))] : null;
	}
}

export const FLOOR_TYPE = 'bench.floor';
export const floorType = { type: FLOOR_TYPE, nodeType: new BenchFloor() };
