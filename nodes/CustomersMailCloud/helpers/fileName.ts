/** The name the API gives its downloads (e.g. blocks-yyyyMMdd_HHmmss.zip), for when it sends none. */
export function defaultDownloadName(now: Date, timeZone: string, prefix = 'blocks'): string {
	let parts: Record<string, string>;
	try {
		parts = Object.fromEntries(
			new Intl.DateTimeFormat('en-GB', {
				timeZone,
				year: 'numeric',
				month: '2-digit',
				day: '2-digit',
				hour: '2-digit',
				minute: '2-digit',
				second: '2-digit',
				hourCycle: 'h23',
			})
				.formatToParts(now)
				.map((part) => [part.type, part.value]),
		);
	} catch {
		return defaultDownloadName(now, 'UTC', prefix);
	}
	return `${prefix}-${parts.year}${parts.month}${parts.day}_${parts.hour}${parts.minute}${parts.second}.zip`;
}
