/** The Delivery ID parameter that Get and Cancel share: the ID Arara Message issued at reservation. */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readRequiredText } from '../../../shared/description/parameters';

/** The parameter; an operation may say what it does with the delivery in its own description. */
export const deliveryIdField: INodeProperties = {
	displayName: 'Delivery ID',
	name: 'deliveryId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 1000123',
	description: 'The ID Arara Message issued when the delivery was reserved',
};

/** The item's Delivery ID; empty, the item fails with `hint` on where to find one. */
export function readDeliveryId(ctx: IExecuteFunctions, itemIndex: number, hint: string): string {
	return readRequiredText(ctx, 'deliveryId', itemIndex, {
		label: 'Delivery ID',
		message: 'The "Delivery ID" is empty',
		hint,
	});
}
