/**
 * Work batched across items (ids or addresses of many items in one request, deliveries packed
 * into few requests), with the Continue On Fail and error-output rules of `forEachItem`:
 * every item is read and checked before the first request; a bad item becomes an error item,
 * or stops the node before anything is sent; batches go out a few at a time; without Continue
 * On Fail no batch is sent after one has failed, and the node throws the failure of the first
 * input item (in input order) a failed batch served; otherwise each item it served gets the error.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { mapWithConcurrency } from '../transport/limiter';
import { errorItem } from './items';

export interface Batch {
	/** The input items the batch serves, in input order. */
	readonly items: readonly number[];
}

export interface Sent<B, R> {
	batch: B;
	result: R;
}

/**
 * Each input item's read, by item index; `undefined` for an item whose read failed (or was
 * rejected). An array, not a map: over tens of thousands of items the map was a cost of its own.
 */
export type ItemReads<Read> = ReadonlyArray<Read | undefined>;

// `Read` is never undefined: undefined marks an item without a read.
export interface BatchedWork<Read extends object, B extends Batch, R> {
	/** Reads and checks one item's input; throws when it is bad (before any request). */
	read(itemIndex: number): Promise<Read> | Read;
	/** Packs the good items into batches; `reject` fails an item that cannot go out (e.g. too big together). */
	pack(
		reads: ItemReads<Read>,
		reject: (itemIndex: number, error: unknown) => void,
	): Promise<B[]> | B[];
	send(batch: B): Promise<R>;
	/** Batches in flight at once. */
	concurrency: number;
	/** Runs once every batch has been sent and none failed the node, e.g. to ask again for what is pending. */
	afterSend?(): Promise<void>;
	/** The outputs of one good item from the batches that served it; may throw to fail the item alone. */
	output(
		itemIndex: number,
		read: Read,
		sent: ReadonlyArray<Sent<B, R>>,
	): Promise<INodeExecutionData[]> | INodeExecutionData[];
	/** When the node stops, the error may say what the batches sent before it already changed. */
	changedAnyway?(error: unknown, sent: ReadonlyArray<Sent<B, R>>): unknown;
}

export async function runBatched<Read extends object, B extends Batch, R>(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	work: BatchedWork<Read, B, R>,
): Promise<INodeExecutionData[]> {
	const continueOnFail = ctx.continueOnFail();
	const failures = new Map<number, unknown>();
	const fail = (itemIndex: number, error: unknown) => {
		if (!continueOnFail) throw error;
		if (!failures.has(itemIndex)) failures.set(itemIndex, error);
	};

	const reads: Array<Read | undefined> = new Array<Read | undefined>(items.length);
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			// Reading is mostly synchronous: only a promise is awaited (10,000 awaits of plain values
			// would each cost a trip through the microtask queue).
			const read = work.read(itemIndex);
			reads[itemIndex] = read instanceof Promise ? await read : read;
		} catch (error) {
			fail(itemIndex, error);
		}
	}
	const batches = await work.pack(reads, (itemIndex, error) => {
		reads[itemIndex] = undefined;
		fail(itemIndex, error);
	});

	let stopped = false;
	const outcomes = await mapWithConcurrency(batches, work.concurrency, async (batch) => {
		if (stopped) return undefined;
		try {
			return { result: await work.send(batch) };
		} catch (error) {
			if (!continueOnFail) stopped = true;
			return { error };
		}
	});
	const sent: Array<Sent<B, R>> = [];
	// Per input item, the batches that served it. Most items are in one batch: they share that
	// batch's one-entry list (tens of thousands of items, not tens of thousands of arrays).
	const sentFor: Array<ReadonlyArray<Sent<B, R>> | undefined> = new Array(items.length);
	batches.forEach((batch, index) => {
		const outcome = outcomes[index];
		if (!outcome) return;
		if ('error' in outcome) {
			for (const itemIndex of batch.items)
				if (!failures.has(itemIndex)) failures.set(itemIndex, outcome.error);
			return;
		}
		const entry = { batch, result: outcome.result };
		const onlyThis = [entry];
		sent.push(entry);
		for (const itemIndex of batch.items) {
			const earlier = sentFor[itemIndex];
			sentFor[itemIndex] = earlier ? [...earlier, entry] : onlyThis;
		}
	});
	if (!continueOnFail && failures.size) {
		const error = failures.get(Math.min(...failures.keys()));
		throw work.changedAnyway ? work.changedAnyway(error, sent) : error;
	}
	await work.afterSend?.();

	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		// One map lookup per item when nothing failed (the usual case, over tens of thousands of items).
		if (failures.size && failures.has(itemIndex)) {
			output.push(errorItem(ctx, failures.get(itemIndex), itemIndex));
			continue;
		}
		const read = reads[itemIndex];
		if (read === undefined) continue;
		// Already an error of the item's own (the transport's or a check's): kept as it is.
		let outputFailure: { error: unknown } | undefined;
		try {
			const outputs = work.output(itemIndex, read, sentFor[itemIndex] ?? []);
			for (const out of outputs instanceof Promise ? await outputs : outputs) output.push(out);
		} catch (error) {
			outputFailure = { error };
		}
		if (!outputFailure) continue;
		if (!continueOnFail) throw outputFailure.error;
		output.push(errorItem(ctx, outputFailure.error, itemIndex));
	}
	return output;
}
