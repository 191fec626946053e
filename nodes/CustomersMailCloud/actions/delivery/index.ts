/** The "Delivery" resource: the delivery records of each mail sent. */
import type { INodeProperties } from 'n8n-workflow';

import type { OperationModules } from '../../../shared/execution/router';
import { operationField } from '../../../shared/execution/router';
import * as getAll from './getAll.operation';

const operation = operationField({
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['delivery'] } },
	options: [
		{
			name: 'Get Many',
			value: 'getAll',
			description:
				'List the delivery records (queued, succeeded, failed, deferred) of one day or several',
			action: 'Get many delivery records',
		},
	],
	default: 'getAll',
});

export const operations = { getAll } satisfies OperationModules<typeof operation>;

export const description: INodeProperties[] = [operation, ...getAll.description];
