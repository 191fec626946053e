/** Reading the record lists of Deliveries and Bounces, whose answers rest partly on the SDKs only. */
import type { IDataObject } from 'n8n-workflow';

/**
 * The records of a list answer: `{"<envelope>": [...]}` (the envelope names come from the SDKs).
 * Records are kept whole, unknown fields included.
 */
export function recordsOf(body: unknown, envelope: string): IDataObject[] {
	const records = (body as Record<string, unknown> | null | undefined)?.[envelope];
	return Array.isArray(records)
		? (records as IDataObject[]).filter((record) => record && typeof record === 'object')
		: [];
}
