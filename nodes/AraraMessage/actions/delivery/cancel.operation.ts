import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { DoneInThisExecution, forEachItem } from '../../../shared/execution/items';
import { itemPoolConcurrency, optionsCollection } from '../../../shared/description/options';
import { ANSWERS_NOTHING } from '../../../shared/transport/client';
import { deliveriesApi, normalizeDelivery } from '../../transport/deliveries';
import { deliveryIdField, readDeliveryId } from './deliveryId';

const properties: INodeProperties[] = [
	{
		...deliveryIdField,
		description:
			'The reserved delivery to cancel. Possible until 2 minutes before its send time, while its status is reserved, processing or processed.',
	},
	optionsCollection({ withConcurrency: true }),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['delivery'], operation: ['cancel'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const done = new DoneInThisExecution(this, 'cancel');
	return await forEachItem(
		this,
		items,
		async (itemIndex) => {
			const deliveryId = readDeliveryId(
				this,
				itemIndex,
				'Enter the ID Arara Message issued when the delivery was reserved.',
			);
			const answer = await deliveriesApi(this, itemIndex).cancel(deliveryId, {
				// An earlier try of this execution (Retry On Fail reruns the node) cancelled it already.
				409: done.hasEarlier(deliveryId)
					? ANSWERS_NOTHING
					: {
							message: `Delivery "${deliveryId}" can no longer be cancelled (it is sending or past the 2-minute limit)`,
							description:
								'A delivery can be cancelled only until 2 minutes before its send time, while its status is reserved, processing or processed.',
						},
				// Arara Message answers an unknown or malformed id with 400; its word stays the message.
				400: {
					description: `Check "Delivery ID" ("${deliveryId}"): use the delivery_id a "Send" step or "Get" returned.`,
				},
				404: {
					message: `No delivery with id "${deliveryId}"`,
					description: 'Arara Message has no delivery with this ID. Check the ID.',
				},
			});
			if (answer === undefined)
				return { delivery_id: deliveryId, cancelled: true, alreadyDone: true };
			done.record(deliveryId);
			const cancelled = Array.isArray(answer.items)
				? (answer.items as IDataObject[]).map(normalizeDelivery)
				: [];
			return { delivery_id: deliveryId, cancelled: true, ...(cancelled[0] ?? {}) };
		},
		{
			concurrency: itemPoolConcurrency(this, items.length),
			sideEffect: { done: 'cancelled', idField: 'delivery_id' },
		},
	);
}
