/**
 * Every action operation of the three nodes under n8n's node settings, through n8n's engine:
 * On Error {stop, continueRegularOutput, continueErrorOutput} × Retry On Fail {off, on}.
 * Input item 0 always fails and items 1 and 2 succeed: a failed first item is what makes
 * n8n's Retry On Fail rerun the whole node, so reruns meet every side effect of the first try.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { runNode, type RunResult } from '../../harness/engine';
import { serializeForLeakCheck } from '../../harness/leaks';
import {
	startAraraMessageFake,
	type AraraFake,
	type StoredDelivery,
} from '../../fakes/arara-message';
import { japanMinute } from '../../fakes/arara-message/store';
import {
	startCustomersMailCloudFake,
	type CustomersMailCloudFake,
} from '../../fakes/customers-mail-cloud';
import { startNaimarSmsFake, type NaimarSmsFake } from '../../fakes/naimar-sms';

type OnError = 'stop' | 'continueRegularOutput' | 'continueErrorOutput';

interface Expected {
	message: RegExp;
	httpCode?: string;
	code?: string;
	field?: string;
}

interface Prepared {
	parameters: IDataObject;
	input: IDataObject[];
	/** After the run: every side effect on items 1 and 2 happened exactly once (or never, where a stop comes first). */
	changedOnce?: (onError: OnError) => void;
}

interface Scenario {
	node: 'customersMailCloud' | 'naimarSms' | 'araraMessage';
	operation: string;
	prepare: () => Prepared;
	failure: Expected;
	/** The field a rerun's output sets on items an earlier try changed. */
	rerunMark?: 'alreadyDone' | 'alreadyReserved';
	/** Without Continue On Fail, what the error adds about items already changed. */
	stopNote?: RegExp;
	/** Requests the provider received (to see that Retry On Fail reran the node). */
	requests: () => number;
}

let cmc: CustomersMailCloudFake;
let naimar: NaimarSmsFake;
let arara: AraraFake;

beforeAll(async () => {
	[cmc, naimar, arara] = await Promise.all([
		startCustomersMailCloudFake(),
		startNaimarSmsFake(),
		startAraraMessageFake(),
	]);
});
afterAll(async () => {
	await Promise.all([cmc.close(), naimar.close(), arara.close()]);
});
beforeEach(() => {
	cmc.reset();
	for (const fake of [cmc, naimar, arara]) {
		fake.server.resetLog();
		fake.server.clearFaults();
	}
});

const CREDENTIAL = {
	customersMailCloud: 'customersMailCloudApi',
	naimarSms: 'naimarSmsApi',
	araraMessage: 'araraMessageOAuth2Api',
} as const;
const RESOURCE = {
	customersMailCloud: 'block',
	naimarSms: 'deliveryReport',
	araraMessage: 'delivery',
} as const;
const fast = { retryAttempts: 0 };
let unique = 0;

function credentials() {
	return {
		cmc: { type: 'customersMailCloudApi', data: { ...cmc.credentials } },
		naimar: { type: 'naimarSmsApi', data: { ...naimar.credentials } },
		arara: {
			type: 'araraMessageOAuth2Api',
			data: {
				host: arara.url,
				clientId: arara.credentials.clientId,
				clientSecret: arara.credentials.clientSecret,
			},
		},
	};
}
const CREDENTIAL_NAME = {
	customersMailCloud: 'cmc',
	naimarSms: 'naimar',
	araraMessage: 'arara',
} as const;

function secrets(): string[] {
	return [cmc.credentials.apiKey, naimar.password, arara.credentials.clientSecret];
}

function reservedDelivery(): StoredDelivery {
	const sendAt = Math.floor((Date.now() + 86_400_000) / 60_000) * 60_000;
	const delivery: StoredDelivery = {
		delivery_id: arara.store.newId(),
		status: 'reserved',
		settings: { send_time: japanMinute(sendAt), request_id: `matrix${++unique}x${Date.now()}` },
		sendresult_count: { success: 0, error: 0 },
		reservedAt: Date.now(),
		sendAt,
		mails: 1,
	};
	arara.store.add(delivery);
	return delivery;
}

const cmcRequests = () => cmc.server.requests.length;
const araraRequests = () => arara.apiRequests().length;

