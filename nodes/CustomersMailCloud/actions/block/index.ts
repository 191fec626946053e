import type { INodeProperties } from 'n8n-workflow';

import type { OperationModules } from '../../../shared/execution/router';
import { operationField } from '../../../shared/execution/router';
import * as cancel from './cancel.operation';
import * as del from './delete.operation';
import * as download from './download.operation';
import * as getAll from './getAll.operation';

const operation = operationField({
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['block'] } },
	options: [
		{
			name: 'Download',
			value: 'download',
			description: 'Download the blocked addresses as a ZIP file, or as one item per address',
			action: 'Download blocked addresses',
		},
		{
			name: 'Get Many',
			value: 'getAll',
			description: 'List blocked addresses, or addresses whose block was lifted',
			action: 'Get many blocked addresses',
		},
		{
			name: 'Unblock Once',
			value: 'cancel',
			description:
				'Lift the block once: the address can be sent to again, but is blocked again if send errors recur',
			action: 'Unblock an address once',
		},
		{
			name: 'Unblock Permanently',
			value: 'delete',
			description:
				'Lift the block for good: the address can be sent to again and is never blocked again, even if send errors recur',
			action: 'Unblock an address permanently',
		},
	],
	default: 'getAll',
});

export const operations = { getAll, download, delete: del, cancel } satisfies OperationModules<
	typeof operation
>;

export const description: INodeProperties[] = [
	operation,
	...getAll.description,
	...download.description,
	...del.description,
	...cancel.description,
];
