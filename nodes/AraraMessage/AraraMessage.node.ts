import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { routeOperation } from '../shared/execution/router';
import * as delivery from './actions/delivery';
import * as errorFilter from './actions/errorFilter';

export class AraraMessage implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Arara Message',
		name: 'araraMessage',
		icon: { light: 'file:araraMessage.svg', dark: 'file:araraMessage.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Reserve, cancel and check e-mail deliveries, and look up the error filter, with Arara Message',
		defaults: { name: 'Arara Message' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'araraMessageOAuth2Api', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Delivery', value: 'delivery' },
					{
						name: 'Error Filter',
						value: 'errorFilter',
						description:
							'Addresses the service holds back after delivery errors, with their error counts',
					},
				],
				default: 'delivery',
			},
			...delivery.description,
			...errorFilter.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await routeOperation.call(this, {
			delivery: delivery.operations,
			errorFilter: errorFilter.operations,
		});
	}
}
