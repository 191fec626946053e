/** Dispatching a node's execute() to the module of the chosen resource and operation; the Operation dropdown and the modules kept in step by type. */
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

export interface OperationModule {
	description: INodeProperties[];
	execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]>;
}

/** A resource's Operation dropdown, typed by the values of its options. */
export type OperationField<Operation extends string> = INodeProperties & {
	options: Array<INodePropertyOptions & { value: Operation }>;
	default: Operation;
};

/** Keeps the literal values of a resource's Operation dropdown, so its module table can be checked against them. */
export function operationField<const Operation extends string>(
	field: OperationField<Operation>,
): OperationField<Operation> {
	return field;
}

/**
 * A resource's modules, one per value of its Operation dropdown: used with `satisfies`, a value
 * without a module, or a module without a value, does not compile.
 */
export type OperationModules<Field> =
	Field extends OperationField<infer Operation> ? Record<Operation, OperationModule> : never;

export type OperationTable = Record<string, Record<string, OperationModule>>;

export async function routeOperation(
	this: IExecuteFunctions,
	operations: OperationTable,
): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const module = operations[resource]?.[operation];
	if (!module) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" of "${resource}" is not supported`,
		);
	}
	return [await module.execute.call(this, items)];
}
