/**
 * Times as the Arara Message API speaks them: Japan Standard Time (UTC+9, no daylight saving),
 * minute precision, e.g. `2024-05-01T09:30+09:00`. Whatever the n8n instance's time zone is, the
 * node converts to this form.
 */
const MINUTE_MS = 60_000;
const JAPAN_OFFSET_MS = 9 * 60 * MINUTE_MS;

export { MINUTE_MS };

/** `yyyy-mm-ddThh:mm+09:00` for an instant (seconds are dropped: the API has minute precision). */
export function toJapanMinute(epochMs: number): string {
	return new Date(floorToMinute(epochMs) + JAPAN_OFFSET_MS).toISOString().slice(0, 16) + '+09:00';
}

export function floorToMinute(epochMs: number): number {
	return Math.floor(epochMs / MINUTE_MS) * MINUTE_MS;
}

export function ceilToMinute(epochMs: number): number {
	return Math.ceil(epochMs / MINUTE_MS) * MINUTE_MS;
}

/** Epoch milliseconds of an API time (`yyyy-mm-ddThh:mm+09:00`, or any RFC 3339 time). */
export function parseApiTime(value: unknown): number | undefined {
	if (typeof value !== 'string') return undefined;
	const ms = Date.parse(value);
	return Number.isNaN(ms) ? undefined : ms;
}
