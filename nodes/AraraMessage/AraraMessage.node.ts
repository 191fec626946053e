import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { routeOperation } from '../shared/router';
import * as delivery from './actions/delivery';

export class AraraMessage implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Arara Message',
		name: 'araraMessage',
		icon: { light: 'file:araraMessage.svg', dark: 'file:araraMessage.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Reserve, cancel and check e-mail deliveries with Arara Message',
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
				options: [{ name: 'Delivery', value: 'delivery' }],
				default: 'delivery',
			},
			...delivery.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await routeOperation.call(this, { delivery: delivery.operations });
	}
}