const unblock = (operation: 'delete' | 'cancel'): Scenario => ({
	node: 'customersMailCloud',
	operation,
	failure: {
		message: /^It does not exist the data specified in the email\.$/,
		httpCode: '400',
		code: '12-001',
		field: 'email',
	},
	rerunMark: 'alreadyDone',
	stopNote: /2 items of this execution were unblocked(?: once)? anyway \(input items 1–2; email /,
	requests: cmcRequests,
	prepare: () => {
		const blocks = cmc.seed(4);
		return {
			parameters: { email: '={{ $json.email }}', options: fast },
			input: [
				{ email: 'nobody@example.com' },
				{ email: blocks[1].email },
				{ email: blocks[2].email },
			],
			changedOnce: () => {
				const removed = cmc.removedBlocks().map((block) => block.id);
				expect(removed.filter((id) => id === blocks[1].id)).toHaveLength(1);
				expect(removed.filter((id) => id === blocks[2].id)).toHaveLength(1);
				expect(cmc.blocks().map((block) => block.id)).toEqual([blocks[0].id, blocks[3].id]);
			},
		};
	},
});

const SCENARIOS: Scenario[] = [
	{
		node: 'customersMailCloud',
		operation: 'getAll',
		failure: { message: /^Limit must be a whole number of at least 1/ },
		requests: cmcRequests,
		prepare: () => {
			cmc.seed(5);
			return {
				parameters: { returnAll: false, limit: '={{ $json.limit }}', options: fast },
				input: [{ limit: 0 }, { limit: 2 }, { limit: 3 }],
			};
		},
	},
	{
		node: 'customersMailCloud',
		operation: 'download',
		failure: {
			message: /^Specified server composition, nope, was not found\.$/,
			httpCode: '400',
			code: '10-002',
			field: 'server_composition',
		},
		requests: cmcRequests,
		prepare: () => {
			cmc.seed(3);
			return {
				parameters: { serverComposition: '={{ $json.composition }}', options: fast },
				input: [{ composition: 'nope' }, { composition: '' }, { composition: '' }],
			};
		},
	},
	unblock('delete'),
	unblock('cancel'),
	{
		node: 'naimarSms',
		operation: 'get',
		failure: { message: /./, httpCode: '400' },
		requests: () => naimar.server.requests.length,
		prepare: () => {
			const ids = naimar.seedReports(3, { prefix: `M${++unique}` });
			naimar.failOn(ids[0], 400, 'message id refused');
			return {
				parameters: { messageIds: '={{ $json.id }}', options: { ...fast, batchSize: 1 } },
				input: ids.map((id) => ({ id })),
			};
		},
	},
	{
		node: 'araraMessage',
		operation: 'get',
		failure: { message: /^No delivery with id "999999"$/, httpCode: '404' },
		requests: araraRequests,
		prepare: () => {
			const one = reservedDelivery();
			const two = reservedDelivery();
			return {
				parameters: { deliveryId: '={{ $json.id }}', options: fast },
				input: [{ id: '999999' }, { id: one.delivery_id }, { id: two.delivery_id }],
			};
		},
	},
	{
		node: 'araraMessage',
		operation: 'getByRequestId',
		failure: { message: /request_id is invalid/, httpCode: '400' },
		requests: araraRequests,
		prepare: () => {
			const one = reservedDelivery();
			const two = reservedDelivery();
			return {
				parameters: { requestId: '={{ $json.rid }}', options: fast },
				input: [
					{ rid: 'NOT-VALID' },
					{ rid: String(one.settings.request_id) },
					{ rid: String(two.settings.request_id) },
				],
			};
		},
	},
	{
		node: 'araraMessage',
		operation: 'getAll',
		failure: { message: /^Limit must be a whole number of at least 1/ },
		requests: araraRequests,
		prepare: () => {
			arara.seed(5, Date.now() - 3 * 3_600_000, Date.now() - 2 * 3_600_000, ++unique);
			const period = {
				timeMin: new Date(Date.now() - 4 * 3_600_000).toISOString(),
				timeMax: new Date().toISOString(),
			};
			return {
				parameters: { ...period, returnAll: false, limit: '={{ $json.limit }}', options: fast },
				input: [{ limit: 'many' }, { limit: 1 }, { limit: 2 }],
			};
		},
	},
	{
		node: 'araraMessage',
		operation: 'reserve',
		failure: { message: /"not an address" is not an e-mail address/ },
		rerunMark: 'alreadyReserved',
		requests: araraRequests,
		prepare: () => {
			const before = arara.store.size;
			const tag = ++unique;
			return {
				parameters: {
					deliveryMode: 'perItem',
					toAddress: '={{ $json.email }}',
					subject: 'Your parcel',
					text: 'It has shipped.',
					fromAddress: 'shop@example.jp',
					options: fast,
				},
				input: [
					{ email: 'not an address' },
					{ email: `one${tag}@example.com` },
					{ email: `two${tag}@example.com` },
				],
				// Every item is checked before the first request: a stop sends nothing.
				changedOnce: (onError) =>
					expect(arara.store.size - before).toBe(onError === 'stop' ? 0 : 2),
			};
		},
	},
	{
		node: 'araraMessage',
		operation: 'cancel',
		failure: { message: /^delivery_id 999999 is invalid$/, httpCode: '400' },
		rerunMark: 'alreadyDone',
		stopNote:
			/2 items of this execution were cancelled anyway \(input items 1–2; delivery_id \d+, \d+\)/,
		requests: araraRequests,
		prepare: () => {
			const one = reservedDelivery();
			const two = reservedDelivery();
			return {
				parameters: { deliveryId: '={{ $json.id }}', options: fast },
				input: [{ id: '999999' }, { id: one.delivery_id }, { id: two.delivery_id }],
				changedOnce: () => {
					expect(
						[one, two].map((delivery) => arara.store.get(delivery.delivery_id)?.status),
					).toEqual(['deleted', 'deleted']);
				},
			};
		},
	},
];

async function run(
	scenario: Scenario,
	onError: OnError,
	retryOnFail: boolean,
	prepared: Prepared,
): Promise<RunResult> {
	return await runNode({
		node: {
			type: scenario.node,
			parameters: {
				resource: RESOURCE[scenario.node],
				operation: scenario.operation,
				...prepared.parameters,
			},
			credentials: { [CREDENTIAL[scenario.node]]: CREDENTIAL_NAME[scenario.node] },
			...(onError === 'stop' ? {} : { onError }),
			...(retryOnFail ? { retryOnFail: true, maxTries: 3, waitBetweenTries: 1 } : {}),
		},
		input: prepared.input,
		credentials: credentials(),
	});
}

const pairedTo = (item: INodeExecutionData): number[] =>
	(Array.isArray(item.pairedItem) ? item.pairedItem : [item.pairedItem]).map((paired) =>
		typeof paired === 'number' ? paired : (paired?.item ?? -1),
	);

/** The failed item's fields: flat on the regular output, under `error` on the error output. */
function expectFailedItem(
	item: INodeExecutionData,
	failure: Expected,
	shape: 'flat' | 'nested',
): void {
	expect(pairedTo(item)).toEqual([0]);
	const fields =
		shape === 'flat'
			? { ...item.json, message: item.json.error }
			: (item.json.error as IDataObject);
	if (shape === 'flat') expect(typeof item.json.error).toBe('string');
	expect(String(fields.message)).toMatch(failure.message);
	expect(typeof fields.description).toBe('string');
	if (failure.httpCode) expect(fields.httpCode).toBe(failure.httpCode);
	else expect(fields.httpCode).toBeUndefined();
	if (failure.code) expect(fields.code).toBe(failure.code);
	if (failure.field) expect(fields.field).toBe(failure.field);
}

/** Items 1 and 2 each have at least one output, none an error; nothing is paired to item 0. */
function expectGoodItems(items: INodeExecutionData[]): void {
	const paired = items.flatMap(pairedTo);
	expect(new Set(paired)).toEqual(new Set([1, 2]));
	for (const item of items) expect(item.json.error).toBeUndefined();
}

/** Requests per scenario and On Error with Retry On Fail off, to see that it reran with it on. */
const singleTry = new Map<string, number>();

describe.each(
	SCENARIOS.map((scenario) => [`${scenario.node} ${scenario.operation}`, scenario] as const),
)('%s', (name, scenario) => {
	describe.each<OnError>(['stop', 'continueRegularOutput', 'continueErrorOutput'])(
		'On Error %s',
		(onError) => {
			it.each([false, true])('Retry On Fail %s', async (retryOnFail) => {
				const prepared = scenario.prepare();
				const result = await run(scenario, onError, retryOnFail, prepared);

				const everything = [
					serializeForLeakCheck(result.run),
					serializeForLeakCheck(result.error),
					JSON.stringify(result.items),
					JSON.stringify(result.errorItems),
				].join('\n');
				for (const secret of secrets()) expect(everything).not.toContain(secret);

				if (onError === 'stop') {
					expect(result.error?.message).toMatch(scenario.failure.message);
					expect(result.items).toEqual([]);
					expect(result.errorItems).toEqual([]);
					if (scenario.stopNote)
						expect(String(result.error?.description)).toMatch(scenario.stopNote);
				} else if (onError === 'continueRegularOutput') {
					expect(result.error).toBeUndefined();
					expect(result.errorItems).toEqual([]);
					const failed = result.items.filter((item) => pairedTo(item).includes(0));
					expect(failed).toHaveLength(1);
					expectFailedItem(failed[0], scenario.failure, 'flat');
					// The documented flat shape, nothing else: n8n leaves it on the success output.
					expect(failed[0].error).toBeUndefined();
					expectGoodItems(result.items.filter((item) => item !== failed[0]));
				} else {
					expect(result.error).toBeUndefined();
					expect(result.errorItems).toHaveLength(1);
					expectFailedItem(result.errorItems[0], scenario.failure, 'nested');
					// n8n merges the input item into it, as for its own nodes.
					expect(result.errorItems[0].json).toMatchObject(prepared.input[0]);
					expectGoodItems(result.items);
				}

				prepared.changedOnce?.(onError);
				if (scenario.rerunMark && retryOnFail && onError !== 'stop') {
					// The last try met what the first one did, and said so instead of failing or doing it again.
					const good = result.items.filter((item) => item.json.error === undefined);
					expect(good.length).toBeGreaterThan(0);
					for (const item of good) expect(item.json[scenario.rerunMark]).toBe(true);
				}
				const key = `${name} ${onError}`;
				if (!retryOnFail) singleTry.set(key, scenario.requests());
				// Every case fails (item 0 first or the node stops), so Retry On Fail reruns the node.
				else if ((singleTry.get(key) ?? 0) > 0)
					expect(scenario.requests()).toBeGreaterThan(singleTry.get(key)!);
			});
		},
	);
});
