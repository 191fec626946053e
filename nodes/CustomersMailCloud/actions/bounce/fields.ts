/** The Bounces filters, shared by Get Many and Download. */
import type { INodeProperties } from 'n8n-workflow';

import { ERROR_STATUS_NAMES } from '../../helpers/blockStatus';

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export function bounceFiltersField(operations: string[]): INodeProperties {
	return {
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: { show: { resource: ['bounce'], operation: operations } },
		options: [
			{
				displayName: 'API Data Contains',
				name: 'apiData',
				type: 'string',
				default: '',
				description: 'Only mails whose X-Api-Data header contains this text (the value set when sending)',
			},
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
				options: ERROR_STATUS_NAMES.map(([code, name]) => ({ name: `${capitalized(name)} (${code})`, value: code })).sort(
					(a, b) => a.name.localeCompare(b.name),
				),
				description: 'Only bounces filed under this error status',
			},
			{
				displayName: 'From Contains',
				name: 'from',
				type: 'string',
				default: '',
				placeholder: 'e.g. info@example.com',
				description: 'Only mails whose From address contains this text',
			},
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
		],
	};
}
