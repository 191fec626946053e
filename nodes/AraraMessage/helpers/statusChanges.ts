/** Which deliveries changed status since the last poll, from the statuses kept in static data. */
import type { IDataObject } from 'n8n-workflow';

/** delivery_id → status at the last poll. */
export type KnownStatuses = Record<string, string>;

/**
 * Compares a poll's deliveries with the statuses seen before. On the first poll (`known`
 * undefined) nothing counts as changed, so activating the trigger does not flood the workflow.
 * A delivery seen for the first time later counts as changed (previous_status null). Only the
 * deliveries of this poll are kept, so the stored map stays as small as the look-back window.
 */
export function detectChanges(
	known: KnownStatuses | undefined,
	deliveries: IDataObject[],
): { changed: IDataObject[]; current: KnownStatuses } {
	const current: KnownStatuses = {};
	const changed: IDataObject[] = [];
	for (const delivery of deliveries) {
		const id = delivery.delivery_id;
		if (id === undefined || id === null) continue;
		const status = String(delivery.status ?? '');
		current[String(id)] = status;
		if (!known) continue;
		const previous = known[String(id)];
		if (previous !== status) changed.push({ ...delivery, previous_status: previous ?? null });
	}
	return { changed, current };
}
