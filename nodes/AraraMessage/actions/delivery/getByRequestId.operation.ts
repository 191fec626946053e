import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { handleStatuses } from '../../../shared/transport/errors';
import { forEachItem } from '../../../shared/execution/items';
import { itemPoolConcurrency, optionsCollection, readOperationOptions } from '../../../shared/description/options';
import { readRequiredText } from '../../../shared/description/parameters';
import { rephraseError } from '../../../shared/transport/rephrase';
import { getDeliveriesByRequestId } from '../../transport/deliveries';
import { araraProfile } from '../../transport/profile';

const properties: INodeProperties[] = [
	{
		displayName: 'Request ID',
		name: 'requestId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. newsletter202405',
		description: 'The request ID you chose when reserving the delivery (lowercase letters and digits)',
	},
	optionsCollection({ withConcurrency: true }),
];

export const description = updateDisplayOptions({ show: { resource: ['delivery'], operation: ['getByRequestId'] } }, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await forEachItem(
		this,
		items,
		async (itemIndex) => {
			const requestId = readRequiredText(this, 'requestId', itemIndex, {
				label: 'Request ID',
				message: 'The "Request ID" is empty',
				hint: 'Enter the request ID chosen when the delivery was reserved.',
			});
			const { settings } = readOperationOptions(this, itemIndex);
			const answer = await handleStatuses(() => getDeliveriesByRequestId(this, requestId, settings, itemIndex), {
				// The API's own word ("request_id is invalid") stays the message; the description names the field and the fix.
				400: async (error) => {
					throw await rephraseError(
						this,
						araraProfile,
						error,
						{
							message: error instanceof Error && error.message ? error.message : `Request ID "${requestId}" was refused`,
							description: `Check "Request ID" ("${requestId}"): it is 1 to 64 lowercase letters and digits, as chosen when the delivery was reserved.`,
						},
						itemIndex,
					);
				},
			});
			return answer.items;
		},
		{ concurrency: itemPoolConcurrency(this, items.length) },
	);
}
