import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { routeOperation } from '../shared/execution/router';
import * as block from './actions/block';
import * as bounce from './actions/bounce';
import * as delivery from './actions/delivery';

export class CustomersMailCloud implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Customers Mail Cloud',
		name: 'customersMailCloud',
		icon: { light: 'file:customersMailCloud.svg', dark: 'file:customersMailCloud.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Check mail deliveries and bounces, and manage blocked addresses (suppression list), in Customers Mail Cloud',
		defaults: { name: 'Customers Mail Cloud' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'customersMailCloudApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Block',
						value: 'block',
						description: 'An address the service stopped delivering to',
					},
					{
						name: 'Bounce',
						value: 'bounce',
						description: 'An address whose mail caused a sending error',
					},
					{
						name: 'Delivery',
						value: 'delivery',
						description: 'The delivery records of the mails sent',
					},
				],
				default: 'block',
			},
			...block.description,
			...bounce.description,
			...delivery.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await routeOperation.call(this, {
			block: block.operations,
			bounce: bounce.operations,
			delivery: delivery.operations,
		});
	}
}
