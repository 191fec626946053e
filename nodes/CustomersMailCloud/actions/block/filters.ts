/** The Block filters, shared by Get Many and Download, and their reader. */
import type { IDataObject, IExecuteFunctions, INode, INodeProperties } from 'n8n-workflow';

import {
	filtersCollection,
	readDateRange,
	readFilterText,
	readFiltersCollection,
} from '../../helpers/filters';
import type { BlockFilters } from '../../transport/blocks';

/** The one filter the trigger offers too; read with `readEmailContains`. */
export const emailContainsFilter: INodeProperties = {
	displayName: 'Email Contains',
	name: 'email',
	type: 'string',
	default: '',
	placeholder: 'e.g. example.com',
	description: 'Only addresses that contain this text',
};

export const blockFiltersField: INodeProperties = filtersCollection([
	emailContainsFilter,
	{
		displayName: 'End Date',
		name: 'endDate',
		type: 'dateTime',
		default: '',
		description: 'Only blocks that started on this day or earlier',
	},
	{
		displayName: 'Removed Blocks Only',
		name: 'removed',
		type: 'boolean',
		default: false,
		description: 'Whether to list addresses whose block was lifted instead of blocked ones',
	},
	{
		displayName: 'Start Date',
		name: 'startDate',
		type: 'dateTime',
		default: '',
		description: 'Only blocks that started on this day or later',
	},
]);

/** Email Contains of a Filters collection (an operation's item, or the trigger's when `itemIndex` is undefined). */
export function readEmailContains(
	ctx: { getNode(): INode },
	filters: IDataObject,
	itemIndex?: number,
): string | undefined {
	return readFilterText(ctx, filters, 'email', 'Email Contains', itemIndex, 'one address');
}

/** The Filters collection, with dates as yyyy-mm-dd and the start checked against the end. */
export function readFilters(ctx: IExecuteFunctions, itemIndex: number): BlockFilters {
	const raw = readFiltersCollection(ctx, itemIndex);
	const filters: BlockFilters = {};
	const email = readEmailContains(ctx, raw, itemIndex);
	if (email) filters.email = email;
	Object.assign(filters, readDateRange(ctx, raw, itemIndex));
	if (raw.removed === true || raw.removed === 'true') filters.removed = true;
	return filters;
}
