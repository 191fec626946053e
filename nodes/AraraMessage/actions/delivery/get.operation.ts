import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { handleStatuses } from '../../../shared/transport/errors';
import { forEachItem } from '../../../shared/execution/items';
import { itemPoolConcurrency, optionsCollection, readOperationOptions } from '../../../shared/description/options';
import { rephraseError } from '../../../shared/transport/rephrase';
import { getDeliveryById } from '../../transport/deliveries';
import { araraProfile } from '../../transport/profile';
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

export const description = updateDisplayOptions({ show: { resource: ['delivery'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await forEachItem(
		this,
		items,
		async (itemIndex) => {
			const deliveryId = readDeliveryId(
				this,
				itemIndex,
				'Enter the ID Arara Message issued when the delivery was reserved, e.g. map delivery_id from a "Send" step.',
			);
			const { options, settings } = readOperationOptions(this, itemIndex);
			const answer = await handleStatuses(() => getDeliveryById(this, deliveryId, settings, itemIndex), {
				404: async (error) => {
					if (options.ignoreNotFound === true) return undefined;
					throw await rephraseError(
						this,
						araraProfile,
						error,
						{
							message: `No delivery with id "${deliveryId}"`,
							description:
								'Arara Message has no delivery with this ID. Check the ID, or turn on "Output Nothing If Not Found".',
						},
						itemIndex,
					);
				},
			});
			return answer?.items ?? [];
		},
		{ concurrency: itemPoolConcurrency(this, items.length) },
	);
}
