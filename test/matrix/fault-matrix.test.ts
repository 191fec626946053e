/**
 * Fault × bad-input matrix through n8n's engine against the fakes: every operation of every node
 * and each trigger's poll / webhook, once per transport fault and once per class of bad input.
 * For every case:
 *  - the node succeeds, or fails with an error that names the field or the provider's code/status;
 *  - under Continue On Fail (a bad item between two good ones) the good items come out unchanged
 *    and paired to their own input;
 *  - no request carries a parameter the same operation does not send with good input;
 *  - no secret (API key, password, client secret, issued token, webhook secret) appears in any
 *    output, error, hint, static data or console line.
 * Prints one line: `matrix: N cases, N passed, secrets found: 0`.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { runNode, runPoll, type RunResult } from '../harness/engine';
import type { CredentialStore } from '../harness/credentials';
import { serializeForLeakCheck } from '../harness/leaks';
import { runWebhook } from '../harness/webhook';
import { type Fault, type FakeServer, type RecordedRequest } from '../fakes/fake-server';
import { startAraraMessageFake, type AraraFake } from '../fakes/arara-message';
import { startCustomersMailCloudFake, type CustomersMailCloudFake } from '../fakes/customers-mail-cloud';
import { startNaimarSmsFake, type NaimarSmsFake } from '../fakes/naimar-sms';

jest.setTimeout(600_000);

type Provider = 'cmc' | 'naimar' | 'arara';

let cmc: CustomersMailCloudFake;
let naimar: NaimarSmsFake;
let arara: AraraFake;
const WEBHOOK_SECRET = 'matrix-webhook-secret-77';
const CMC_CREDENTIAL_TYPE = 'customersMailCloudApi';

/** Fast retries and a short timeout, so a fault costs about a second. */
const FAST = { options: { retryAttempts: 1, maxRetryWait: 0, timeout: 1 } };

interface Subject {
	name: string;
	provider: Provider;
	kind: 'node' | 'poll';
	type: string;
	parameters: IDataObject;
	/** The text parameter bad input goes into, and its display name (what errors must name). */
	field?: { name: string; display: RegExp };
	/** Faults that only make sense for this subject (e.g. a truncated ZIP for a download). */
	zip?: boolean;
}

const SUBJECTS: Subject[] = [
	{ name: 'CMC Get Many', provider: 'cmc', kind: 'node', type: 'customersMailCloud', parameters: { resource: 'block', operation: 'getAll', returnAll: false, limit: 5, ...FAST } },
	{ name: 'CMC Get Many (Return All)', provider: 'cmc', kind: 'node', type: 'customersMailCloud', parameters: { resource: 'block', operation: 'getAll', returnAll: true, ...FAST, filters: { email: '={{ $json.value }}' } }, field: { name: 'filters.email', display: /Email/ } },
	{ name: 'CMC Download (binary)', provider: 'cmc', kind: 'node', type: 'customersMailCloud', parameters: { resource: 'block', operation: 'download', output: 'binary', ...FAST }, zip: true },
	{ name: 'CMC Download (items)', provider: 'cmc', kind: 'node', type: 'customersMailCloud', parameters: { resource: 'block', operation: 'download', output: 'items', ...FAST }, zip: true },
	{ name: 'CMC Unblock Permanently', provider: 'cmc', kind: 'node', type: 'customersMailCloud', parameters: { resource: 'block', operation: 'delete', email: '={{ $json.value }}', ...FAST }, field: { name: 'email', display: /Email|email/ } },
	{ name: 'CMC Unblock Once', provider: 'cmc', kind: 'node', type: 'customersMailCloud', parameters: { resource: 'block', operation: 'cancel', email: '={{ $json.value }}', ...FAST }, field: { name: 'email', display: /Email|email/ } },
	{ name: 'CMC Trigger poll', provider: 'cmc', kind: 'poll', type: 'customersMailCloudTrigger', parameters: { event: 'newBlock', ...FAST } },
	{ name: 'Naimar Get Report', provider: 'naimar', kind: 'node', type: 'naimarSms', parameters: { resource: 'deliveryReport', operation: 'get', messageIds: '={{ $json.value }}', ...FAST }, field: { name: 'messageIds', display: /Message ID/i } },
	{ name: 'Arara Get', provider: 'arara', kind: 'node', type: 'araraMessage', parameters: { resource: 'delivery', operation: 'get', deliveryId: '={{ $json.value }}', ...FAST }, field: { name: 'deliveryId', display: /Delivery ID/i } },
	{ name: 'Arara Get by Request ID', provider: 'arara', kind: 'node', type: 'araraMessage', parameters: { resource: 'delivery', operation: 'getByRequestId', requestId: '={{ $json.value }}', ...FAST }, field: { name: 'requestId', display: /Request ID/i } },
	{ name: 'Arara Get Many', provider: 'arara', kind: 'node', type: 'araraMessage', parameters: { resource: 'delivery', operation: 'getAll', timeMin: '={{ $json.value }}', timeMax: '2024-06-01T00:00:00+09:00', returnAll: true, ...FAST }, field: { name: 'timeMin', display: /From|Time|Start/i } },
	{ name: 'Arara Send', provider: 'arara', kind: 'node', type: 'araraMessage', parameters: { resource: 'delivery', operation: 'reserve', deliveryMode: 'oneForAll', toAddress: '={{ $json.value }}', subject: 'Hello', text: 'Body', fromAddress: 'shop@example.jp', sendTime: 'now', ...FAST }, field: { name: 'toAddress', display: /To|Address/i } },
	{ name: 'Arara Cancel', provider: 'arara', kind: 'node', type: 'araraMessage', parameters: { resource: 'delivery', operation: 'cancel', deliveryId: '={{ $json.value }}', ...FAST }, field: { name: 'deliveryId', display: /Delivery ID/i } },
	{ name: 'Arara Trigger poll', provider: 'arara', kind: 'poll', type: 'araraMessageTrigger', parameters: { lookBackHours: 24, ...FAST } },
];

