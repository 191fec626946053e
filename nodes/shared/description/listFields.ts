/** The Return All and Limit parameters every "Get Many" operation offers, as n8n's own nodes name them. */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { invalidInput } from '../transport/errors';

export const returnAllField: INodeProperties = {
	displayName: 'Return All',
	name: 'returnAll',
	type: 'boolean',
	default: false,
	description: 'Whether to return all results or only up to a given limit',
};

/** Shown only while Return All is off; read with `readLimit`. */
export const limitField: INodeProperties = {
	displayName: 'Limit',
	name: 'limit',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: 50,
	description: 'Max number of results to return',
	displayOptions: { show: { returnAll: [false] } },
};

/** Return All, then Limit. */
export const returnAllFields: INodeProperties[] = [returnAllField, limitField];

/** The Limit of an item: a whole number of at least 1; text, 0 or a negative number is refused before any request. */
export function readLimit(ctx: IExecuteFunctions, itemIndex: number): number {
	const raw: unknown = ctx.getNodeParameter('limit', itemIndex, 50);
	const limit =
		typeof raw === 'number'
			? raw
			: typeof raw === 'string' && raw.trim() !== ''
				? Number(raw)
				: NaN;
	if (!Number.isInteger(limit) || limit < 1) {
		throw invalidInput(
			ctx.getNode(),
			`Limit must be a whole number of at least 1 (got ${JSON.stringify(raw) ?? String(raw)})`,
			'Set "Limit" to 1 or more, or turn on "Return All".',
			itemIndex,
		);
	}
	return limit;
}

/** The Limit of an item, or undefined when Return All is on. */
export function readReturnAllOrLimit(
	ctx: IExecuteFunctions,
	itemIndex: number,
): number | undefined {
	const returnAll = ctx.getNodeParameter('returnAll', itemIndex, false) as boolean;
	return returnAll ? undefined : readLimit(ctx, itemIndex);
}
