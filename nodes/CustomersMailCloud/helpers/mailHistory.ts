/**
 * "One item per mail": the Deliveries list has one record per delivery event, several per mail
 * (first queued, then succeeded, failed or deferred). Grouping by messageId + to is a reading of
 * the provider's samples, not a documented key.
 */
import type { IDataObject } from 'n8n-workflow';

/** What each step of a mail's history keeps: when, which status, and why. */
const HISTORY_FIELDS = ['created', 'status', 'reason', 'senderIp', 'sourceIp'] as const;

function mailKey(record: IDataObject): string {
	return `${String(record.messageId ?? '')}\u0000${String(record.to ?? '').toLowerCase()}`;
}

function historyEntry(record: IDataObject): IDataObject {
	const entry: IDataObject = {};
	for (const field of HISTORY_FIELDS) if (record[field] !== undefined) entry[field] = record[field];
	return entry;
}

/**
 * One item per mail, in the order each mail first appeared: the latest record's fields (latest
 * by `created`; among equal times the later listed), `firstCreated`, and the whole `history`
 * oldest first.
 */
export function groupByMail(records: Iterable<IDataObject>): IDataObject[] {
	const mails = new Map<string, IDataObject[]>();
	for (const record of records) {
		const key = mailKey(record);
		const list = mails.get(key);
		if (list) list.push(record);
		else mails.set(key, [record]);
	}
	const result: IDataObject[] = [];
	for (const list of mails.values()) {
		const ordered = list
			.map((record, index) => ({ record, index }))
			.sort(
				(a, b) =>
					String(a.record.created ?? '').localeCompare(String(b.record.created ?? '')) ||
					a.index - b.index,
			)
			.map(({ record }) => record);
		const latest = ordered[ordered.length - 1];
		result.push({
			...latest,
			firstCreated: ordered[0].created,
			history: ordered.map(historyEntry),
		});
	}
	return result;
}
