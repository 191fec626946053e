/** Reading the Bounces filters and turning a bounce into an output item. */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { invalidInput } from '../../shared/transport/errors';
import { refuseListOrObject } from '../../shared/description/parameters';
import type { BounceFilters } from '../transport/bounces';
import { knownStatusText } from './blockStatus';
import { readDateRange } from './input';

function readText(ctx: IExecuteFunctions, raw: IDataObject, name: string, label: string, itemIndex: number): string | undefined {
	refuseListOrObject(ctx, raw[name], label, itemIndex);
	return String(raw[name] ?? '').trim() || undefined;
}

export function readBounceFilters(ctx: IExecuteFunctions, itemIndex: number): BounceFilters {
	const raw = (ctx.getNodeParameter('filters', itemIndex, {}) ?? {}) as IDataObject;
	const filters: BounceFilters = {};
	refuseListOrObject(ctx, raw.status, 'Error Status', itemIndex);
	const status = String(raw.status ?? '').trim();
	if (status) {
		if (!/^\d+$/.test(status)) {
			throw invalidInput(
				ctx.getNode(),
				`Error Status must be a status code (got "${status}")`,
				'Choose an error status from the list, or give its code, e.g. 2 for unknown user.',
				itemIndex,
			);
		}
		filters.status = status;
	}
	Object.assign(filters, readDateRange(ctx, raw, itemIndex));
	filters.from = readText(ctx, raw, 'from', 'From Contains', itemIndex);
	filters.to = readText(ctx, raw, 'to', 'To Contains', itemIndex);
	filters.apiData = readText(ctx, raw, 'apiData', 'API Data Contains', itemIndex);
	return filters;
}

/** A bounce as the API gives it, plus `statusText` (null for a code not in the provider's list). */
export function toBounceItem(bounce: IDataObject): IDataObject {
	return { ...bounce, statusText: knownStatusText(bounce.status) ?? null };
}
