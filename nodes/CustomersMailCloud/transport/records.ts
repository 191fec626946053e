/** Reading the record lists of Deliveries and Bounces, whose answers rest partly on the SDKs only. */
import type { IDataObject } from 'n8n-workflow';

import { httpCodeOf } from '../../shared/transport/errors';

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

/**
 * A Ruby SDK reads HTTP 200 or 204 with an empty body as an empty list; the shared transport
 * reports such an answer as "not valid JSON", so that one failure reads as no records here.
 */
export async function emptyAnswerAsNoRecords(
	request: () => Promise<IDataObject[]>,
): Promise<IDataObject[]> {
	return await request().catch((error: unknown) => {
		const status = httpCodeOf(error);
		const description = String((error as { description?: unknown } | undefined)?.description ?? '');
		if ((status === 200 || status === 204) && description.includes('got an empty body')) return [];
		throw error;
	});
}
