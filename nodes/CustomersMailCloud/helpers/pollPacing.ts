/**
 * Keeping polls to the pace the provider asks for (about once a day) whatever schedule n8n runs
 * the trigger on: a poll that comes sooner than the minimum interval after the last completed
 * one is skipped before any request. The time lives in the trigger's static data. n8n saves that
 * only when a poll emits, so after a restart the remembered time may be older than the last poll:
 * the trigger then polls a little early, which is harmless.
 */
import type { INodeProperties } from 'n8n-workflow';

export const DEFAULT_MIN_POLL_INTERVAL_MINUTES = 60;

export const minPollIntervalOption: INodeProperties = {
	displayName: 'Minimum Poll Interval',
	name: 'minPollInterval',
	type: 'number',
	typeOptions: { minValue: 0 },
	default: DEFAULT_MIN_POLL_INTERVAL_MINUTES,
	description:
		'In minutes. Polls that come sooner than this after the last completed poll are skipped without any request, whatever the poll schedule (the provider asks to poll about once a day). 0 polls on every schedule tick.',
};

export interface PacingState {
	/** When the last completed poll started (ms since the epoch). */
	lastPollAt?: number;
}

/** The option's value in milliseconds (the default when unset, 0 or more). */
export function minPollIntervalMs(value: unknown): number {
	const minutes =
		value === undefined || value === null || value === ''
			? DEFAULT_MIN_POLL_INTERVAL_MINUTES
			: Number(value);
	return Number.isFinite(minutes) && minutes > 0 ? minutes * 60_000 : 0;
}

/** Whether a poll at `nowMs` comes too soon. A clock that went back never blocks polling. */
export function isTooSoon(state: PacingState, intervalMs: number, nowMs: number): boolean {
	const last = state.lastPollAt;
	if (intervalMs <= 0 || typeof last !== 'number' || last > nowMs) return false;
	return nowMs - last < intervalMs;
}
