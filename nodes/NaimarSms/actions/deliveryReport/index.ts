import type { INodeProperties } from 'n8n-workflow';

import type { OperationModules } from '../../../shared/execution/router';
import { operationField } from '../../../shared/execution/router';
import * as get from './get.operation';

const operation = operationField({
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
});

export const operations = { get } satisfies OperationModules<typeof operation>;

export const description: INodeProperties[] = [operation, ...get.description];
