import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { forEachItem } from '../../../shared/items';
import { itemPoolConcurrency, optionsCollection, readOperationOptions } from '../../../shared/options';
import { readRequiredText } from '../../../shared/parameters';
import { getDeliveriesByRequestId } from '../../transport/deliveries';

const showFor = { resource: ['delivery'], operation: ['getByRequestId'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Request ID',
		name: 'requestId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. newsletter202405',
		description: 'The request ID you chose when reserving the delivery (lowercase letters and digits)',
		displayOptions: { show: showFor },
	},
	optionsCollection({ show: showFor, withConcurrency: true }),
];

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await forEachItem(
		this,
		items,
		async (itemIndex) => {
			const requestId = readRequiredText(this, 'requestId', itemIndex, {
				message: 'The "Request ID" is empty',
				hint: 'Enter the request ID chosen when the delivery was reserved.',
			});
			const answer = await getDeliveriesByRequestId(this, requestId, readOperationOptions(this, itemIndex).settings, itemIndex);
			return answer.items;
		},
		itemPoolConcurrency(this, items.length),
	);
}