/** A valid value for each subject's bad-input field (what the good items carry). */
function goodValue(subject: Subject): string {
	switch (subject.name) {
		case 'CMC Get Many (Return All)':
			return 'example';
		case 'CMC Unblock Permanently':
		case 'CMC Unblock Once':
			return cmc.blocks()[0]?.email ?? 'nobody@example.com';
		case 'Naimar Get Report':
			return 'abcdefghijklab';
		case 'Arara Get':
			return arara.store.all()[0].delivery_id;
		case 'Arara Cancel':
			return cancellable[0];
		case 'Arara Get by Request ID':
			return String(arara.store.all().find((delivery) => delivery.settings.request_id)!.settings.request_id);
		case 'Arara Get Many':
			return '2024-05-01T00:00:00+09:00';
		case 'Arara Send':
			return 'customer@example.com';
		default:
			return '';
	}
}

const FAULTS: Array<[string, Fault | 'wrongCredentials' | 'truncatedZip' | 'emptyBody']> = [
	['429 + Retry-After', { kind: 'rateLimit', retryAfterSeconds: 0 }],
	['500', { kind: 'status', status: 500, body: '{"message":"internal"}' }],
	['503', { kind: 'status', status: 503, body: 'busy', contentType: 'text/plain' }],
	['timeout', { kind: 'delay', ms: 1_600 }],
	['reset mid-body', { kind: 'dropMidBody' }],
	['HTML page', { kind: 'html', status: 200 }],
	['invalid JSON', { kind: 'invalidJson' }],
	['empty body', 'emptyBody'],
	['truncated ZIP', 'truncatedZip'],
	['wrong credentials', 'wrongCredentials'],
];

const BAD_INPUTS: Array<[string, unknown]> = [
	['empty', ''],
	['too long', 'x'.repeat(10_000)],
	['wrong type (number)', 12345],
	['list where text is expected', ['a@example.com', 'b@example.com']],
	['object where text is expected', { email: 'a@example.com' }],
	['bad date format', '2024-13-45 25:61'],
	['dates out of order', '2024-07-01T00:00:00+09:00'],
	['unicode and control characters', 'ｍａｉｌ\u0000\u202e\u0007@例え.jp'],
	['injection: &api_key=', 'a@b.c&api_key=x'],
	['injection: ../', '../../etc/passwd'],
	['injection: %0d%0a', 'a%0d%0aX-Injected: 1'],
];

function fakeOf(provider: Provider): FakeServer {
	return provider === 'cmc' ? cmc.server : provider === 'naimar' ? naimar.server : arara.server;
}

