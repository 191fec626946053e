/** Delivery statuses a user can filter on. The names of the final states are unconfirmed in the docs. */
import type { INodePropertyOptions } from 'n8n-workflow';

export const DELIVERY_STATUS_OPTIONS: INodePropertyOptions[] = [
	{ name: 'Deleted (Cancelled)', value: 'deleted' },
	{ name: 'Failed', value: 'failed' },
	{ name: 'Finished', value: 'finished' },
	{ name: 'Processed', value: 'processed' },
	{ name: 'Processing', value: 'processing' },
	{ name: 'Reserved', value: 'reserved' },
	{ name: 'Sending', value: 'sending' },
];

/** A status filter from a multi-select (or an expression giving a list or a comma-separated text). */
export function readStatusFilter(value: unknown): Set<string> {
	const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
	return new Set(list.map((entry) => String(entry).trim()).filter(Boolean));
}
