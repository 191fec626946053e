/** The Filters collection the Customers Mail Cloud operations share, its common filters and their readers. */
import type { IDataObject, IExecuteFunctions, INode, INodeProperties } from 'n8n-workflow';

import { refuseListOrObject } from '../../shared/description/parameters';
import { toApiDate } from '../../shared/dateTime';
import { invalidInput } from '../../shared/transport/errors';

/** The Filters collection of an operation, with its filters in the order shown. */
export function filtersCollection(options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options,
	};
}

/** The filters a mail list (bounces, delivery records) offers alike; each resource says what To matches. */
export const apiDataContainsFilter: INodeProperties = {
	displayName: 'API Data Contains',
	name: 'apiData',
	type: 'string',
	default: '',
	description: 'Only mails whose X-Api-Data header contains this text (the value set when sending)',
};

export const fromContainsFilter: INodeProperties = {
	displayName: 'From Contains',
	name: 'from',
	type: 'string',
	default: '',
	placeholder: 'e.g. info@example.com',
	description: 'Only mails whose From address contains this text',
};

/** The Filters collection as given: what the readers below take apart. */
export function readFiltersCollection(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	return (ctx.getNodeParameter('filters', itemIndex, {}) ?? {}) as IDataObject;
}

/** A date-picker value as yyyy-mm-dd; undefined when empty; a list or an invalid date is refused naming the field. */
export function readDate(
	ctx: IExecuteFunctions,
	value: unknown,
	label: string,
	itemIndex: number,
): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	// A Date or a Luxon DateTime is one day; a list is not.
	if (Array.isArray(value)) refuseListOrObject(ctx, value, label, itemIndex, 'one day');
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

/** Start Date and End Date of a Filters collection, the start checked against the end. */
export function readDateRange(
	ctx: IExecuteFunctions,
	filters: IDataObject,
	itemIndex: number,
): { startDate?: string; endDate?: string } {
	const startDate = readDate(ctx, filters.startDate, 'Start Date', itemIndex);
	const endDate = readDate(ctx, filters.endDate, 'End Date', itemIndex);
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

/** A text filter of a Filters collection, trimmed; undefined when empty; a list or an object is refused. */
export function readFilterText(
	ctx: { getNode(): INode },
	filters: IDataObject,
	name: string,
	label: string,
	itemIndex: number | undefined,
	expected?: string,
): string | undefined {
	refuseListOrObject(ctx, filters[name], label, itemIndex, expected);
	return String(filters[name] ?? '').trim() || undefined;
}

/** From Contains, To Contains and API Data Contains of a mail list. */
export function readMailTextFilters(
	ctx: IExecuteFunctions,
	filters: IDataObject,
	itemIndex: number,
): { from?: string; to?: string; apiData?: string } {
	return {
		from: readFilterText(ctx, filters, 'from', 'From Contains', itemIndex),
		to: readFilterText(ctx, filters, 'to', 'To Contains', itemIndex),
		apiData: readFilterText(ctx, filters, 'apiData', 'API Data Contains', itemIndex),
	};
}
