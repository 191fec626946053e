/**
 * The rows of the fault × bad-input matrix: one per action operation. A row says how to run the
 * operation on three good items, which parameter bad input goes into, how an error about that
 * parameter names it, and which request paths and parameter names the node may send. A new
 * operation is one more row.
 */
import type { IDataObject } from 'n8n-workflow';

import type { AraraFake, StoredDelivery } from '../fakes/arara-message';
import { japanMinute } from '../fakes/arara-message/store';
import type { CustomersMailCloudFake } from '../fakes/customers-mail-cloud';
import type { NaimarSmsFake } from '../fakes/naimar-sms';
import { DELIVERY_PATH } from '../fakes/naimar-sms';

export type Provider = 'cmc' | 'naimar' | 'arara';

export interface Fakes {
	cmc: CustomersMailCloudFake;
	naimar: NaimarSmsFake;
	arara: AraraFake;
}

/** The value expression every row reads its bad-input parameter from. */
export const VALUE = '={{ $json.value }}';

export interface OperationRow {
	name: string;
	provider: Provider;
	node: 'customersMailCloud' | 'naimarSms' | 'araraMessage';
	resource: string;
	operation: string;
	/** The node's parameters, with the field under test read from each item's `value`. */
	parameters: IDataObject;
	/** The good values of items 0–2 (after setup). */
	goodValues: (fakes: Fakes) => unknown[];
	/** Parameters that read a start and an end date from each item's `start` and `end`; absent when the operation takes no dates. */
	dateParameters?: IDataObject;
	/** Whether the dates are one point in time (`start` only), not a period. */
	singleDate?: boolean;
	/** Good `start`/`end` of an item, for rows with dates. */
	goodDates?: (fakes: Fakes) => { start: string; end: string };
	/** How an error about the field under test (or its dates) names it. */
	fieldName: RegExp;
	/** Once, before the row's first run. */
	setup(fakes: Fakes): void;
	/** Before every run: undoes what an earlier run changed (unblocked, cancelled). */
	restore?(fakes: Fakes): void;
	/** Drops the values that differ between two runs of the same input (ids the provider issues). */
	normalize?(json: IDataObject): IDataObject;
	/** Paths the node may send to, and the request parameters (query, form or top-level JSON body) it may set. */
	allowed: Array<{ path: RegExp; params: readonly string[] }>;
	/** The fake's path prefix a fault is queued for. */
	faultPath: string;
	/** Whether the operation downloads a ZIP (the truncated-ZIP fault applies). */
	zip?: boolean;
	/**
	 * Whether an answer with an empty body reads as no records (the Ruby SDK's
	 * reading for the mail lists): then a run that meets one on every request may output nothing
	 * for an item instead of an error.
	 */
	emptyBodyMeansNoRecords?: boolean;
	/**
	 * For 10,000 items: a value the node refuses before sending anything (default ''), given to
	 * all but every 100th item, so the case costs 100 requests; undefined when the operation
	 * batches its items (then all 10,000 are good).
	 */
	refusedValue?: unknown;
}

const CMC_LIST = '/transaction/v2/blocks/';
const CMC_PARAMS = [
	'api_user',
	'api_key',
	'server_composition',
	'email',
	'start_date',
	'end_date',
	'removed',
	'p',
	'r',
] as const;
const ARARA_TOKEN = { path: /^\/oauth2\/token$/, params: ['grant_type', 'scope'] } as const;
/** The reservation is one JSON body with one top-level field. */
const ARARA_RESERVE_PARAMS = ['delivery'] as const;
/** Blocks every CMC row works on; laid out again before every CMC run. */
function layOutBlocks(cmc: CustomersMailCloudFake): void {
	cmc.reset();
	const created = (day: number) => `2024-03-${String(day).padStart(2, '0')} 10:00:00`;
	for (const [index, name] of ['alpha', 'beta', 'gamma'].entries()) {
		for (let copy = 0; copy < 2; copy++) {
			cmc.addBlock({
				email: `${name}${copy}@example.com`,
				id: `fix${name}${copy}`,
				created: created(10 + index),
				status: '2',
				occurred: '1',
			});
		}
		cmc.addBlock({
			email: `lift-${name}@example.com`,
			id: `fixlift${name}`,
			created: created(10 + index),
			status: '2',
			occurred: '1',
		});
	}
}

