/** Readable names for a block's `status` code (the provider's "error status" values). */
import type { IDataObject } from 'n8n-workflow';

const STATUS_TEXT: Record<string, string> = {
	'1': 'unknown host',
	'2': 'unknown user',
	'3': 'retransmission timeout',
	'4': 'rejection',
	'5': 'over capacity',
	'6': 'forward error',
	'7': 'receiving server error',
	'8': 'oversized',
	'9': 'address format error',
	'10': 'blocked address',
	'11': 'unsubscribed address',
	'99': 'others',
};

export function statusTextOf(status: unknown): string {
	return knownStatusText(status) ?? 'unknown status';
}

/** The readable name of an error status, or undefined for a code not in the provider's list. */
export function knownStatusText(status: unknown): string | undefined {
	return STATUS_TEXT[String(status ?? '').trim()];
}

/** The error status codes and their names, for a status filter. */
export const ERROR_STATUS_NAMES: ReadonlyArray<[code: string, name: string]> =
	Object.entries(STATUS_TEXT);

/*
 * The record is completed in place, not copied: it is the caller's own, fresh from one answer or
 * CSV row, and a copy per record was most of the node's own cost on 100,000 blocks.
 */

/** One output item per block: the API's fields as given, plus `statusText`. */
export function toBlockItem(block: IDataObject): IDataObject {
	block.statusText = statusTextOf(block.status);
	return block;
}

/** A bounce as the API gives it, plus `statusText` (null for a code not in the provider's list). */
export function toBounceItem(bounce: IDataObject): IDataObject {
	bounce.statusText = knownStatusText(bounce.status) ?? null;
	return bounce;
}
