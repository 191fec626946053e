/**
 * The shared transport, through n8n's engine, against a local server that misbehaves the way real
 * services do. A fixture node (test/fixtures/probe-package) sends one request per item.
 */
import path from 'node:path';

import { FakeServer, parseBody, type Fault } from '../../fakes/fake-server';
import { runNode, type RunResult } from '../../harness/engine';
import { usePackageRoot } from '../../harness/node-types';

const SECRET = 'sk-live-4f9c2e7a1b';

let server: FakeServer;

beforeAll(async () => {
	usePackageRoot(path.resolve(__dirname, '../../fixtures/probe-package'));
	server = await new FakeServer((request) => {
		const body = parseBody(request);
		if (body.message === 'invalid') {
			// A provider that echoes the request back in its error, secret included.
			return {
				status: 400,
				body: JSON.stringify({
					errors: [
						{
							code: '10-002',
							field: 'message',
							message: `Rejected request api_key=${String(body.api_key)}`,
						},
					],
				}),
			};
		}
		if (body.message === 'error-with-200') {
			return {
				status: 200,
				body: JSON.stringify({ errors: [{ code: '12-002', message: 'Access denied' }] }),
			};
		}
		return { status: 200, body: JSON.stringify({ echoed: body.message }) };
	}).start();
});

afterAll(async () => server.close());

beforeEach(() => {
	server.clearFaults();
	server.resetLog();
});

async function probe(
	messages: string[],
	parameters: Record<string, unknown> = {},
	continueOnFail = true,
): Promise<RunResult> {
	return await runNode({
		node: {
			type: 'probe',
			parameters: { message: '={{ $json.message }}', ...parameters },
			credentials: { probeApi: 'probe' },
			continueOnFail,
		},
		input: messages.map((message) => ({ message })),
		credentials: { probe: { type: 'probeApi', data: { apiKey: SECRET, baseUrl: server.url } } },
	});
}

function serialized(result: RunResult): string {
	const error = result.error as (Error & { toJSON?: () => unknown }) | undefined;
	return JSON.stringify([
		result.items,
		error?.message,
		(error as { description?: unknown })?.description,
		(error as { context?: unknown })?.context,
		(error as { cause?: unknown })?.cause,
		error?.toJSON?.(),
		result.run.data.resultData,
	]);
}

describe('answers', () => {
	it('returns the JSON answer, paired to its item, with the credential sent in body and header', async () => {
		const result = await probe(['one', 'two']);
		expect(result.items.map((item) => item.json)).toEqual([{ echoed: 'one' }, { echoed: 'two' }]);
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(parseBody(server.requests[0]).api_key).toBe(SECRET);
		expect(server.requests[0].headers.authorization).toBe(`Bearer ${SECRET}`);
	});

	it("reports the provider's code, field and message, with the echoed secret redacted", async () => {
		const result = await probe(['invalid']);
		expect(result.items[0].json).toMatchObject({
			httpCode: '400',
			code: '10-002',
			field: 'message',
		});
		expect(String(result.items[0].json.error)).toContain('Rejected request api_key=[redacted]');
		expect(serialized(result)).not.toContain(SECRET);
	});

	it('treats an error body that comes with status 200 as an error', async () => {
		const result = await probe(['error-with-200']);
		expect(result.items[0].json).toMatchObject({ error: 'Access denied', code: '12-002' });
	});

	it('without Continue On Fail, stops with the failing item named', async () => {
		const result = await probe(['one', 'invalid', 'three'], {}, false);
		expect(result.error?.message).toContain('Rejected request');
		expect((result.error as { context?: { itemIndex?: number } }).context?.itemIndex).toBe(1);
		expect(serialized(result)).not.toContain(SECRET);
	});
});

describe('the credential', () => {
	it("is decrypted once per execution, and n8n's helper still authenticates every request with it", async () => {
		const credentials = {
			probe: { type: 'probeApi', data: { apiKey: SECRET, baseUrl: server.url }, reads: 0 },
		};
		const messages = Array.from({ length: 50 }, (_value, index) => `m${index}`);
		const result = await runNode({
			node: {
				type: 'probe',
				parameters: { message: '={{ $json.message }}' },
				credentials: { probeApi: 'probe' },
			},
			input: messages.map((message) => ({ message })),
			credentials,
		});
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(50);
		expect(server.requests).toHaveLength(50);
		for (const request of server.requests) {
			expect(parseBody(request).api_key).toBe(SECRET);
			expect(request.headers.authorization).toBe(`Bearer ${SECRET}`);
		}
		// The probe's own read and the transport's one; n8n would otherwise read it from its
		// database for each of the 50 requests.
		expect(credentials.probe.reads).toBe(2);
	});
});

