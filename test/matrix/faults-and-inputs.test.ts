/**
 * Fault × bad-input matrix: every action operation (test/matrix/operations.ts) and each trigger
 * through n8n's engine against the fakes, with every fault the fakes inject and every class of bad
 * input. Every case checks that the node succeeds or fails with an error naming the field or the
 * provider's code; that under Continue On Fail the other items come out as in a clean run, paired;
 * that no request carries a parameter the node may not set (an injected "&api_key=x" stays inside
 * its own parameter); and that no secret reaches an output, error, hint, static data or log line.
 */
import type { ICredentialDataDecryptedObject, IDataObject, INodeExecutionData } from 'n8n-workflow';
import { LoggerProxy } from 'n8n-workflow';

import { runNode, runPoll, type RunResult } from '../harness/engine';
import type { CredentialStore } from '../harness/credentials';
import { serializeForLeakCheck } from '../harness/leaks';
import { runWebhook } from '../harness/webhook';
import { startAraraMessageFake } from '../fakes/arara-message';
import { startCustomersMailCloudFake } from '../fakes/customers-mail-cloud';
import type { Fault, FakeServer, RecordedRequest } from '../fakes/fake-server';
import { parseBody } from '../fakes/fake-server';
import { startNaimarSmsFake } from '../fakes/naimar-sms';
import { OPERATIONS, VALUE, type Fakes, type OperationRow, type Provider } from './operations';

/** Short waits and one retry, so a fault costs milliseconds (Timeout has a floor of 1 s). */
const FAST = { timeout: 1, retryAttempts: 1, maxRetryWait: 0.05 };
const WRONG = {
	apiKey: 'wrong-key-7c1e0b9d',
	password: 'wrong-pass-5d2a8',
	clientSecret: 'wrong-secret-9e4b1c',
};
const WEBHOOK_SECRET = 'matrix-webhook-secret-41f7';

let fakes: Fakes;
const logLines: string[] = [];
const tally = { cases: 0, passed: 0, secretsFound: 0, failed: [] as string[] };

beforeAll(async () => {
	const [cmc, naimar, arara] = await Promise.all([
		startCustomersMailCloudFake(),
		startNaimarSmsFake(),
		startAraraMessageFake(),
	]);
	fakes = { cmc, naimar, arara };
	const capture = (level: string) => (message: string, meta?: object) =>
		logLines.push(`${level} ${message} ${JSON.stringify(meta ?? {})}`);
	LoggerProxy.init({
		error: capture('error'),
		warn: capture('warn'),
		info: capture('info'),
		debug: capture('debug'),
	} as never);
	for (const level of ['log', 'warn', 'error', 'info', 'debug'] as const) {
		jest
			.spyOn(console, level)
			.mockImplementation(
				(...args: unknown[]) => void logLines.push(`${level} ${args.map(String).join(' ')}`),
			);
	}
});

afterAll(async () => {
	jest.restoreAllMocks();
	await Promise.all([fakes.cmc.close(), fakes.naimar.close(), fakes.arara.close()]);
	const line = `matrix: ${tally.cases} cases, ${tally.passed} passed, secrets found: ${tally.secretsFound}`;
	process.stdout.write(`${line}\n${tally.failed.map((name) => `  failed: ${name}\n`).join('')}`);
});

function serverOf(provider: Provider): FakeServer {
	return fakes[provider].server;
}

function credentialsFor(provider: Provider, wrong = false): CredentialStore {
	const { cmc, naimar, arara } = fakes;
	if (provider === 'cmc')
		return {
			cred: {
				type: 'customersMailCloudApi',
				data: { ...cmc.credentials, ...(wrong ? { apiKey: WRONG.apiKey } : {}) },
			},
		};
	if (provider === 'naimar')
		return {
			cred: {
				type: 'naimarSmsApi',
				data: { ...naimar.credentials, ...(wrong ? { password: WRONG.password } : {}) },
			},
		};
	return {
		cred: {
			type: 'araraMessageOAuth2Api',
			data: {
				host: arara.url,
				clientId: arara.credentials.clientId,
				clientSecret: wrong ? WRONG.clientSecret : arara.credentials.clientSecret,
			},
		},
	};
}
const CREDENTIAL_TYPE: Record<Provider, string> = {
	cmc: 'customersMailCloudApi',
	naimar: 'naimarSmsApi',
	arara: 'araraMessageOAuth2Api',
};