/** Deliveries and bounces the mail rows read: two records per address, on three days of March 2024. */
function layOutMail(cmc: CustomersMailCloudFake): void {
	cmc.reset();
	for (const [index, name] of ['alpha', 'beta', 'gamma'].entries()) {
		const day = `2024-03-${String(10 + index).padStart(2, '0')}`;
		const mail = {
			from: 'shop@example.jp',
			to: `${name}@example.com`,
			messageId: `<fix-${name}@example.jp>`,
			apiData: `fix-${name}`,
		};
		cmc.addDelivery({ ...mail, status: 'queued', created: `${day} 09:00:00` });
		cmc.addDelivery({
			...mail,
			status: 'failed',
			created: `${day} 09:00:05`,
			reason: '550 5.1.1 unknown user',
		});
		cmc.addBounce({
			...mail,
			status: '2',
			created: `${day} 09:00:06`,
			reason: '550 5.1.1 unknown user',
		});
		cmc.addBounce({ ...mail, status: '99', created: `${day} 10:00:00`, reason: 'other' });
	}
}

const CMC_DELIVERY_PARAMS = [
	'api_user',
	'api_key',
	'server_composition',
	'date',
	'hour',
	'status',
	'from',
	'to',
	'api_data',
	'p',
	'r',
] as const;
const CMC_BOUNCE_PARAMS = [
	'api_user',
	'api_key',
	'server_composition',
	'status',
	'start_date',
	'end_date',
	'from',
	'to',
	'api_data',
	'p',
	'r',
] as const;
const CMC_MAIL_FIELDS = /To Contains|Start Date|End Date|Date|start_date|end_date|date/;
const bounceDates = {
	filters: { to: VALUE, startDate: '={{ $json.start }}', endDate: '={{ $json.end }}' },
};

const bounceRow = (operation: 'getAll' | 'download'): OperationRow => ({
	name: `Customers Mail Cloud bounce ${operation}`,
	provider: 'cmc',
	node: 'customersMailCloud',
	resource: 'bounce',
	operation,
	parameters:
		operation === 'getAll'
			? { returnAll: false, limit: 5, filters: { to: VALUE } }
			: { output: 'items', filters: { to: VALUE } },
	dateParameters:
		operation === 'getAll'
			? { returnAll: false, limit: 5, ...bounceDates }
			: { output: 'items', ...bounceDates },
	goodValues: () => ['alpha', 'beta', 'gamma'],
	goodDates: () => ({ start: '2024-03-01', end: '2024-03-31' }),
	fieldName: CMC_MAIL_FIELDS,
	refusedValue: ['alpha', 'beta'],
	setup: ({ cmc }) => layOutMail(cmc),
	restore: ({ cmc }) => layOutMail(cmc),
	allowed: [
		{
			path: new RegExp(
				`^/transaction/v2/bounces/${operation === 'getAll' ? 'list' : 'download'}\\.json$`,
			),
			params: CMC_BOUNCE_PARAMS,
		},
	],
	faultPath: '/transaction/v2/bounces/',
	...(operation === 'getAll' ? { emptyBodyMeansNoRecords: true } : { zip: true }),
});

const cmcDates = {
	filters: { email: VALUE, startDate: '={{ $json.start }}', endDate: '={{ $json.end }}' },
};
const cmcGoodDates = () => ({ start: '2024-03-01', end: '2024-03-31' });

const unblockRow = (operation: 'delete' | 'cancel'): OperationRow => ({
	name: `Customers Mail Cloud block ${operation}`,
	provider: 'cmc',
	node: 'customersMailCloud',
	resource: 'block',
	operation,
	parameters: { email: VALUE },
	goodValues: () => ['lift-alpha@example.com', 'lift-beta@example.com', 'lift-gamma@example.com'],
	fieldName: /Email|email/,
	refusedValue: '',
	setup: ({ cmc }) => layOutBlocks(cmc),
	restore: ({ cmc }) => layOutBlocks(cmc),
	allowed: [{ path: new RegExp(`^${CMC_LIST}${operation}\\.json$`), params: CMC_PARAMS }],
	faultPath: CMC_LIST,
});

/** Deliveries the Arara rows look up and cancel, made once. */
const araraFixtures: {
	lookups: StoredDelivery[];
	cancels: StoredDelivery[];
	from: number;
	to: number;
} = {
	lookups: [],
	cancels: [],
	from: 0,
	to: 0,
};

function addDelivery(arara: AraraFake, reservedAt: number, tag: string): StoredDelivery {
	const sendAt = Math.floor((Date.now() + 2 * 86_400_000) / 60_000) * 60_000;
	const delivery: StoredDelivery = {
		delivery_id: arara.store.newId(),
		status: 'reserved',
		settings: { send_time: japanMinute(sendAt), request_id: `matrix${tag}` },
		sendresult_count: { success: 0, error: 0 },
		reservedAt,
		sendAt,
		mails: 1,
	};
	arara.store.add(delivery);
	return delivery;
}

