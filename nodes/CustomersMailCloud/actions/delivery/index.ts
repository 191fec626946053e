/** The "Delivery" resource: the delivery records of each mail sent. */
import type { INodeProperties } from 'n8n-workflow';

import type { OperationModule } from '../../../shared/execution/router';
import * as getAll from './getAll.operation';

export const operations: Record<string, OperationModule> = { getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['delivery'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List the delivery records (queued, succeeded, failed, deferred) of one day or several',
				action: 'Get many delivery records',
			},
		],
		default: 'getAll',
	},
	...getAll.description,
];
