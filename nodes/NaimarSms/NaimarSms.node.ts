import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { routeOperation } from '../shared/execution/router';
import * as deliveryReport from './actions/deliveryReport';

export class NaimarSms implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Naimar SMS',
		name: 'naimarSms',
		icon: { light: 'file:naimarSms.svg', dark: 'file:naimarSms.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Check whether SMS sent through the Naimar SMS gateway were delivered',
		defaults: { name: 'Naimar SMS' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'naimarSmsApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Delivery Report', value: 'deliveryReport' }],
				default: 'deliveryReport',
			},
			...deliveryReport.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await routeOperation.call(this, { deliveryReport: deliveryReport.operations });
	}
}
