/** Turning date-picker values (or expression results) into the `yyyy-mm-dd` the API wants. */

/** A moment in time: a date and time with "Z" or an offset, e.g. 2024-05-01T20:00:00Z or …+09:00. */
const INSTANT_PATTERN = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

/** The calendar day of a moment in `timeZone` (the workflow's), as yyyy-mm-dd. */
function dayIn(moment: number, timeZone: string): string {
	try {
		// en-CA formats as yyyy-mm-dd
		return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(moment);
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
	if (date.getUTCFullYear() !== Number(year) || date.getUTCMonth() !== Number(month) - 1 || date.getUTCDate() !== Number(day)) {
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