/** Every secret a run could leak: the working ones, the wrong ones, OAuth2 tokens issued, the webhook secret. */
function secrets(stores: CredentialStore[] = []): string[] {
	const tokens = stores.map(
		(store) => (store.cred?.data.oauthTokenData as IDataObject | undefined)?.access_token,
	);
	return [
		fakes.cmc.credentials.apiKey,
		fakes.naimar.password,
		fakes.arara.credentials.clientSecret,
		WRONG.apiKey,
		WRONG.password,
		WRONG.clientSecret,
		WEBHOOK_SECRET,
		...tokens,
	].filter((value): value is string => typeof value === 'string' && value.length > 0);
}

/** Fails (and counts) when a secret appears in anything the run showed. */
function expectNoSecrets(shown: string, stores: CredentialStore[] = []): void {
	const everything = `${shown}\n${logLines.join('\n')}`;
	logLines.length = 0;
	const found = secrets(stores).filter((secret) => everything.includes(secret));
	tally.secretsFound += found.length;
	expect(found).toEqual([]);
}

/** The parameters one request set: query, form or top-level JSON keys, with repeats. */
function parametersOf(request: RecordedRequest): string[] {
	const names = [...request.query.keys()];
	if (!request.body) return names;
	const type = String(request.headers['content-type'] ?? '');
	if (type.includes('application/json')) {
		const body = JSON.parse(request.body) as unknown;
		return names.concat(
			body && typeof body === 'object' && !Array.isArray(body) ? Object.keys(body) : [],
		);
	}
	return names.concat([...new URLSearchParams(request.body).keys()]);
}

/** Every request went to an allowed path and set only allowed parameters, each once. */
function expectOnlyAllowedRequests(
	requests: RecordedRequest[],
	allowed: OperationRow['allowed'],
): void {
	const problems: string[] = [];
	for (const request of requests) {
		const rule = allowed.find((entry) => entry.path.test(request.path));
		if (!rule) {
			problems.push(`${request.method} ${request.path}: path not allowed`);
			continue;
		}
		const names = parametersOf(request);
		const unknown = names.filter((name) => !rule.params.includes(name));
		const repeated = names.filter((name, index) => names.indexOf(name) !== index);
		if (unknown.length)
			problems.push(
				`${request.method} ${request.path}: parameters not set by the user: ${unknown.join(', ')}`,
			);
		if (repeated.length)
			problems.push(
				`${request.method} ${request.path}: parameters sent twice: ${repeated.join(', ')}`,
			);
	}
	expect(problems).toEqual([]);
}

/** A value sent by the node arrived whole, inside one parameter (when it was sent at all). */
function expectArrivedWhole(requests: RecordedRequest[], value: string): void {
	const carried = requests.some((request) => {
		const values = [
			...request.query.values(),
			...Object.values(parseBody(request)).map((entry) => JSON.stringify(entry) ?? ''),
		];
		return values.some(
			(entry) => entry.includes(value) || entry.includes(JSON.stringify(value).slice(1, -1)),
		);
	});
	const raw = requests.some(
		(request) => decodeURIComponent(request.path).includes(value) || request.body.includes(value),
	);
	// Sent somewhere ⇒ it must be inside one parameter's value (or one encoded path segment).
	if (raw)
		expect(carried || requests.some((request) => /^\/send\/[^/]+$/.test(request.path))).toBe(true);
}

const pairedTo = (item: INodeExecutionData): number[] =>
	(Array.isArray(item.pairedItem) ? item.pairedItem : [item.pairedItem]).map((paired) =>
		typeof paired === 'number' ? paired : (paired?.item ?? -1),
	);

/** Output items by the input item they are paired to, as comparable text. */
function groupByInput(
	row: OperationRow,
	items: INodeExecutionData[],
	inputs: number,
): { groups: string[][]; errors: Map<number, IDataObject> } {
	const groups: string[][] = Array.from({ length: inputs }, () => []);
	const errors = new Map<number, IDataObject>();
	for (const item of items) {
		const paired = pairedTo(item);
		expect(paired).toHaveLength(1);
		const index = paired[0];
		expect(index >= 0 && index < inputs).toBe(true);
		if (item.json.error !== undefined) errors.set(index, item.json);
		else groups[index].push(JSON.stringify(row.normalize ? row.normalize(item.json) : item.json));
	}
	return { groups, errors };
}