function credentialsFor(provider: Provider, wrong = false): CredentialStore {
	if (provider === 'cmc') return { cmc: { type: CMC_CREDENTIAL_TYPE, data: { ...cmc.credentials, ...(wrong ? { apiKey: 'wrong-matrix-key-1' } : {}) } } };
	if (provider === 'naimar') return { naimar: { type: 'naimarSmsApi', data: { ...naimar.credentials, ...(wrong ? { password: 'wrongpass' } : {}) } } };
	return {
		arara: {
			type: 'araraMessageOAuth2Api',
			data: { host: arara.url, clientId: arara.credentials.clientId, clientSecret: wrong ? 'wrong-matrix-secret' : arara.credentials.clientSecret },
		},
	};
}

const credentialRef = (provider: Provider): Record<string, string> =>
	provider === 'cmc' ? { [CMC_CREDENTIAL_TYPE]: 'cmc' } : provider === 'naimar' ? { naimarSmsApi: 'naimar' } : { araraMessageOAuth2Api: 'arara' };

/** Every secret a case could leak, including the tokens the Arara fake has issued so far. */
function secrets(): string[] {
	const issued = arara.apiRequests()
		.map((request) => /^Bearer (\S+)$/.exec(String(request.headers.authorization ?? ''))?.[1])
		.filter((token): token is string => Boolean(token));
	return [cmc.credentials.apiKey, naimar.password, arara.credentials.clientSecret, WEBHOOK_SECRET, 'wrong-matrix-key-1', 'wrong-matrix-secret', ...new Set(issued)];
}

/** The parameter names a request carries: query string and form/JSON body keys. */
function parameterNames(request: RecordedRequest): string[] {
	const names = [...request.query.keys()];
	const type = String(request.headers['content-type'] ?? '');
	if (request.body && type.includes('json')) {
		try {
			const body = JSON.parse(request.body) as unknown;
			if (body && typeof body === 'object' && !Array.isArray(body)) names.push(...Object.keys(body));
		} catch {
			/* not JSON after all */
		}
	} else if (request.body) {
		names.push(...new URLSearchParams(request.body).keys());
	}
	return names.map((name) => `${request.method} ${request.path.replace(/\/[^/]*\d[^/]*$/, '/:id')} ${name}`);
}

/** Two deliveries that can still be cancelled (reserved for tomorrow), fresh for every case. */
let cancellable: string[] = [];

function resetFakes(): void {
	cancellable = [0, 1].map(() => {
		const id = arara.store.newId();
		const sendAt = Date.now() + 86_400_000;
		arara.store.add({ delivery_id: id, status: 'reserved', settings: { subject: 'matrix' }, sendresult_count: { success: 0, error: 0 }, reservedAt: Date.now(), sendAt, mails: 1 });
		return id;
	});
	cmc.reset();
	cmc.seed(150, { from: new Date(Date.now() - 10 * 86_400_000), spacingSeconds: 3600 });
	cmc.setDownload({ encryption: { kind: 'none' }, truncateTo: undefined });
	for (const server of [cmc.server, naimar.server, arara.server]) {
		server.clearFaults();
		server.resetLog();
	}
}

interface Outcome {
	items: INodeExecutionData[];
	error?: Error & Record<string, unknown>;
	staticData?: IDataObject;
}

async function runSubject(subject: Subject, input: IDataObject[], { continueOnFail = false, wrong = false } = {}): Promise<Outcome> {
	const credentials = credentialsFor(subject.provider, wrong);
	const node = { type: subject.type, parameters: subject.parameters, credentials: credentialRef(subject.provider), continueOnFail };
	if (subject.kind === 'poll') {
		const staticData: IDataObject = {};
		const first = await runPoll({ node, credentials, staticData });
		return { items: first.items ?? [], error: first.error as Outcome['error'], staticData };
	}
	const result: RunResult = await runNode({ node, input, credentials });
	return { items: result.items, error: result.error };
}

/** What makes a failure acceptable: it names the provider's status or code, or the field. */
function namesTheCause(error: Error & Record<string, unknown>, subject: Subject): boolean {
	const text = `${error.message} ${String(error.description ?? '')}`;
	if (error.httpCode) return true;
	if (/(Customers Mail Cloud|Naimar SMS|Arara Message)/.test(text)) return true;
	if (subject.field && subject.field.display.test(text)) return true;
	// a download cut short: no field or provider code to name, the message names the damaged ZIP
	if (subject.zip && /ZIP file is damaged or incomplete/.test(text)) return true;
	return /"[^"]+"/.test(text);
}