describe('faults a real service shows', () => {
	const recovered: Array<[string, Fault]> = [
		['429 with Retry-After in seconds', { kind: 'rateLimit', retryAfterSeconds: 1 }],
		[
			'429 with Retry-After as an HTTP date',
			{ kind: 'rateLimit', retryAfterSeconds: 1, retryAfterDate: true },
		],
		['500', { kind: 'status', status: 500, body: '{"message":"internal"}' }],
		['503 with an HTML page', { kind: 'html', status: 503 }],
		['a dropped connection', { kind: 'dropConnection' }],
		['a body cut off mid-way', { kind: 'dropMidBody' }],
		['invalid JSON with status 200', { kind: 'invalidJson' }],
		['an answer slower than the timeout', { kind: 'delay', ms: 1500 }],
	];

	it.each(recovered)('recovers from %s by retrying', async (_name, fault) => {
		server.inject(fault);
		const result = await probe(['one'], { timeoutMs: 1000 });
		expect(result.items.map((item) => item.json)).toEqual([{ echoed: 'one' }]);
		expect(server.requests).toHaveLength(2);
		expect(server.requests[0].fault).toBe(fault.kind);
	});

	it('waits as long as Retry-After says (capped by Max Retry Wait)', async () => {
		server.inject({ kind: 'rateLimit', retryAfterSeconds: 1 });
		await probe(['one']);
		expect(server.requests[1].at - server.requests[0].at).toBeGreaterThanOrEqual(950);

		server.resetLog();
		server.inject({ kind: 'rateLimit', retryAfterSeconds: 3600 });
		await probe(['one'], { maxWaitMs: 50 });
		expect(server.requests[1].at - server.requests[0].at).toBeLessThan(1000);
	});

	const exhausted: Array<[string, Fault, RegExp, string | undefined]> = [
		['429', { kind: 'rateLimit', retryAfterSeconds: 0 }, /Probe Service answered HTTP 429/, '429'],
		[
			'500 with a truncated JSON body',
			{ kind: 'status', status: 500, body: '{"message":' },
			/HTTP 500/,
			'500',
		],
		['502 HTML page', { kind: 'html' }, /HTTP 502/, '502'],
		[
			'dropped connections',
			{ kind: 'dropConnection' },
			/connection to Probe Service failed \(ECONNRESET\)/,
			undefined,
		],
		['timeouts', { kind: 'delay', ms: 1500 }, /did not answer within 1 s/, undefined],
		['invalid JSON', { kind: 'invalidJson' }, /not valid JSON/, '200'],
	];

	it.each(exhausted)(
		'gives a readable error after the last attempt on %s',
		async (_name, fault, message, httpCode) => {
			server.inject(fault, { times: 3 });
			const result = await probe(['one', 'two'], { attempts: 3, timeoutMs: 1000 });
			expect(result.items).toHaveLength(2);
			expect(String(result.items[0].json.error)).toMatch(message);
			expect(result.items[0].json.httpCode).toBe(httpCode);
			expect(String(result.items[0].json.description)).toMatch(/Gave up after 3 attempts/);
			// Continue On Fail: the other item still went through.
			expect(result.items[1].json).toEqual({ echoed: 'two' });
			expect(serialized(result)).not.toContain(SECRET);
		},
	);

	it('repeats a request that is not safe to repeat only after a 429', async () => {
		server.inject({ kind: 'status', status: 500, body: '{}' });
		const failed = await probe(['one'], { idempotent: false });
		expect(failed.items[0].json.httpCode).toBe('500');
		expect(server.requests).toHaveLength(1);

		server.resetLog();
		server.inject({ kind: 'dropConnection' });
		const dropped = await probe(['one'], { idempotent: false });
		expect(dropped.items[0].json.networkCode).toBe('ECONNRESET');
		expect(server.requests).toHaveLength(1);

		server.resetLog();
		server.inject({ kind: 'rateLimit', retryAfterSeconds: 0 });
		const limited = await probe(['one'], { idempotent: false });
		expect(limited.items[0].json).toEqual({ echoed: 'one' });
		expect(server.requests).toHaveLength(2);
	});
});
