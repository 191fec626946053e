import {
	DEFAULT_RETRY_POLICY,
	isRetryableNetworkError,
	isRetryableStatus,
	parseRetryAfter,
	retryDelayMs,
} from '../../../nodes/shared/transport/retry';

describe('parseRetryAfter', () => {
	const now = Date.parse('2026-11-25T12:00:00Z');
	it('reads delta-seconds', () => {
		expect(parseRetryAfter('2', now)).toBe(2000);
		expect(parseRetryAfter(['0'], now)).toBe(0);
		expect(parseRetryAfter('1.5', now)).toBe(1500);
	});
	it('reads an HTTP date, and a past date as no wait', () => {
		expect(parseRetryAfter('Wed, 25 Nov 2026 12:00:30 GMT', now)).toBe(30_000);
		expect(parseRetryAfter('Wed, 25 Nov 2026 11:00:00 GMT', now)).toBe(0);
	});
	it('ignores what it cannot read', () => {
		expect(parseRetryAfter(undefined, now)).toBeUndefined();
		expect(parseRetryAfter('soon', now)).toBeUndefined();
	});
});

describe('retryDelayMs', () => {
	const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxWaitMs: 1000 };
	it('grows exponentially with jitter between half and all of the step', () => {
		expect(retryDelayMs(1, policy, undefined, () => 0)).toBe(50);
		expect(retryDelayMs(1, policy, undefined, () => 1)).toBe(100);
		expect(retryDelayMs(3, policy, undefined, () => 1)).toBe(400);
	});
	it('never waits longer than the cap, even when Retry-After asks for more', () => {
		expect(retryDelayMs(10, policy, undefined, () => 1)).toBe(1000);
		expect(retryDelayMs(1, policy, 3_600_000)).toBe(1000);
		expect(retryDelayMs(1, policy, 200)).toBe(200);
	});
});

describe('what is retried', () => {
	it('retries 429 for any request, 5xx and network errors only for idempotent ones', () => {
		expect(isRetryableStatus(429, false)).toBe(true);
		expect(isRetryableStatus(503, false)).toBe(false);
		expect(isRetryableStatus(503, true)).toBe(true);
		expect(isRetryableStatus(400, true)).toBe(false);
		expect(isRetryableStatus(404, true)).toBe(false);
		expect(isRetryableNetworkError('ECONNRESET', true)).toBe(true);
		expect(isRetryableNetworkError('ECONNRESET', false)).toBe(false);
		expect(isRetryableNetworkError(undefined, true)).toBe(false);
	});
});
