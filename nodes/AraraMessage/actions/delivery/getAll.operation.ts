import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { invalidInput } from '../../../shared/transport/errors';
import { forEachItem } from '../../../shared/execution/items';
import {
	limitField,
	readReturnAllOrLimit,
	returnAllField,
} from '../../../shared/description/listFields';
import { optionsCollection, readOperationOptions } from '../../../shared/description/options';
import { parseDateTime } from '../../../shared/dateTime';
import { ceilToMinute, floorToMinute } from '../../helpers/japanTime';
import { collectPeriod, describeOverflow } from '../../helpers/period';
import { DELIVERY_STATUS_OPTIONS, readStatusFilter } from './statusOptions';

const properties: INodeProperties[] = [
	{
		displayName: 'Time Min',
		name: 'timeMin',
		type: 'dateTime',
		required: true,
		default: '',
		description:
			'Start of the period in which the deliveries were reserved (included). Sent to Arara Message in Japan time, to the minute.',
	},
	{
		displayName: 'Time Max',
		name: 'timeMax',
		type: 'dateTime',
		required: true,
		default: '',
		description: 'End of the period (excluded), to the minute',
	},
	{
		...returnAllField,
		hint: 'All means all, even past the 4,000 deliveries Arara Message returns per query: the node splits the period as needed',
	},
	limitField,
	{
		displayName: 'Status',
		name: 'status',
		type: 'multiOptions',
		options: DELIVERY_STATUS_OPTIONS,
		default: [],
		description: 'Only deliveries with one of these statuses. Leave empty for every status.',
	},
	optionsCollection({ withConcurrency: true }),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['delivery'], operation: ['getAll'] } },
	properties,
);

function readPeriodEdge(
	ctx: IExecuteFunctions,
	name: 'timeMin' | 'timeMax',
	itemIndex: number,
): number {
	const value = ctx.getNodeParameter(name, itemIndex, '');
	const ms = parseDateTime(value, ctx.getTimezone());
	if (ms === undefined) {
		const label = name === 'timeMin' ? 'Time Min' : 'Time Max';
		throw invalidInput(
			ctx.getNode(),
			`"${label}" is not a date and time`,
			`Pick a date and time for "${label}", or give an ISO 8601 value such as 2024-05-01T09:00:00+09:00.`,
			itemIndex,
		);
	}
	return ms;
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	// Each item is one period; its windows are fetched in parallel, so items run one after another.
	return await forEachItem(this, items, async (itemIndex) => {
		const fromMs = floorToMinute(readPeriodEdge(this, 'timeMin', itemIndex));
		const toMs = ceilToMinute(readPeriodEdge(this, 'timeMax', itemIndex));
		if (toMs <= fromMs) {
			throw invalidInput(
				this.getNode(),
				'"Time Max" must be later than "Time Min"',
				'The period runs from Time Min (included) to Time Max (excluded), to the minute. Swap them or widen the period.',
				itemIndex,
			);
		}
		const limit = readReturnAllOrLimit(this, itemIndex);
		const statuses = readStatusFilter(this.getNodeParameter('status', itemIndex, []));
		const { settings, concurrency } = readOperationOptions(this, itemIndex);
		const result = await collectPeriod(this, {
			fromMs,
			toMs,
			settings,
			concurrency,
			limit,
			itemIndex,
			keep: statuses.size
				? (delivery: IDataObject) => statuses.has(String(delivery.status))
				: undefined,
		});
		if (result.overflows.length) {
			this.addExecutionHints(
				...result.overflows.map((overflow) => ({
					message: describeOverflow(overflow),
					type: 'warning' as const,
					location: 'outputPane' as const,
				})),
			);
		}
		return result.deliveries;
	});
}
