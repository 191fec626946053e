/** The Block filters, shared by Get Many and Download, and their reader. */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { filtersCollection, readDateRange, readFilterText, readFiltersCollection } from '../../helpers/filters';
import type { BlockFilters } from '../../transport/blocks';

/** The one filter the trigger offers too. */
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

/** The Filters collection, with dates as yyyy-mm-dd and the start checked against the end. */
export function readFilters(ctx: IExecuteFunctions, itemIndex: number): BlockFilters {
	const raw = readFiltersCollection(ctx, itemIndex);
	const filters: BlockFilters = {};
	const email = readFilterText(ctx, raw, 'email', 'Email Contains', itemIndex, 'one address');
	if (email) filters.email = email;
	Object.assign(filters, readDateRange(ctx, raw, itemIndex));
	if (raw.removed === true || raw.removed === 'true') filters.removed = true;
	return filters;
}
