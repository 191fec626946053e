import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { forEachItem } from '../../../shared/execution/items';
import { itemPoolConcurrency, optionsCollection } from '../../../shared/description/options';
import { readRequiredText } from '../../../shared/description/parameters';
import { deliveriesApi } from '../../transport/deliveries';

const properties: INodeProperties[] = [
	{
		displayName: 'Request ID',
		name: 'requestId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. newsletter202405',
		description:
			'The request ID you chose when reserving the delivery (lowercase letters and digits)',
	},
	optionsCollection({ withConcurrency: true }),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['delivery'], operation: ['getByRequestId'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await forEachItem(
		this,
		items,
		async (itemIndex) => {
			const requestId = readRequiredText(this, 'requestId', itemIndex, {
				label: 'Request ID',
				message: 'The "Request ID" is empty',
				hint: 'Enter the request ID chosen when the delivery was reserved.',
			});
			const answer = await deliveriesApi(this, itemIndex).getByRequestId(requestId, {
				// The API's own word ("request_id is invalid") stays the message; the description names the field and the fix.
				400: {
					description: `Check "Request ID" ("${requestId}"): it is 1 to 64 lowercase letters and digits, as chosen when the delivery was reserved.`,
				},
			});
			return answer.items;
		},
		{ concurrency: itemPoolConcurrency(this, items.length) },
	);
}