interface CaseResult {
	name: string;
	passed: boolean;
	problems: string[];
	leaks: number;
}
const results: CaseResult[] = [];
const consoleLines: string[] = [];

beforeAll(async () => {
	[cmc, naimar, arara] = await Promise.all([startCustomersMailCloudFake(), startNaimarSmsFake(), startAraraMessageFake()]);
	arara.seed(40, Date.UTC(2024, 3, 30, 15, 0), Date.UTC(2024, 4, 31, 15, 0), 51);
	arara.seed(20, Date.now() - 20 * 3_600_000, Date.now() - 3_600_000, 52);
	for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
		jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
			consoleLines.push(args.map((arg) => serializeForLeakCheck(arg)).join(' '));
		});
	}
});

afterAll(async () => {
	jest.restoreAllMocks();
	const passed = results.filter((result) => result.passed).length;
	const leaks = results.reduce((sum, result) => sum + result.leaks, 0);
	process.stdout.write(`matrix: ${results.length} cases, ${passed} passed, secrets found: ${leaks}\n`);
	await Promise.all([cmc?.close(), naimar?.close(), arara?.close()]);
});

/** Baseline: the parameter names each subject sends with good input (the "user set" ones). */
const allowedParameters = new Map<string, Set<string>>();
/** Subjects whose good input gives at least one item (so a good item with none was lost). */
const baselineHadItems = new Set<string>();

async function check(name: string, subject: Subject, run: () => Promise<{ outcome: Outcome; good?: Array<[number, string]> }>): Promise<void> {
	const problems: string[] = [];
	const { outcome, good = [] } = await run();
	if (outcome.error && !namesTheCause(outcome.error, subject)) problems.push(`error names neither field nor provider: ${outcome.error.message}`);
	// good items under Continue On Fail: unchanged and paired to their own input
	for (const [inputIndex, value] of good) {
		const paired = outcome.items.filter((item) => (Array.isArray(item.pairedItem) ? item.pairedItem : [item.pairedItem]).some((pair) => (typeof pair === 'number' ? pair : pair?.item) === inputIndex));
		if (paired.length === 0 && baselineHadItems.has(subject.name)) problems.push(`good item ${inputIndex} (${value}) lost`);
		if (paired.some((item) => 'error' in item.json)) problems.push(`good item ${inputIndex} came out as an error: ${JSON.stringify(paired[0].json).slice(0, 200)}`);
	}
	const allowed = allowedParameters.get(subject.name);
	if (allowed) {
		const extra = fakeOf(subject.provider).requests.flatMap(parameterNames).filter((parameter) => !allowed.has(parameter) && !/\/oauth2\/token/.test(parameter));
		if (extra.length) problems.push(`requests carried parameters good input never sends: ${[...new Set(extra)].join(', ')}`);
		const apiKeys = fakeOf(subject.provider).requests.map((request) => new URLSearchParams(request.body).get('api_key') ?? request.query.get('api_key'));
		if (apiKeys.includes('x')) problems.push('an input value became the api_key parameter');
	}
	const shown = [JSON.stringify(outcome.items), serializeForLeakCheck(outcome.error), JSON.stringify(outcome.staticData ?? {}), consoleLines.join('\n')].join('\n');
	consoleLines.length = 0;
	const leaks = secrets().filter((secret) => shown.includes(secret)).length;
	if (leaks) problems.push(`${leaks} secret(s) found in output, error, static data or logs`);
	results.push({ name, passed: problems.length === 0, problems, leaks });
	expect(problems).toEqual([]);
}

