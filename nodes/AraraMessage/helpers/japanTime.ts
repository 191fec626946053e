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

/** Offset of `timeZone` from UTC at an instant, in milliseconds (positive east of Greenwich). */
function zoneOffsetMs(timeZone: string, epochMs: number): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	}).formatToParts(new Date(epochMs));
	const field = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
	const asUtc = Date.UTC(field('year'), field('month') - 1, field('day'), field('hour'), field('minute'), field('second'));
	return asUtc - Math.floor(epochMs / 1000) * 1000;
}

const ZONED = /(?:Z|[+-]\d{2}:?\d{2})$/i;
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?$/;

/**
 * Reads an n8n date-time parameter: an ISO string with a zone or offset, a wall-clock string
 * without one (n8n's date picker; read in the instance's time zone), a Date, a Luxon DateTime
 * or Unix time (milliseconds, or seconds below 1e11). Returns epoch milliseconds, or undefined when it is not a date.
 */
export function parseDateTime(value: unknown, timeZone: string): number | undefined {
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.getTime();
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) return undefined;
		// Unix time in seconds (as many APIs give it) rather than milliseconds: below 1e11 ms is 1973,
		// below 1e11 s is the year 5138, so the two readings never meet for a delivery.
		return Math.abs(value) < 1e11 ? value * 1000 : value;
	}
	if (value && typeof value === 'object' && typeof (value as { toMillis?: unknown }).toMillis === 'function') {
		const ms = (value as { toMillis(): number }).toMillis();
		return Number.isFinite(ms) ? ms : undefined;
	}
	if (typeof value !== 'string') return undefined;
	const text = value.trim();
	if (!text) return undefined;
	if (ZONED.test(text)) {
		const ms = Date.parse(text);
		return Number.isNaN(ms) ? undefined : ms;
	}
	const match = LOCAL.exec(text);
	if (!match) return undefined;
	const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '0'] = match;
	const wallClock = Date.UTC(
		Number(year),
		Number(month) - 1,
		Number(day),
		Number(hour),
		Number(minute),
		Number(second),
		Number(fraction.padEnd(3, '0')),
	);
	if (Number.isNaN(wallClock)) return undefined;
	try {
		// Two passes settle the offset around daylight-saving changes.
		const guess = wallClock - zoneOffsetMs(timeZone, wallClock);
		return wallClock - zoneOffsetMs(timeZone, guess);
	} catch {
		return undefined;
	}
}

/** Epoch milliseconds of an API time (`yyyy-mm-ddThh:mm+09:00`, or any RFC 3339 time). */
export function parseApiTime(value: unknown): number | undefined {
	if (typeof value !== 'string') return undefined;
	const ms = Date.parse(value);
	return Number.isNaN(ms) ? undefined : ms;
}