function setUpArara({ arara }: Fakes): void {
	if (araraFixtures.lookups.length) return;
	const base = Math.floor((Date.now() - 5 * 3_600_000) / 60_000) * 60_000;
	araraFixtures.from = base - 60 * 60_000;
	araraFixtures.to = base + 60 * 60_000;
	araraFixtures.lookups = ['a', 'b', 'c'].map((tag, index) =>
		addDelivery(arara, base + index * 60_000, `look${tag}`),
	);
	araraFixtures.cancels = ['a', 'b', 'c'].map((tag) =>
		addDelivery(arara, base - 10 * 3_600_000, `cancel${tag}`),
	);
}

const ARARA_ID_PATH = /^\/send\/[^/]+$/;
const dropIssued = (json: IDataObject): IDataObject => {
	// count is the mails of the whole request, which holds every item's delivery.
	const rest = { ...json };
	for (const issued of ['delivery_id', 'request_id', 'count']) delete rest[issued];
	return rest;
};

export const OPERATIONS: OperationRow[] = [
	{
		name: 'Customers Mail Cloud block getAll',
		provider: 'cmc',
		node: 'customersMailCloud',
		resource: 'block',
		operation: 'getAll',
		parameters: { returnAll: false, limit: 5, filters: { email: VALUE } },
		dateParameters: { returnAll: false, limit: 5, ...cmcDates },
		goodValues: () => ['alpha', 'beta', 'gamma'],
		goodDates: cmcGoodDates,
		fieldName: /Email Contains|Start Date|End Date|email|start_date|end_date/,
		refusedValue: ['alpha', 'beta'],
		setup: ({ cmc }) => layOutBlocks(cmc),
		restore: ({ cmc }) => layOutBlocks(cmc),
		allowed: [{ path: /^\/transaction\/v2\/blocks\/list\.json$/, params: CMC_PARAMS }],
		faultPath: CMC_LIST,
	},
	{
		name: 'Customers Mail Cloud block download',
		provider: 'cmc',
		node: 'customersMailCloud',
		resource: 'block',
		operation: 'download',
		parameters: { output: 'items', filters: { email: VALUE } },
		dateParameters: { output: 'items', ...cmcDates },
		goodValues: () => ['alpha', 'beta', 'gamma'],
		goodDates: cmcGoodDates,
		fieldName: /Email Contains|Start Date|End Date|email|start_date|end_date/,
		refusedValue: ['alpha', 'beta'],
		setup: ({ cmc }) => layOutBlocks(cmc),
		restore: ({ cmc }) => layOutBlocks(cmc),
		allowed: [{ path: /^\/transaction\/v2\/blocks\/download\.json$/, params: CMC_PARAMS }],
		faultPath: CMC_LIST,
		zip: true,
	},
	unblockRow('delete'),
	unblockRow('cancel'),
	{
		name: 'Customers Mail Cloud delivery getAll',
		provider: 'cmc',
		node: 'customersMailCloud',
		resource: 'delivery',
		operation: 'getAll',
		parameters: {
			date: '2024-03-10',
			returnAll: false,
			limit: 5,
			filters: { to: VALUE, endDate: '2024-03-12' },
		},
		dateParameters: {
			date: '={{ $json.start }}',
			returnAll: false,
			limit: 5,
			filters: { to: VALUE, endDate: '={{ $json.end }}' },
		},
		goodValues: () => ['alpha', 'beta', 'gamma'],
		goodDates: () => ({ start: '2024-03-10', end: '2024-03-12' }),
		fieldName: CMC_MAIL_FIELDS,
		refusedValue: ['alpha', 'beta'],
		setup: ({ cmc }) => layOutMail(cmc),
		restore: ({ cmc }) => layOutMail(cmc),
		allowed: [{ path: /^\/transaction\/v2\/deliveries\/list\.json$/, params: CMC_DELIVERY_PARAMS }],
		faultPath: '/transaction/v2/deliveries/',
		emptyBodyMeansNoRecords: true,
	},
	bounceRow('getAll'),
	bounceRow('download'),
	{
		name: 'Naimar SMS deliveryReport get',
		provider: 'naimar',
		node: 'naimarSms',
		resource: 'deliveryReport',
		operation: 'get',
		parameters: { messageIds: VALUE },
		goodValues: () => ['MATRIX00000000', 'MATRIX00000001', 'MATRIX00000002'],
		fieldName: /Message IDs?|message id/i,
		setup: ({ naimar }) => {
			naimar.seedReports(3, { prefix: 'MATRIX', seed: 3 });
		},
		allowed: [
			{
				path: new RegExp(`^${DELIVERY_PATH.replace(/\//g, '\\/')}?$`),
				params: ['username', 'password', 'deliveries'],
			},
		],
		faultPath: DELIVERY_PATH,
	},
	{
		name: 'Arara Message delivery get',
		provider: 'arara',
		node: 'araraMessage',
		resource: 'delivery',
		operation: 'get',
		parameters: { deliveryId: VALUE },
		goodValues: () => araraFixtures.lookups.map((delivery) => delivery.delivery_id),
		fieldName: /Delivery ID|delivery_id/,
		refusedValue: '',
		setup: setUpArara,
		allowed: [{ path: ARARA_ID_PATH, params: [] }, ARARA_TOKEN],
		faultPath: '/send',
	},
	{
		name: 'Arara Message delivery getByRequestId',
		provider: 'arara',
		node: 'araraMessage',
		resource: 'delivery',
		operation: 'getByRequestId',
		parameters: { requestId: VALUE },
		goodValues: () => araraFixtures.lookups.map((delivery) => String(delivery.settings.request_id)),
		fieldName: /Request ID|request_id/,
		refusedValue: '',
		setup: setUpArara,
		allowed: [{ path: /^\/send$/, params: ['request_id'] }, ARARA_TOKEN],
		faultPath: '/send',
	},
	{
		name: 'Arara Message delivery getAll',
		provider: 'arara',
		node: 'araraMessage',
		resource: 'delivery',
		operation: 'getAll',
		parameters: { timeMin: VALUE, timeMax: '={{ $json.end }}', returnAll: false, limit: 10 },
		dateParameters: {
			timeMin: '={{ $json.start }}',
			timeMax: '={{ $json.end }}',
			returnAll: false,
			limit: 10,
		},
		goodValues: () =>
			[0, 1, 2].map((index) => new Date(araraFixtures.from + index * 60_000).toISOString()),
		goodDates: () => ({
			start: new Date(araraFixtures.from).toISOString(),
			end: new Date(araraFixtures.to).toISOString(),
		}),
		fieldName: /Time Min|Time Max|timemin|timemax/,
		refusedValue: 'not a date',
		setup: setUpArara,
		allowed: [{ path: /^\/send$/, params: ['timemin', 'timemax'] }, ARARA_TOKEN],
		faultPath: '/send',
	},
	{
		name: 'Arara Message delivery reserve',
		provider: 'arara',
		node: 'araraMessage',
		resource: 'delivery',
		operation: 'reserve',
		parameters: {
			deliveryMode: 'perItem',
			toAddress: VALUE,
			subject: 'Your parcel',
			text: 'It has shipped.',
			fromAddress: 'shop@example.jp',
		},
		dateParameters: {
			deliveryMode: 'perItem',
			toAddress: 'one@example.com',
			subject: 'Your parcel',
			text: 'It has shipped.',
			fromAddress: 'shop@example.jp',
			sendTime: 'at',
			sendAt: '={{ $json.start }}',
		},
		goodValues: () => ['one@example.com', 'two@example.com', 'three@example.com'],
		goodDates: () => ({ start: new Date(Date.now() + 3 * 86_400_000).toISOString(), end: '' }),
		singleDate: true,
		fieldName: /To|address|Send At|send_time/,
		refusedValue: 'not an address',
		setup: setUpArara,
		normalize: dropIssued,
		allowed: [{ path: /^\/send$/, params: ARARA_RESERVE_PARAMS }, ARARA_TOKEN],
		faultPath: '/send',
	},
	{
		name: 'Arara Message errorFilter lookup',
		provider: 'arara',
		node: 'araraMessage',
		resource: 'errorFilter',
		operation: 'lookup',
		parameters: { address: VALUE },
		// Listed, listed in another spelling, not listed.
		goodValues: () => ['listed-a@example.com', 'Listed-B@Example.com', 'clean@example.com'],
		fieldName: /Address|address/,
		setup: ({ arara }) => {
			arara.setErrorFilter('listed-a@example.com', 3);
			arara.setErrorFilter('listed-b@example.com', 12);
		},
		allowed: [{ path: /^\/errorfilter$/, params: ['items'] }, ARARA_TOKEN],
		faultPath: '/errorfilter',
	},
	{
		name: 'Arara Message delivery cancel',
		provider: 'arara',
		node: 'araraMessage',
		resource: 'delivery',
		operation: 'cancel',
		parameters: { deliveryId: VALUE },
		goodValues: () => araraFixtures.cancels.map((delivery) => delivery.delivery_id),
		fieldName: /Delivery ID|delivery_id/,
		refusedValue: '',
		setup: setUpArara,
		restore: ({ arara }) => {
			for (const delivery of araraFixtures.cancels)
				arara.setStatus(delivery.delivery_id, 'reserved');
		},
		allowed: [{ path: ARARA_ID_PATH, params: [] }, ARARA_TOKEN],
		faultPath: '/send',
	},
];
