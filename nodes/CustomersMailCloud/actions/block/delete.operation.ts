import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { executeUnblock, unblockDescription } from './unblock';

export const description: INodeProperties[] = unblockDescription('delete');

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await executeUnblock.call(this, items, 'delete');
}
