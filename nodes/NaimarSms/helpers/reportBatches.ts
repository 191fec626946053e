/**
 * Asking for many ids at once: unique ids in batches, a few batches in flight, answers joined to
 * ids (never to positions: the gateway answers out of order and may add ids nobody asked for).
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import { settleWithConcurrency } from '../../shared/transport/limiter';
import type { TransportSettings } from '../../shared/transport/request';
import type { DeliveryAnswer } from '../transport/deliveryApi';
import { deliveryReportsApi } from '../transport/deliveryApi';

export interface BatchPlan {
	batchSize: number;
	concurrency: number;
	settings: TransportSettings;
	/** The first input item that asked for an id, so a batch's error names an item. */
	firstItemOf: (id: string) => number | undefined;
}

export interface ReportBook {
	/** The latest answer per id; an id without an entry got none. */
	answers: Map<string, DeliveryAnswer>;
	/** The error of the batch each failed id was in. */
	failures: Map<string, unknown>;
}

export function chunk<T>(values: readonly T[], size: number): T[][] {
	const chunks: T[][] = [];
	for (let start = 0; start < values.length; start += size)
		chunks.push(values.slice(start, start + size));
	return chunks;
}

/**
 * Asks for one batch: the request's errors name `firstItem`, else the first input item that asked
 * for one of its ids.
 */
export async function askBatch(
	ctx: IExecuteFunctions,
	plan: BatchPlan,
	batch: readonly string[],
	firstItem?: number,
): Promise<DeliveryAnswer[]> {
	let itemIndex = firstItem ?? Infinity;
	if (firstItem === undefined)
		for (const id of batch) itemIndex = Math.min(itemIndex, plan.firstItemOf(id) ?? 0);
	return await deliveryReportsApi(ctx, { settings: plan.settings, itemIndex }).fetch(batch);
}

/** Records a batch's answers; an id nobody asked for in this batch is ignored. */
export function recordAnswers(
	book: ReportBook,
	batch: readonly string[],
	answers: readonly DeliveryAnswer[],
): void {
	const asked = new Set(batch);
	for (const answer of answers) if (asked.has(answer.id)) book.answers.set(answer.id, answer);
}

/**
 * Asks for `ids` and records the outcome in `book`. Later answers replace earlier ones (for
 * re-asking waiting ids); an id missing from a later answer keeps its earlier one.
 */
export async function askInBatches(
	ctx: IExecuteFunctions,
	plan: BatchPlan,
	ids: readonly string[],
	book: ReportBook,
): Promise<void> {
	const batches = chunk(ids, plan.batchSize);
	const outcomes = await settleWithConcurrency(
		batches,
		plan.concurrency,
		async (batch) => await askBatch(ctx, plan, batch),
	);
	outcomes.forEach((outcome, index) => {
		const batch = batches[index];
		if (outcome.status === 'rejected') {
			for (const id of batch) book.failures.set(id, outcome.reason);
			return;
		}
		recordAnswers(book, batch, outcome.value);
	});
}
