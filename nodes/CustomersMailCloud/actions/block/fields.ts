/** Parameters several Block operations share. */
import type { INodeProperties } from 'n8n-workflow';

/** The one filter the trigger offers too. */
export const emailContainsFilter: INodeProperties = {
	displayName: 'Email Contains',
	name: 'email',
	type: 'string',
	default: '',
	placeholder: 'e.g. example.com',
	description: 'Only addresses that contain this text',
};

export function serverCompositionField(operations: string[], resource = 'block'): INodeProperties {
	return {
		displayName: 'Server Composition',
		name: 'serverComposition',
		type: 'string',
		default: '',
		placeholder: 'e.g. testcomp',
		description:
			"Name of the server composition (sending environment) to act on. Leave empty to use the credential's Default Server Composition.",
		displayOptions: { show: { resource: [resource], operation: operations } },
	};
}

export function filtersField(operations: string[]): INodeProperties {
	return {
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: { show: { resource: ['block'], operation: operations } },
		options: [
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
		],
	};
}
