/** The "Delivery" resource: its operations and the operation dropdown. */
import type { INodeProperties } from 'n8n-workflow';

import type { OperationModules } from '../../../shared/execution/router';
import { operationField } from '../../../shared/execution/router';
import * as cancel from './cancel.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as getByRequestId from './getByRequestId.operation';
import * as reserve from './reserve.operation';

const operation = operationField({
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['delivery'] } },
	default: 'get',
	options: [
		{
			name: 'Cancel',
			value: 'cancel',
			description: 'Cancel a reserved delivery',
			action: 'Cancel a delivery',
		},
		{
			name: 'Get',
			value: 'get',
			description: 'Get the status of a delivery by its delivery ID',
			action: 'Get a delivery',
		},
		{
			name: 'Get by Request ID',
			value: 'getByRequestId',
			description: 'Get the status of deliveries by the request ID chosen at reservation',
			action: 'Get deliveries by request ID',
		},
		{
			name: 'Get Many',
			value: 'getAll',
			description: 'Get the deliveries reserved in a period',
			action: 'Get many deliveries',
		},
		{
			name: 'Send',
			value: 'reserve',
			description: 'Reserve a delivery: send now or at a given time',
			action: 'Send a delivery',
		},
	],
});

export const operations = {
	get,
	getByRequestId,
	getAll,
	reserve,
	cancel,
} satisfies OperationModules<typeof operation>;

export const description: INodeProperties[] = [
	operation,
	...get.description,
	...getByRequestId.description,
	...getAll.description,
	...reserve.description,
	...cancel.description,
];
