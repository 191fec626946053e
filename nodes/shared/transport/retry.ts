/** When and how long to wait before trying a request again. Pure functions: unit-tested. */

export interface RetryPolicy {
	/** Total attempts including the first one. */
	maxAttempts: number;
	/** Upper bound for any single wait, including a provider's Retry-After. */
	maxWaitMs: number;
	/** First backoff step; doubles every attempt. */
	baseDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxAttempts: 4,
	maxWaitMs: 60_000,
	baseDelayMs: 500,
};

/** Statuses that mean "not now" rather than "never". */
const RETRYABLE_STATUSES = new Set([429, 500, 502, 503, 504]);
/** 429 means the provider did not process the request, so even a non-idempotent one may be re-sent. */
const SAFE_FOR_ANY_REQUEST = new Set([429]);

export function isRetryableStatus(status: number, idempotent: boolean): boolean {
	return idempotent ? RETRYABLE_STATUSES.has(status) : SAFE_FOR_ANY_REQUEST.has(status);
}

/** Connection-level failures (no HTTP answer at all): only safe to repeat for idempotent requests. */
const RETRYABLE_NETWORK_CODES = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'ECONNABORTED',
	'ETIMEDOUT',
	'EPIPE',
	'ENOTFOUND',
	'EAI_AGAIN',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
	'UND_ERR_SOCKET',
	/** The body broke off mid-way. */
	'ERR_BAD_RESPONSE',
]);

export function isRetryableNetworkError(code: string | undefined, idempotent: boolean): boolean {
	return idempotent && code !== undefined && RETRYABLE_NETWORK_CODES.has(code);
}

/** Parses Retry-After as delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(header: unknown, now: number = Date.now()): number | undefined {
	const value = Array.isArray(header) ? header[0] : header;
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	const text = String(value).trim();
	if (/^\d+(\.\d+)?$/.test(text)) return Math.round(parseFloat(text) * 1000);
	const date = Date.parse(text);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, date - now);
}

/**
 * Exponential backoff with full jitter, or the provider's Retry-After when it gives one;
 * both capped by the policy so a hostile header cannot stall a workflow.
 */
export function retryDelayMs(
	attempt: number,
	policy: RetryPolicy,
	retryAfterMs?: number,
	random: () => number = Math.random,
): number {
	if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxWaitMs);
	const ceiling = Math.min(policy.maxWaitMs, policy.baseDelayMs * 2 ** (attempt - 1));
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
