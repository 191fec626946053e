/** What a Naimar SMS status means, and the output item for one requested id. */
import type { IDataObject } from 'n8n-workflow';

import type { DeliveryAnswer } from '../transport/deliveryApi';

export const WAITING = 'waiting';
export const MISSING = 'missing';

/** Statuses that will not change any more (the API's changelog may add more; those stay non-final). */
const FINAL_STATUSES = new Set(['delivered', 'undeliverable', 'expired', 'rejected']);

export function isFinal(status: string): boolean {
	return FINAL_STATUSES.has(status);
}

export function deliveryReportItem(
	id: string,
	answer: DeliveryAnswer | undefined,
	note?: string,
): IDataObject {
	if (!answer) {
		return {
			id,
			status: MISSING,
			received: null,
			final: false,
			delivered: false,
			note: 'Naimar SMS sent no report for this id: it is unknown to the gateway (check the id) or not processed yet',
		};
	}
	const item: IDataObject = {
		id,
		status: answer.status,
		received: answer.received,
		final: isFinal(answer.status),
		delivered: answer.status === 'delivered',
	};
	if (note) item.note = note;
	return item;
}
