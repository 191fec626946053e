/** Per-item execution with Continue On Fail and pairedItem handled in one place. */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { errorToJson } from './errors';
import { mapWithConcurrency } from './limiter';

/**
 * Runs `work` for every input item (several at once when `concurrency` > 1) and returns the
 * outputs in input order, each paired to its item. With Continue On Fail a failing item becomes
 * an error item and every other item is still processed; without it the first failure (in input
 * order) stops the node.
 */
export async function forEachItem(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	work: (itemIndex: number) => Promise<IDataObject[] | IDataObject>,
	concurrency = 1,
): Promise<INodeExecutionData[]> {
	const continueOnFail = ctx.continueOnFail();
	let firstFailure: { index: number; error: unknown } | undefined;
	const outputs = await mapWithConcurrency(items, concurrency, async (_item, itemIndex) => {
		if (firstFailure && !continueOnFail) return [];
		try {
			const result = await work(itemIndex);
			return (Array.isArray(result) ? result : [result]).map((json) => ({ json, pairedItem: { item: itemIndex } }));
		} catch (error) {
			if (!continueOnFail) {
				if (!firstFailure || itemIndex < firstFailure.index) firstFailure = { index: itemIndex, error };
				return [];
			}
			return [{ json: errorToJson(error), pairedItem: { item: itemIndex } }];
		}
	});
	if (firstFailure) throw firstFailure.error;
	return outputs.flat();
}

/** The error item Continue On Fail emits for one input item. */
export function errorItem(error: unknown, itemIndex: number): INodeExecutionData {
	return { json: errorToJson(error), pairedItem: { item: itemIndex } };
}
