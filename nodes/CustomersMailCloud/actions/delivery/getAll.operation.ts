import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { forEachItem } from '../../../shared/execution/items';
import { readReturnAllOrLimit, returnAllFields } from '../../../shared/description/listFields';
import { optionsCollection, readOperationOptions } from '../../../shared/description/options';
import { fetchUpTo } from '../../../shared/transport/paging';
import { readDeliveryQuery } from '../../helpers/deliveryInput';
import {
	apiDataContainsFilter,
	filtersCollection,
	fromContainsFilter,
} from '../../helpers/filters';
import { groupByMail } from '../../helpers/mailHistory';
import { DELIVERY_PAGE_SIZE, deliveriesApi } from '../../transport/deliveries';
import { readServerComposition, serverCompositionField } from '../block/serverComposition';

const properties: INodeProperties[] = [
	serverCompositionField,
	{
		displayName: 'Date',
		name: 'date',
		type: 'dateTime',
		default: '',
		required: true,
		description:
			'The day to list delivery records for (the API searches one day at a time, and not a future day). Add End Date in Filters to cover several days.',
	},
	...returnAllFields,
	filtersCollection([
		apiDataContainsFilter,
		{
			displayName: 'End Date',
			name: 'endDate',
			type: 'dateTime',
			default: '',
			description:
				'Also list the following days up to this one (inclusive), one day after another; at most 31 days',
		},
		fromContainsFilter,
		{
			displayName: 'Hour',
			name: 'hour',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 23 },
			default: 0,
			description: 'Only this hour of each day (0–23)',
		},
		{
			displayName: 'Status',
			name: 'status',
			type: 'options',
			default: 'failed',
			options: [
				{
					name: 'Deferred',
					value: 'deferred',
					description: 'Re-sent after a temporary error from the destination',
				},
				{
					name: 'Failed',
					value: 'failed',
					description: 'Could not be sent to the destination server',
				},
				{ name: 'Queued', value: 'queued', description: 'Received from the relay source server' },
				{
					name: 'Succeeded',
					value: 'succeeded',
					description: 'Handed over to the destination server',
				},
			],
			description: 'Only records with this delivery status',
		},
		{
			displayName: 'To Contains',
			name: 'to',
			type: 'string',
			default: '',
			placeholder: 'e.g. example.com',
			description: 'Only mails whose recipient address contains this text',
		},
	]),
	optionsCollection({
		own: [
			{
				displayName: 'One Item per Mail',
				name: 'oneItemPerMail',
				type: 'boolean',
				default: false,
				description:
					'Whether to group the records of each mail (same Message-ID and recipient) into one item with its latest status and its history. Limit still counts records.',
			},
		],
		withConcurrency: true,
	}),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['delivery'], operation: ['getAll'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await forEachItem(this, items, async (itemIndex) => {
		const serverComposition = await readServerComposition(this, itemIndex);
		const { days, filters } = readDeliveryQuery(this, itemIndex);
		const limit = readReturnAllOrLimit(this, itemIndex);
		const { options, concurrency } = readOperationOptions(this, itemIndex);
		const api = deliveriesApi(this, itemIndex, serverComposition);
		const records: IDataObject[] = [];
		// One day per call: days one after another, each day's pages fetched ahead.
		for (const date of days) {
			const wanted = limit === undefined ? undefined : limit - records.length;
			if (wanted !== undefined && wanted <= 0) break;
			const dayRecords = await fetchUpTo(
				{ limit: wanted, maxPageSize: DELIVERY_PAGE_SIZE, concurrency },
				async (page, pageSize) => await api.listPage({ ...filters, date }, page, pageSize),
			);
			for (const record of dayRecords) records.push(record);
		}
		return options.oneItemPerMail === true ? groupByMail(records) : records;
	});
}
