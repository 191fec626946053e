import { wallClockParts } from '../../shared/dateTime';

/** The name the API gives its downloads (e.g. blocks-yyyyMMdd_HHmmss.zip), for when it sends none. */
export function defaultDownloadName(now: Date, timeZone: string, prefix = 'blocks'): string {
	let parts: Record<string, string>;
	try {
		parts = wallClockParts(now.getTime(), timeZone);
	} catch {
		return defaultDownloadName(now, 'UTC', prefix);
	}
	return `${prefix}-${parts.year}${parts.month}${parts.day}_${parts.hour}${parts.minute}${parts.second}.zip`;
}
