/** The "Error Filter" resource: the service's suppression list of addresses that caused errors. */
import type { INodeProperties } from 'n8n-workflow';

import type { OperationModules } from '../../../shared/execution/router';
import { operationField } from '../../../shared/execution/router';
import * as lookup from './lookup.operation';

const operation = operationField({
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['errorFilter'] } },
	default: 'lookup',
	options: [
		{
			name: 'Look Up',
			value: 'lookup',
			description: 'Check whether addresses are in the error filter, and their error counts',
			action: 'Look up addresses in the error filter',
		},
	],
});

export const operations = { lookup } satisfies OperationModules<typeof operation>;

export const description: INodeProperties[] = [operation, ...lookup.description];
