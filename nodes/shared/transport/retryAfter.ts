/**
 * Tells n8n why a request failed for a reason a wait can cure, and how long the provider asked
 * to wait, so that n8n's durable poll scheduler (n8n 2.36+) backs off instead of polling into a
 * rate limit. n8n reads it as plain data from the error's `failure` field; n8n versions without
 * the field (they export no TIMED_CAUSES) get nothing added.
 */
import * as n8nWorkflow from 'n8n-workflow';

import { parseRetryAfter } from './retry';

const TIMED_CAUSES: readonly string[] | undefined = (
	n8nWorkflow as { TIMED_CAUSES?: readonly string[] }
).TIMED_CAUSES;

/** Only these statuses mean "come back later": 429 throttling, 503 down for now. */
const CAUSE_BY_STATUS: Record<number, string> = {
	429: 'rate-limited',
	503: 'temporarily-unavailable',
};

/** n8n-workflow's `Failure` for the timed causes (spelled out: older n8n-workflow does not export it). */
interface DeclaredFailure {
	cause: string;
	retryAfterMs?: number;
}

/** The last HTTP answer a failed request got: its status and headers. */
export interface FailedAnswer {
	status: number;
	headers: Record<string, unknown>;
}

/** Adds `failure: { cause, retryAfterMs? }` to the error where n8n knows the cause; returns the error. */
export function withFailureCause<E extends object>(
	error: E,
	answer: FailedAnswer | undefined,
	now: number = Date.now(),
): E {
	const cause = answer ? CAUSE_BY_STATUS[answer.status] : undefined;
	if (!answer || !cause || !TIMED_CAUSES?.includes(cause)) return error;
	const retryAfterMs = parseRetryAfter(answer.headers['retry-after'], now);
	(error as { failure?: DeclaredFailure }).failure = retryAfterMs
		? { cause, retryAfterMs }
		: { cause };
	return error;
}
