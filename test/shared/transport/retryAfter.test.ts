/**
 * The `failure` cause that n8n 2.36+ reads from an error to back a poll off (429 → rate-limited
 * with the provider's Retry-After). Runs twice in CI: on the 2.8 engine (n8n-workflow without
 * TIMED_CAUSES: nothing is added) and on the 2.41 engine (scripts/node24-engine.js: it is added).
 */
import * as n8nWorkflow from 'n8n-workflow';

import { withFailureCause } from '../../../nodes/shared/transport/retryAfter';
import type { CustomersMailCloudFake } from '../../fakes/customers-mail-cloud';
import { runCmc, useFakePerFile } from '../../CustomersMailCloud/setup';

const supported = Array.isArray((n8nWorkflow as { TIMED_CAUSES?: unknown }).TIMED_CAUSES);
const NOW = Date.UTC(2026, 0, 1);

describe(`withFailureCause (n8n-workflow ${supported ? 'with' : 'without'} TIMED_CAUSES)`, () => {
	const cases: Array<
		[string, { status: number; headers: Record<string, unknown> } | undefined, unknown]
	> = [
		[
			'429 with Retry-After seconds',
			{ status: 429, headers: { 'retry-after': '7' } },
			{ cause: 'rate-limited', retryAfterMs: 7_000 },
		],
		[
			'429 with an HTTP date',
			{ status: 429, headers: { 'retry-after': new Date(NOW + 90_000).toUTCString() } },
			{ cause: 'rate-limited', retryAfterMs: 90_000 },
		],
		['429 without Retry-After', { status: 429, headers: {} }, { cause: 'rate-limited' }],
		[
			'429 with an unreadable Retry-After',
			{ status: 429, headers: { 'retry-after': 'soon' } },
			{ cause: 'rate-limited' },
		],
		[
			'503 with Retry-After',
			{ status: 503, headers: { 'retry-after': '30' } },
			{ cause: 'temporarily-unavailable', retryAfterMs: 30_000 },
		],
		['500', { status: 500, headers: { 'retry-after': '5' } }, undefined],
		['401', { status: 401, headers: {} }, undefined],
		['no answer (network fault)', undefined, undefined],
	];
	it.each(cases)('%s', (_name, answer, expected) => {
		const error = withFailureCause(new Error('x') as Error & { failure?: unknown }, answer, NOW);
		expect(error.failure).toEqual(supported ? expected : undefined);
		if (!supported) expect('failure' in error).toBe(false);
	});
});

describe('through the engine: a node that gives up on 429', () => {
	let fake: CustomersMailCloudFake;
	useFakePerFile((started) => (fake = started));

	it(`${supported ? 'carries' : 'does not carry'} failure { cause: "rate-limited", retryAfterMs } and stays a clear NodeApiError`, async () => {
		fake.server.inject({ kind: 'rateLimit', retryAfterSeconds: 42 }, { times: 5 });
		const { error } = await runCmc(fake, {
			operation: 'getAll',
			returnAll: true,
			options: { retryAttempts: 0 },
		});
		expect(error?.httpCode).toBe('429');
		expect((error as { failure?: unknown }).failure).toEqual(
			supported ? { cause: 'rate-limited', retryAfterMs: 42_000 } : undefined,
		);
		expect(JSON.stringify(error)).not.toContain(fake.credentials.apiKey);
	});

	it('a 404-like provider error gets no cause', async () => {
		const { error } = await runCmc(fake, { operation: 'cancel', email: 'nobody@example.com' });
		expect(error?.httpCode).toBe('400');
		expect((error as { failure?: unknown }).failure).toBeUndefined();
	});
});
