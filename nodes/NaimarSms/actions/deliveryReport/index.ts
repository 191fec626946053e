import type { INodeProperties } from 'n8n-workflow';

import type { OperationModule } from '../../../shared/execution/router';
import * as get from './get.operation';

export const operations: Record<string, OperationModule> = { get };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['deliveryReport'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Get the delivery status of sent SMS messages by their IDs',
				action: 'Get delivery reports',
			},
		],
		default: 'get',
	},
	...get.description,
];