describe.each(SUBJECTS.map((subject) => [subject.name, subject] as const))('%s', (_name, subject) => {
	beforeEach(resetFakes);

	test('good input (baseline)', async () => {
		await check(`${subject.name} × good input`, subject, async () => {
			const outcome = await runSubject(subject, [{ value: goodValue(subject) }]);
			const names = new Set(fakeOf(subject.provider).requests.flatMap(parameterNames));
			allowedParameters.set(subject.name, names);
			if (outcome.items.length > 0) baselineHadItems.add(subject.name);
			if (outcome.error) throw new Error(`baseline failed: ${outcome.error.message} ${String(outcome.error.description ?? '')}`);
			return { outcome };
		});
	});

	test.each(FAULTS.filter(([, fault]) => fault !== 'truncatedZip' || subject.zip))('fault: %s', async (faultName, fault) => {
		await check(`${subject.name} × ${faultName}`, subject, async () => {
			const server = fakeOf(subject.provider);
			if (fault === 'truncatedZip') cmc.setDownload({ truncateTo: 200 });
			else if (fault === 'emptyBody') server.inject({ kind: 'status', status: 200, body: '' }, { times: 50 });
			else if (fault !== 'wrongCredentials') server.inject(fault, { times: 50, pathPrefix: subject.provider === 'arara' ? '/send' : undefined });
			const outcome = await runSubject(subject, [{ value: goodValue(subject) }], { wrong: fault === 'wrongCredentials' });
			return { outcome };
		});
	});

	if (subject.field) {
		test.each(BAD_INPUTS)('bad input: %s (between two good items, Continue On Fail)', async (inputName, value) => {
			await check(`${subject.name} × ${inputName}`, subject, async () => {
				const good = goodValue(subject);
				// Unblocks change state: the two good items unblock two different addresses.
				const second = subject.name.startsWith('CMC Unblock') ? cmc.blocks()[1].email : subject.name === 'Arara Cancel' ? cancellable[1] : good;
				const outcome = await runSubject(subject, [{ value: good }, { value: value as IDataObject[string] }, { value: second }], { continueOnFail: true });
				return { outcome, good: [[0, good], [2, second]] };
			});
		});
	}
});

describe('Naimar SMS Trigger webhook', () => {
	const report = { id: 'abcdefghijklab', rcv_msg_id: '98765', time: '2024-05-01 10:11:12', status: '2', secret: WEBHOOK_SECRET };
	const push = async (query: Record<string, unknown>) =>
		await runWebhook({
			node: { type: 'naimarSmsTrigger', parameters: { options: { secret: WEBHOOK_SECRET } } },
			credentials: {},
			call: { method: 'GET', query: query as Record<string, string> },
		});
	const cases: Array<[string, Record<string, unknown>]> = [
		['good report', report],
		['wrong secret', { ...report, secret: 'nope' }],
		...BAD_INPUTS.map(([name, value]) => [`bad input: ${name} as id`, { ...report, id: value }] as [string, Record<string, unknown>]),
		...BAD_INPUTS.map(([name, value]) => [`bad input: ${name} as status`, { ...report, status: value }] as [string, Record<string, unknown>]),
	];
	test.each(cases)('%s', async (name, query) => {
		const outcome = await push(query);
		const problems: string[] = [];
		if (![200, 400, 403].includes(outcome.status)) problems.push(`answered ${outcome.status}`);
		const shown = JSON.stringify(outcome);
		const leaks = secrets().filter((secret) => shown.includes(secret)).length;
		if (leaks) problems.push('secret in the answer or the emitted items');
		results.push({ name: `Naimar webhook × ${name}`, passed: problems.length === 0, problems, leaks });
		expect(problems).toEqual([]);
	});
});

describe('10,000 items', () => {
	beforeEach(resetFakes);
	test('Naimar Get Report with 10,000 input items, every 1,000th one bad, under Continue On Fail', async () => {
		const subject = SUBJECTS.find((candidate) => candidate.name === 'Naimar Get Report')!;
		const input = Array.from({ length: 10_000 }, (_, index) => ({ value: index % 1000 === 500 ? '' : `m${String(index).padStart(13, '0')}` }));
		const outcome = await runSubject(subject, input, { continueOnFail: true });
		const problems: string[] = [];
		const pairs = outcome.items.map((item) => (typeof item.pairedItem === 'object' && !Array.isArray(item.pairedItem) ? item.pairedItem.item : -1));
		if (new Set(pairs).size !== 10_000) problems.push(`outputs paired to ${new Set(pairs).size} of 10,000 inputs`);
		const errors = outcome.items.filter((item) => 'error' in item.json);
		if (errors.length !== 10) problems.push(`${errors.length} error items instead of 10`);
		const shown = JSON.stringify(outcome.items) + serializeForLeakCheck(outcome.error);
		const leaks = secrets().filter((secret) => shown.includes(secret)).length;
		results.push({ name: 'Naimar × 10,000 items', passed: problems.length === 0 && !leaks, problems, leaks });
		expect(problems).toEqual([]);
		expect(leaks).toBe(0);
	});
});

