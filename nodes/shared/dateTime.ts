/**
 * Reading n8n date parameters (the date picker, expressions, Luxon DateTimes, Dates, Unix time)
 * into what the provider APIs want: a calendar day (`toApiDate`) or an instant (`parseDateTime`).
 */

/** A moment in time: a date and time with "Z" or an offset, e.g. 2024-05-01T20:00:00Z or …+09:00. */
const INSTANT_PATTERN =
	/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

/** The calendar day of a moment in `timeZone` (the workflow's), as yyyy-mm-dd. */
function dayIn(moment: number, timeZone: string): string {
	try {
		// en-CA formats as yyyy-mm-dd
		return new Intl.DateTimeFormat('en-CA', {
			timeZone,
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
		}).format(moment);
	} catch {
		return new Date(moment).toISOString().slice(0, 10);
	}
}

/**
 * The calendar day of a value, or undefined when it is not a date. A day or a local date and
 * time (what the date picker gives) is taken as it is; a moment in time (a Date, or a text with
 * "Z" or an offset) is the day it falls on in `timeZone`, the workflow's.
 */
export function toApiDate(value: unknown, timeZone = 'UTC'): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const text =
		typeof value === 'string'
			? value.trim()
			: typeof (value as { toISO?: unknown }).toISO === 'function'
				? String((value as { toISO: () => string }).toISO())
				: value instanceof Date
					? value.toISOString()
					: String(value);
	// The date picker gives the local day ("2024-05-01T00:00:00"): its first 10 characters are the day.
	const match = /^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])/.exec(text);
	if (!match) return undefined;
	const [, year, month, day] = match;
	const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
	if (
		date.getUTCFullYear() !== Number(year) ||
		date.getUTCMonth() !== Number(month) - 1 ||
		date.getUTCDate() !== Number(day)
	) {
		return undefined;
	}
	if (INSTANT_PATTERN.test(text)) {
		const moment = Date.parse(text);
		return Number.isNaN(moment) ? undefined : dayIn(moment, timeZone);
	}
	return `${year}-${month}-${day}`;
}

/** Adds days to a `yyyy-mm-dd` day. */
export function addDays(day: string, days: number): string {
	const date = new Date(`${day}T00:00:00Z`);
	date.setUTCDate(date.getUTCDate() + days);
	return date.toISOString().slice(0, 10);
}

export type WallClockField = 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second';

/** An instant's wall-clock time in `timeZone`, as digits (two each but the year); a RangeError for an unknown zone. */
export function wallClockParts(epochMs: number, timeZone: string): Record<WallClockField, string> {
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
	const field = (type: WallClockField) => parts.find((part) => part.type === type)?.value ?? '00';
	return {
		year: field('year'),
		month: field('month'),
		day: field('day'),
		hour: field('hour'),
		minute: field('minute'),
		second: field('second'),
	};
}

/** Offset of `timeZone` from UTC at an instant, in milliseconds (positive east of Greenwich). */
function zoneOffsetMs(timeZone: string, epochMs: number): number {
	const { year, month, day, hour, minute, second } = wallClockParts(epochMs, timeZone);
	const asUtc = Date.UTC(
		Number(year),
		Number(month) - 1,
		Number(day),
		Number(hour),
		Number(minute),
		Number(second),
	);
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
	if (
		value &&
		typeof value === 'object' &&
		typeof (value as { toMillis?: unknown }).toMillis === 'function'
	) {
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
