/** The Bounces filters, shared by Get Many and Download, and their reader. */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { invalidInput } from '../../../shared/transport/errors';
import { refuseListOrObject } from '../../../shared/description/parameters';
import { ERROR_STATUS_NAMES } from '../../helpers/blockStatus';
import {
	apiDataContainsFilter,
	filtersCollection,
	fromContainsFilter,
	readDateRange,
	readFiltersCollection,
	readMailTextFilters,
} from '../../helpers/filters';
import type { BounceFilters } from '../../transport/bounces';

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export const bounceFiltersField: INodeProperties = filtersCollection([
	apiDataContainsFilter,
	{
		displayName: 'End Date',
		name: 'endDate',
		type: 'dateTime',
		default: '',
		description: 'Only bounces on this day or earlier',
	},
	{
		displayName: 'Error Status',
		name: 'status',
		type: 'options',
		default: '2',
		options: ERROR_STATUS_NAMES.map(([code, name]) => ({
			name: `${capitalized(name)} (${code})`,
			value: code,
		})).sort((a, b) => a.name.localeCompare(b.name)),
		description: 'Only bounces filed under this error status',
	},
	fromContainsFilter,
	{
		displayName: 'Start Date',
		name: 'startDate',
		type: 'dateTime',
		default: '',
		description: 'Only bounces on this day or later',
	},
	{
		displayName: 'To Contains',
		name: 'to',
		type: 'string',
		default: '',
		placeholder: 'e.g. example.com',
		description: 'Only bounces of recipient addresses that contain this text',
	},
]);

export function readBounceFilters(ctx: IExecuteFunctions, itemIndex: number): BounceFilters {
	const raw = readFiltersCollection(ctx, itemIndex);
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
	return {
		...filters,
		...readDateRange(ctx, raw, itemIndex),
		...readMailTextFilters(ctx, raw, itemIndex),
	};
}
