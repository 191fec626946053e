/** Turning date-picker values (or expression results) into the `yyyy-mm-dd` the API wants. */

/** The calendar day of a value, or undefined when it is not a date. */
export function toApiDate(value: unknown): string | undefined {
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
	return `${year}-${month}-${day}`;
}

/** Adds days to a `yyyy-mm-dd` day. */
export function addDays(day: string, days: number): string {
	const date = new Date(`${day}T00:00:00Z`);
	date.setUTCDate(date.getUTCDate() + days);
	return date.toISOString().slice(0, 10);
}