/** An error item that names the field, the provider's code or status, or the network failure. */
function namesCause(error: IDataObject, field?: RegExp): boolean {
	const text = `${String(error.error)} ${String(error.description ?? '')}`;
	if (field?.test(text)) return true;
	return (
		Boolean(error.httpCode || error.code || error.networkCode) ||
		/Customers Mail Cloud|Naimar SMS|Arara Message|ZIP/.test(text)
	);
}

function nodeOf(row: OperationRow, parameters: IDataObject, continueOnFail = true) {
	return {
		type: row.node,
		parameters: {
			resource: row.resource,
			operation: row.operation,
			...parameters,
			options: { ...FAST, ...(parameters.options as IDataObject) },
		},
		credentials: { [CREDENTIAL_TYPE[row.provider]]: 'cred' },
		continueOnFail,
	};
}

/** Waits until the fake has answered what it still holds (a timed-out request it answers late must not land in the next case). */
async function drained(server: FakeServer): Promise<void> {
	while (server.inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** Idle connections closed before a run, with time for the client to see it: only injected faults may break a request. */
async function freshConnections(server: FakeServer): Promise<void> {
	server.closeIdleConnections();
	await new Promise((resolve) => setTimeout(resolve, 20));
}

async function runRow(
	row: OperationRow,
	parameters: IDataObject,
	input: IDataObject[],
	wrongCredentials = false,
): Promise<{ result: RunResult; requests: RecordedRequest[]; store: CredentialStore }> {
	const server = serverOf(row.provider);
	await freshConnections(server);
	server.resetLog();
	const store = credentialsFor(row.provider, wrongCredentials);
	const result = await runNode({ node: nodeOf(row, parameters), input, credentials: store });
	await drained(server);
	const requests = [...server.requests];
	server.clearFaults();
	return { result, requests, store };
}

/** Counts a passed case, and names it when it fails (cases are counted where they are declared). */
async function matrixCase(name: string, body: () => Promise<void>): Promise<void> {
	try {
		await body();
		tally.passed++;
	} catch (error) {
		tally.failed.push(name);
		throw error;
	}
}

/** Declares a table of cases: counts them, so a case that never ran still counts as not passed. */
function counted<T>(table: T[]): T[] {
	tally.cases += table.length;
	return table;
}

interface FaultCase {
	name: string;
	fault?: Fault;
	/** Every request meets it (the node must fail with a clear error), not only the first. */
	always?: boolean;
	wrongCredentials?: boolean;
	truncatedZip?: boolean;
	only?: (row: OperationRow) => boolean;
}

const FAULTS: FaultCase[] = [
	...(
		[
			['429 + Retry-After', { kind: 'rateLimit', retryAfterSeconds: 1 }],
			[
				'500',
				{ kind: 'status', status: 500, body: 'Internal Server Error', contentType: 'text/plain' },
			],
			['503', { kind: 'status', status: 503, body: '{"message":"Service Unavailable"}' }],
			['reset mid-body', { kind: 'dropMidBody' }],
			['HTML page', { kind: 'html', status: 200 }],
			['invalid JSON', { kind: 'invalidJson' }],
			['empty body', { kind: 'status', status: 200, body: '' }],
		] as Array<[string, Fault]>
	).flatMap(([name, fault]) => [
		{ name: `${name}, once`, fault },
		{ name: `${name}, every time`, fault, always: true },
	]),
	{ name: 'timeout, once', fault: { kind: 'delay', ms: 1_300 } },
	{ name: 'truncated ZIP', truncatedZip: true, only: (row) => Boolean(row.zip) },
	{ name: 'wrong credentials', wrongCredentials: true },
];

const INJECTIONS = ['a@b.c&api_key=x', '../', '../../oauth2/token', '%0d%0a', 'x\r\nX-Injected: 1'];
const BAD_VALUES: Array<[string, unknown]> = [
	['empty', ''],
	['only spaces', '   '],
	['too long', 'x'.repeat(5_000)],
	['a number', 12345],
	['a boolean', true],
	['a list', ['alpha', 'beta']],
	['an object', { email: 'alpha' }],
	['null', null],
	['unicode', 'ｍａｔｒｉｘ＠例え.jp 😀 \u202eevil'],
	['control characters', 'a\u0000b\u0007c\td\u001b[31m'],
	...INJECTIONS.map((value): [string, unknown] => [`injection ${JSON.stringify(value)}`, value]),
];
const BAD_DATES: Array<[string, { start?: string; end?: string } | 'swap']> = [
	['start not a date', { start: 'not a date' }],
	['end not a date', { end: '2024-02-30' }],
	['start as d/m/y', { start: '31/12/2024' }],
	['start after end', 'swap'],
];

const baselines = new Map<string, string[][]>();

/** An answer with an empty body that the row reads as no records. */
const readsAsNoRecords = (row: { emptyBodyMeansNoRecords?: boolean }, fault: FaultCase) =>
	Boolean(
		row.emptyBodyMeansNoRecords &&
			fault.fault?.kind === 'status' &&
			fault.fault.status === 200 &&
			fault.fault.body === '',
	);

describe.each(OPERATIONS.map((row) => [row.name, row] as const))('%s', (_name, row) => {
	const input = (): IDataObject[] =>
		row.goodValues(fakes).map((value) => ({
			value: value as IDataObject[string],
			...(row.goodDates ? { end: row.goodDates(fakes).end } : {}),
		}));

	beforeAll(async () => {
		row.setup(fakes);
		row.restore?.(fakes);
		const { result, requests, store } = await runRow(row, row.parameters, input());
		expect(result.error).toBeUndefined();
		const { groups, errors } = groupByInput(row, result.items, 3);
		expect([...errors.values()]).toEqual([]);
		// Every good item gives something, so "as in the clean run" compares real output.
		expect(groups.map((group) => group.length > 0)).toEqual([true, true, true]);
		expectOnlyAllowedRequests(requests, row.allowed);
		expectNoSecrets(serializeForLeakCheck(result.run), [store]);
		baselines.set(row.name, groups);
	});

	const expectGood = (groups: string[][], index: number) =>
		expect(groups[index]).toEqual(baselines.get(row.name)![index]);

	it.each(
		counted(
			FAULTS.filter((fault) => !fault.only || fault.only(row)).map(
				(fault) => [fault.name, fault] as const,
			),
		),
	)('fault: %s', async (name, fault) => {
		await matrixCase(`${row.name} fault ${name}`, async () => {
			row.restore?.(fakes);
			if (fault.fault)
				serverOf(row.provider).inject(fault.fault, {
					pathPrefix: row.faultPath,
					times: fault.always ? 1_000 : 1,
				});
			if (fault.truncatedZip) fakes.cmc.setDownload({ truncateTo: 120 }, 'testcomp');
			const { result, requests, store } = await runRow(
				row,
				row.parameters,
				input(),
				fault.wrongCredentials,
			);
			if (fault.truncatedZip) fakes.cmc.setDownload({ truncateTo: undefined }, 'testcomp');
			expect(result.error).toBeUndefined();
			if (fault.fault)
				expect({
					faulted: requests.some((request) => request.fault === fault.fault!.kind),
					items: result.items.map((item) => item.json.error),
				}).toMatchObject({ faulted: true });
			const { groups, errors } = groupByInput(row, result.items, 3);
			const asNoRecords = readsAsNoRecords(row, fault);
			for (let index = 0; index < 3; index++) {
				const error = errors.get(index);
				if (error)
					expect({ index, error, named: namesCause(error) }).toMatchObject({ named: true });
				else if (!(asNoRecords && groups[index].length === 0)) expectGood(groups, index);
			}
			// Empty answers on every request that read as no records: every item comes out empty, none fails.
			if (fault.always && asNoRecords)
				expect({ errors: errors.size, records: groups.flat().length }).toEqual({
					errors: 0,
					records: 0,
				});
			// A fault on every request, a damaged file or a refused login: nothing can succeed.
			else if (fault.always || fault.wrongCredentials || fault.truncatedZip)
				expect(errors.size).toBe(3);
			expectOnlyAllowedRequests(requests, row.allowed);
			expectNoSecrets(
				[
					serializeForLeakCheck(result.run),
					serializeForLeakCheck(result.error),
					JSON.stringify(result.items),
				].join('\n'),
				[store],
			);
		});
	});

	it.each(counted(BAD_VALUES.map(([name, value]) => [name, value] as const)))(
		'bad input: %s',
		async (name, value) => {
			await matrixCase(`${row.name} bad input ${name}`, async () => {
				row.restore?.(fakes);
				const items = input();
				items[1] = { ...items[1], value: value as IDataObject[string] };
				const { result, requests, store } = await runRow(row, row.parameters, items);
				expect(result.error).toBeUndefined();
				const { groups, errors } = groupByInput(row, result.items, 3);
				expect([errors.get(0), errors.get(2)]).toEqual([undefined, undefined]);
				expectGood(groups, 0);
				expectGood(groups, 2);
				const error = errors.get(1);
				if (error)
					expect({ error, named: namesCause(error, row.fieldName) }).toMatchObject({ named: true });
				expectOnlyAllowedRequests(requests, row.allowed);
				if (typeof value === 'string' && value.trim()) expectArrivedWhole(requests, value.trim());
				expectNoSecrets(
					[serializeForLeakCheck(result.run), JSON.stringify(result.items)].join('\n'),
					[store],
				);
			});
		},
	);

	if (row.dateParameters && row.goodDates) {
		it.each(
			counted(
				BAD_DATES.filter(
					([, dates]) => !row.singleDate || dates === 'swap' || dates.start !== undefined,
				).map(([name, dates]) => [name, dates] as const),
			),
		)('bad date: %s', async (name, dates) => {
			await matrixCase(`${row.name} bad date ${name}`, async () => {
				row.restore?.(fakes);
				const good = row.goodDates!(fakes);
				const items = [0, 1, 2].map(() => ({ ...good }));
				if (dates === 'swap')
					items[1] =
						row.operation === 'reserve'
							? { start: '2020-01-01T00:00:00Z', end: '' }
							: { start: good.end, end: good.start };
				else items[1] = { ...good, ...dates };
				const clean = await runRow(
					row,
					row.dateParameters!,
					[0, 1, 2].map(() => ({ ...good })),
				);
				const { result, requests, store } = await runRow(row, row.dateParameters!, items);
				expect(result.error).toBeUndefined();
				const expected = groupByInput(row, clean.result.items, 3).groups;
				const { groups, errors } = groupByInput(row, result.items, 3);
				expect([errors.get(0), errors.get(2)]).toEqual([undefined, undefined]);
				expect([groups[0], groups[2]]).toEqual([expected[0], expected[2]]);
				// A date that is not one, or a period that runs backwards, never reaches the provider.
				const error = errors.get(1);
				expect(error).toBeDefined();
				expect(`${String(error!.error)} ${String(error!.description)}`).toMatch(row.fieldName);
				expectOnlyAllowedRequests(requests, row.allowed);
				expectNoSecrets(
					[serializeForLeakCheck(result.run), JSON.stringify(result.items)].join('\n'),
					[store, clean.store],
				);
			});
		});
	}

	tally.cases++;
	it('10,000 items: every one comes out, paired, as in the clean run', async () => {
		await matrixCase(`${row.name} 10,000 items`, async () => {
			row.restore?.(fakes);
			const good = input();
			const refusing = 'refusedValue' in row;
			// Operations that send a request per item get the refused value on all but every 100th item.
			const isGood = (index: number) => !refusing || index % 100 === 0;
			const items = Array.from({ length: 10_000 }, (_, index) =>
				isGood(index)
					? good[index % 3]
					: { ...good[index % 3], value: row.refusedValue as IDataObject[string] },
			);
			const { result, requests, store } = await runRow(
				row,
				{ ...row.parameters, options: { concurrency: 8 } },
				items,
			);
			expect(result.error).toBeUndefined();
			const { groups, errors } = groupByInput(row, result.items, items.length);
			const baseline = baselines.get(row.name)!;
			// Operations that change something succeed once per target; repeats meet what the first did.
			const changes =
				row.restore !== undefined && row.operation !== 'getAll' && row.operation !== 'download';
			const mismatches: string[] = [];
			const successes = [0, 0, 0];
			for (let index = 0; index < items.length; index++) {
				const error = errors.get(index);
				if (!isGood(index)) {
					if (!row.fieldName.test(String(error?.error)))
						mismatches.push(`${index}: ${JSON.stringify(error)}`);
				} else if (!changes) {
					if (error || groups[index].join('\n') !== baseline[index % 3].join('\n'))
						mismatches.push(`${index}: ${groups[index].join(' ')} ${JSON.stringify(error)}`);
				} else if (error) {
					if (!namesCause(error)) mismatches.push(`${index}: ${JSON.stringify(error)}`);
				} else if (groups[index].join('\n') === baseline[index % 3].join('\n'))
					successes[index % 3]++;
				else if (!groups[index].length) mismatches.push(`${index}: no output`);
			}
			if (changes) expect(successes).toEqual([1, 1, 1]);
			expect(mismatches.slice(0, 5)).toEqual([]);
			expectOnlyAllowedRequests(requests, row.allowed);
			expectNoSecrets(
				JSON.stringify(result.items.slice(0, 50)) +
					serializeForLeakCheck(result.run.data.resultData.error),
				[store],
			);
		});
	}, 120_000);
});

void VALUE;

describe('triggers', () => {
	const HOUR = 3_600_000;

	interface TriggerRow {
		name: string;
		provider: 'cmc' | 'arara';
		type: string;
		parameters: (value?: unknown) => IDataObject;
		fieldName: RegExp;
		allowed: OperationRow['allowed'];
		faultPath: string;
		/** Makes one event the next poll must emit; returns how to recognise it in an item. */
		produceEvent(): (json: IDataObject) => boolean;
		/** As OperationRow.emptyBodyMeansNoRecords: such a poll is silent rather than failed. */
		emptyBodyMeansNoRecords?: boolean;
	}

	const cmcRow = (
		event: 'newBlock' | 'newBounce' | 'deliveryFailed',
		row: Pick<TriggerRow, 'allowed' | 'faultPath' | 'produceEvent' | 'emptyBodyMeansNoRecords'>,
	): TriggerRow => ({
		name: `Customers Mail Cloud Trigger ${event}`,
		provider: 'cmc',
		type: 'customersMailCloudTrigger',
		parameters: (value) => ({
			event,
			options: { minPollInterval: 0 },
			...(value === undefined ? {} : { filters: { email: value } }),
		}),
		fieldName: /Email Contains|email|Server Composition/,
		...row,
	});
	const allowedOf = (name: string) => OPERATIONS.find((row) => row.name === name)!.allowed;

	let eventSerial = 0;
	const TRIGGERS: TriggerRow[] = [
		cmcRow('newBlock', {
			allowed: allowedOf('Customers Mail Cloud block getAll'),
			faultPath: '/transaction/v2/blocks/',
			produceEvent: () => {
				const email = `event${++eventSerial}@example.com`;
				fakes.cmc.addBlock({ email });
				return (json) => json.email === email;
			},
		}),
		cmcRow('newBounce', {
			allowed: allowedOf('Customers Mail Cloud bounce getAll'),
			faultPath: '/transaction/v2/bounces/',
			emptyBodyMeansNoRecords: true,
			produceEvent: () => {
				const to = `bounce${++eventSerial}@example.com`;
				fakes.cmc.addBounce({ to });
				return (json) => json.to === to;
			},
		}),
		cmcRow('deliveryFailed', {
			allowed: allowedOf('Customers Mail Cloud delivery getAll'),
			faultPath: '/transaction/v2/deliveries/',
			emptyBodyMeansNoRecords: true,
			produceEvent: () => {
				const to = `failed${++eventSerial}@example.com`;
				fakes.cmc.addDelivery({ to, status: 'failed' });
				return (json) => json.to === to;
			},
		}),
		{
			name: 'Arara Message Trigger',
			provider: 'arara',
			type: 'araraMessageTrigger',
			parameters: (value) => ({ lookBackHours: value === undefined ? 24 : value }),
			fieldName: /Look Back|lookBackHours|hours/i,
			allowed: [
				{ path: /^\/send$/, params: ['timemin', 'timemax'] },
				{ path: /^\/oauth2\/token$/, params: ['grant_type', 'scope'] },
			],
			faultPath: '/send',
			produceEvent: () => {
				const [added] = fakes.arara.seed(
					1,
					Date.now() - 2 * HOUR,
					Date.now() - HOUR,
					100 + ++eventSerial,
				);
				return (json) => json.delivery_id === added.delivery_id;
			},
		},
	];

	async function poll(
		row: TriggerRow,
		staticData: IDataObject,
		store: CredentialStore,
		value?: unknown,
	) {
		const server = serverOf(row.provider);
		await freshConnections(server);
		const before = server.requests.length;
		const outcome = await runPoll({
			node: {
				type: row.type,
				parameters: {
					...row.parameters(value),
					options: { ...FAST, ...(row.parameters(value).options as IDataObject | undefined) },
				},
				credentials: { [CREDENTIAL_TYPE[row.provider]]: 'cred' },
			},
			credentials: store,
			staticData,
		});
		await drained(server);
		return { ...outcome, requests: server.requests.slice(before) };
	}

	function leakText(outcome: Awaited<ReturnType<typeof poll>>): string {
		return [
			JSON.stringify(outcome.items),
			JSON.stringify(outcome.staticData),
			serializeForLeakCheck(outcome.error),
		].join('\n');
	}

	describe.each(TRIGGERS.map((row) => [row.name, row] as const))('%s', (_name, row) => {
		beforeAll(() => {
			if (row.provider === 'cmc') fakes.cmc.reset();
		});

		it.each(
			counted(FAULTS.filter((fault) => !fault.only).map((fault) => [fault.name, fault] as const)),
		)('fault: %s — the event comes out exactly once', async (name, fault) => {
			await matrixCase(`${row.name} fault ${name}`, async () => {
				const server = serverOf(row.provider);
				server.resetLog();
				const staticData: IDataObject = {};
				const store = credentialsFor(row.provider);
				const first = await poll(row, staticData, store);
				expect(first.error).toBeUndefined();
				const isEvent = row.produceEvent();
				if (fault.fault)
					server.inject(fault.fault, {
						pathPrefix: row.faultPath,
						times: fault.always ? 1_000 : 1,
					});
				const wrongStore = credentialsFor(row.provider, true);
				const faulted = await poll(row, staticData, fault.wrongCredentials ? wrongStore : store);
				server.clearFaults();
				if ((fault.always && !readsAsNoRecords(row, fault)) || fault.wrongCredentials)
					expect(faulted.error).toBeDefined();
				if (faulted.error)
					expect(
						namesCause({
							error: faulted.error.message,
							...(faulted.error as unknown as IDataObject),
						}),
					).toBe(true);
				const after = await poll(row, staticData, store);
				expect(after.error).toBeUndefined();
				const emitted = [...(faulted.items ?? []), ...(after.items ?? [])].filter((item) =>
					isEvent(item.json),
				);
				expect(emitted).toHaveLength(1);
				expectOnlyAllowedRequests(
					[...first.requests, ...faulted.requests, ...after.requests],
					row.allowed,
				);
				expectNoSecrets([first, faulted, after].map(leakText).join('\n'), [store, wrongStore]);
			});
		});

		const triggerValues: Array<[string, unknown]> = [
			...BAD_VALUES,
			['negative', -5],
			['huge', 1e12],
			['not a number', 'abc'],
		];
		it.each(counted(triggerValues.map(([name, value]) => [name, value] as const)))(
			'bad input: %s',
			async (name, value) => {
				await matrixCase(`${row.name} bad input ${name}`, async () => {
					const staticData: IDataObject = {};
					const store = credentialsFor(row.provider);
					const outcome = await poll(row, staticData, store, value);
					if (outcome.error)
						expect(
							`${outcome.error.message} ${String((outcome.error as { description?: unknown }).description)}`,
						).toMatch(row.fieldName);
					expectOnlyAllowedRequests(outcome.requests, row.allowed);
					if (typeof value === 'string' && value.trim())
						expectArrivedWhole(outcome.requests, value.trim());
					expectNoSecrets(leakText(outcome), [store]);
				});
			},
		);
	});

	describe('Customers Mail Cloud Event Trigger (webhook: it sends no request, so only bad input applies)', () => {
		const delivery = {
			created: '2024-03-10 09:00:05',
			status: 'failed',
			to: 'alpha@example.com',
			from: 'shop@example.jp',
			messageId: '<m@example.jp>',
			reason: '550',
		};
		/** The service's post in JSON mode (`event` an object) or as n8n parses a form (`event` a JSON text). */
		const post = (form: boolean): IDataObject => ({
			event_type: 'deliveries',
			server_composition: 'testcomp',
			event: form ? JSON.stringify({ deliveries: [delivery] }) : { deliveries: [delivery] },
			api_key: WEBHOOK_SECRET,
		});
		const FIELDS = [
			'event_type',
			'server_composition',
			'event',
			'event entry',
			'api_key',
			'authorization',
		] as const;
		type Field = (typeof FIELDS)[number];
		const withValue = (
			field: Field,
			form: boolean,
			value: unknown,
		): { body: IDataObject; headers: Record<string, string> } => {
			const body = post(form);
			if (field === 'event entry') {
				const event = { deliveries: [delivery, value] };
				return { body: { ...body, event: form ? JSON.stringify(event) : event }, headers: {} };
			}
			if (field === 'authorization') return { body, headers: { authorization: String(value) } };
			return { body: { ...body, [field]: value as IDataObject[string] }, headers: {} };
		};
		// A form carries text only; a JSON post carries any value.
		const cases = FIELDS.flatMap((field) =>
			[false, true].flatMap((form) =>
				BAD_VALUES.filter(([, value]) => !form || typeof value === 'string').map(
					([name, value]) =>
						[`${field} ${form ? 'form' : 'JSON'} ${name}`, field, form, value] as const,
				),
			),
		);
		// The authorization cases check Basic authentication; the others the API key in the body.
		const receive = async (body: IDataObject, headers: Record<string, string>, basic: boolean) =>
			await runWebhook({
				node: {
					type: 'customersMailCloudEventTrigger',
					parameters: {},
					credentials: { customersMailCloudEventApi: 'events' },
				},
				credentials: {
					events: {
						type: 'customersMailCloudEventApi',
						data: (basic
							? { authentication: 'basicAuth', user: 'cmc', password: WEBHOOK_SECRET }
							: {
									authentication: 'apiKey',
									apiKey: WEBHOOK_SECRET,
								}) as ICredentialDataDecryptedObject,
					},
				},
				call: { method: 'POST', body, headers },
			});

		beforeAll(async () => {
			// The good posts the cases spoil: one item each, with the right key or user and password.
			const basic = {
				authorization: `Basic ${Buffer.from(`cmc:${WEBHOOK_SECRET}`).toString('base64')}`,
			};
			for (const form of [false, true]) {
				expect((await receive(post(form), {}, false)).items?.map((item) => item.json.to)).toEqual([
					delivery.to,
				]);
				expect((await receive(post(form), basic, true)).items?.map((item) => item.json.to)).toEqual(
					[delivery.to],
				);
			}
		});

		it.each(counted(cases))('bad input: %s', async (name, field, form, value) => {
			await matrixCase(`Customers Mail Cloud Event Trigger bad input ${name}`, async () => {
				const { body, headers } = withValue(field, form, value);
				const outcome = await receive(body, headers, field === 'authorization');
				if (field === 'api_key') {
					expect(outcome.status).toBe(403);
					expect(outcome.items).toBeUndefined();
				} else if (field === 'authorization') {
					expect(outcome.status).toBe(401);
					expect(outcome.items).toBeUndefined();
				} else if (outcome.status === 200) {
					// Accepted: the good event, and an entry that is itself an object, each one item.
					expect(outcome.items?.length ?? 0).toBeLessThanOrEqual(2);
					for (const item of outcome.items ?? [])
						expect(item.json).toMatchObject({
							eventType: expect.any(String),
							serverComposition: expect.any(String),
						});
				} else {
					// Malformed: 400 naming what is wrong, and nothing emitted.
					expect(outcome.status).toBe(400);
					expect(String(outcome.body)).toMatch(/event_type|server_composition|event/);
					expect(outcome.items).toBeUndefined();
				}
				expectNoSecrets([JSON.stringify(outcome.body), JSON.stringify(outcome.items)].join('\n'));
			});
		});
	});

	describe('Naimar SMS Trigger (webhook: it sends no request, so only bad input applies)', () => {
		const report = {
			id: 'abcdefghijklab',
			rcv_msg_id: '98765',
			time: '2024-05-01 10:11:12',
			status: '2',
		};
		const fields = ['id', 'status', 'time', 'rcv_msg_id', 'secret'] as const;
		const cases = fields.flatMap((field) =>
			BAD_VALUES.filter(([, value]) => typeof value === 'string').map(
				([name, value]) => [`${field} ${name}`, field, value as string] as const,
			),
		);
		it.each(counted(cases))('bad input: %s', async (name, field, value) => {
			await matrixCase(`Naimar SMS Trigger bad input ${name}`, async () => {
				const query: Record<string, string> = { ...report, secret: WEBHOOK_SECRET, [field]: value };
				const outcome = await runWebhook({
					// the shared secret lives in the optional Naimar SMS Push credential
					node: {
						type: 'naimarSmsTrigger',
						parameters: {},
						credentials: { naimarSmsPushApi: 'push' },
					},
					credentials: {
						push: { type: 'naimarSmsPushApi', data: { sharedSecret: WEBHOOK_SECRET } },
					},
					call: { method: 'GET', query },
				});
				if (field === 'secret') {
					expect(outcome.status).toBe(403);
					expect(outcome.items).toBeUndefined();
				} else if (outcome.status === 200) {
					expect(outcome.items ?? []).toHaveLength(outcome.items ? 1 : 0);
				} else {
					expect(outcome.status).toBe(400);
					expect(String(outcome.body)).toMatch(/id|status/);
					expect(outcome.items).toBeUndefined();
				}
				expectNoSecrets([JSON.stringify(outcome.body), JSON.stringify(outcome.items)].join('\n'));
			});
		});
	});
});
