/** The "Bounce" resource: addresses whose mail caused a sending error, by error status. */
import type { INodeProperties } from 'n8n-workflow';

import type { OperationModules } from '../../../shared/execution/router';
import { operationField } from '../../../shared/execution/router';
import * as download from './download.operation';
import * as getAll from './getAll.operation';

const operation = operationField({
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['bounce'] } },
	options: [
		{
			name: 'Download',
			value: 'download',
			description: 'Download the bounces as a ZIP file, or as one item per bounce',
			action: 'Download bounces',
		},
		{
			name: 'Get Many',
			value: 'getAll',
			description: 'List addresses whose mail caused a sending error, with the error status',
			action: 'Get many bounces',
		},
	],
	default: 'getAll',
});

export const operations = { getAll, download } satisfies OperationModules<typeof operation>;

export const description: INodeProperties[] = [
	operation,
	...getAll.description,
	...download.description,
];
