import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { executeUnblock, unblockProperties } from './unblock';

export const description = updateDisplayOptions(
	{ show: { resource: ['block'], operation: ['cancel'] } },
	unblockProperties,
);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await executeUnblock.call(this, items, 'cancel');
}
