/** Reading and checking the node's parameters before any request is sent. */
import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions, INode } from 'n8n-workflow';

import { invalidInput } from '../../shared/transport/errors';
import { readRequiredText, readText, refuseListOrObject } from '../../shared/description/parameters';
import { credentialsOnce } from '../../shared/transport/request';
import type { BlockFilters } from '../transport/blocks';
import { CREDENTIAL_TYPE } from '../transport/profile';
import { toApiDate } from '../../shared/dateTime';

/**
 * The Server Composition to act on: the node's own (`own`), else the credential's default.
 * Shared by the operations and the trigger, which read `own` from their own parameters.
 */
export async function serverCompositionOrDefault(
	ctx: { getNode(): INode; getCredentials(type: string): Promise<ICredentialDataDecryptedObject> },
	own: string,
	itemIndex?: number,
): Promise<string> {
	if (own) return own;
	// Read once per execution, not once per item: n8n fetches and decrypts it on every call.
	const credentials = await credentialsOnce(ctx, CREDENTIAL_TYPE);
	const fallback = String(credentials.serverComposition ?? '').trim();
	if (fallback) return fallback;
	throw invalidInput(
		ctx.getNode(),
		'Server Composition is empty',
		'Enter the name of a server composition in "Server Composition", or set "Default Server Composition" in the credential.',
		itemIndex,
	);
}

/** The node's Server Composition, or the credential's default when the field is empty. */
export async function readServerComposition(ctx: IExecuteFunctions, itemIndex: number): Promise<string> {
	const own = readText(ctx, 'serverComposition', itemIndex, { label: 'Server Composition' });
	return await serverCompositionOrDefault(ctx, own, itemIndex);
}

/** A date-picker value as yyyy-mm-dd; undefined when empty; an invalid date is refused naming the field. */
export function readDate(ctx: IExecuteFunctions, value: unknown, label: string, itemIndex: number): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const day = toApiDate(value, ctx.getTimezone());
	if (!day) {
		throw invalidInput(
			ctx.getNode(),
			`${label} is not a valid date: "${String(value)}"`,
			`Pick a day in "${label}" or give one as yyyy-mm-dd, e.g. 2024-05-01.`,
			itemIndex,
		);
	}
	return day;
}

/** Start Date and End Date of a Filters collection as yyyy-mm-dd, the start checked against the end. */
export function readDateRange(
	ctx: IExecuteFunctions,
	raw: IDataObject,
	itemIndex: number,
): { startDate?: string; endDate?: string } {
	const startDate = readDate(ctx, raw.startDate, 'Start Date', itemIndex);
	const endDate = readDate(ctx, raw.endDate, 'End Date', itemIndex);
	if (startDate && endDate && startDate > endDate) {
		throw invalidInput(
			ctx.getNode(),
			`Start Date (${startDate}) is after End Date (${endDate})`,
			'The start date must be the same day as the end date or earlier. Swap or correct them.',
			itemIndex,
		);
	}
	return { startDate, endDate };
}

/** The Filters collection, with dates as yyyy-mm-dd and the start checked against the end. */
export function readFilters(ctx: IExecuteFunctions, itemIndex: number): BlockFilters {
	const raw = (ctx.getNodeParameter('filters', itemIndex, {}) ?? {}) as IDataObject;
	const filters: BlockFilters = {};
	refuseListOrObject(ctx, raw.email, 'Email Contains', itemIndex, 'one address');
	const email = String(raw.email ?? '').trim();
	if (email) filters.email = email;
	Object.assign(filters, readDateRange(ctx, raw, itemIndex));
	if (raw.removed === true || raw.removed === 'true') filters.removed = true;
	return filters;
}

/** The address for Unblock: required, one address. */
export function readEmail(ctx: IExecuteFunctions, itemIndex: number): string {
	return readRequiredText(ctx, 'email', itemIndex, {
		label: 'Email',
		expected: 'one address',
		message: 'Email is empty',
		hint: 'Enter the blocked address in "Email", e.g. {{ $json.email }} to take it from the input item.',
	});
}
