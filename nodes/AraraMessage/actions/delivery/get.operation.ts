import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { forEachItem } from '../../../shared/execution/items';
import {
	itemPoolConcurrency,
	optionsCollection,
	readOperationOptions,
} from '../../../shared/description/options';
import { ANSWERS_NOTHING } from '../../../shared/transport/client';
import { deliveriesApi } from '../../transport/deliveries';
import { deliveryIdField, readDeliveryId } from './deliveryId';

const properties: INodeProperties[] = [
	deliveryIdField,
	optionsCollection({
		own: [
			{
				displayName: 'Output Nothing If Not Found',
				name: 'ignoreNotFound',
				type: 'boolean',
				default: false,
				description: 'Whether an unknown delivery ID outputs nothing instead of failing the item',
			},
		],
		withConcurrency: true,
	}),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['delivery'], operation: ['get'] } },
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
			const deliveryId = readDeliveryId(
				this,
				itemIndex,
				'Enter the ID Arara Message issued when the delivery was reserved, e.g. map delivery_id from a "Send" step.',
			);
			// Options read once: the client takes the settings rather than reading them again.
			const { options, settings } = readOperationOptions(this, itemIndex);
			const answer = await deliveriesApi(this, { settings, itemIndex }).getById(deliveryId, {
				404:
					options.ignoreNotFound === true
						? ANSWERS_NOTHING
						: {
								message: `No delivery with id "${deliveryId}"`,
								description:
									'Arara Message has no delivery with this ID. Check the ID, or turn on "Output Nothing If Not Found".',
							},
			});
			return answer?.items ?? [];
		},
		{ concurrency: itemPoolConcurrency(this, items.length) },
	);
}
