/** Per-item execution with Continue On Fail, the error output and pairedItem handled in one place. */
import { createHash } from 'node:crypto';

import type {
	IBinaryKeyData,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
} from 'n8n-workflow';

import { errorToJson } from '../transport/errors';
import { mapWithConcurrency } from '../transport/limiter';

/**
 * The item a failed input item becomes when the node continues on fail, paired to its input.
 * Regular output: the flat json of `errorToJson` (error, description, httpCode, code, field).
 * Error output: n8n moves an item there only when `item.error` is set or its json is exactly
 * {error} or {error, message}, and it replaces the json of every item with `item.error` by
 * {error: message}. So the same fields go under `error` instead: {error: {message, description,
 * httpCode, code, field}}, which n8n routes and leaves whole (merged into the input item's json).
 */
export function errorItem(
	ctx: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
): INodeExecutionData {
	const { error: message, ...details } = errorToJson(error);
	const json: IDataObject =
		ctx.getNode().onError === 'continueErrorOutput'
			? { error: { message, ...details } }
			: { error: message, ...details };
	return { json, pairedItem: { item: itemIndex } };
}

/** What an operation changes at the provider, to say which items were changed when the node stops. */
export interface SideEffect {
	/** Past participle, e.g. "cancelled", "unblocked". */
	done: string;
	/** The id a successful item's json carries, shown in the error (e.g. "delivery_id"). */
	idField?: string;
}

/** An output item that carries binary data besides its json (a downloaded file). */
export class WithBinary {
	constructor(
		readonly json: IDataObject,
		readonly binary: IBinaryKeyData,
	) {}
}

/** What one item's work outputs: json objects, or items with binary data. */
export type ItemOutput = IDataObject | WithBinary;

/** The output items of one input item, each paired to it. */
export function pairedOutputs(
	result: ItemOutput[] | ItemOutput,
	itemIndex: number,
): INodeExecutionData[] {
	return (Array.isArray(result) ? result : [result]).map((output) =>
		output instanceof WithBinary
			? { json: output.json, binary: output.binary, pairedItem: { item: itemIndex } }
			: { json: output, pairedItem: { item: itemIndex } },
	);
}

export interface ForEachItemOptions {
	/** Items in flight at once (default 1). */
	concurrency?: number;
	/** Set for operations that change something: a stop then names the items already changed. */
	sideEffect?: SideEffect;
}

/**
 * Runs `work` for every input item (several at once when `concurrency` > 1) and returns the
 * outputs in input order, each paired to its item. With Continue On Fail a failing item becomes
 * an error item and every other item is still processed; without it the first failure (in input
 * order) stops the node.
 */
export async function forEachItem(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	work: (itemIndex: number) => Promise<ItemOutput[] | ItemOutput>,
	{ concurrency = 1, sideEffect }: ForEachItemOptions = {},
): Promise<INodeExecutionData[]> {
	const continueOnFail = ctx.continueOnFail();
	let firstFailure: { index: number; error: unknown } | undefined;
	const outputs = await mapWithConcurrency(items, concurrency, async (_item, itemIndex) => {
		if (firstFailure && !continueOnFail) return [];
		try {
			return pairedOutputs(await work(itemIndex), itemIndex);
		} catch (error) {
			if (!continueOnFail) {
				if (!firstFailure || itemIndex < firstFailure.index)
					firstFailure = { index: itemIndex, error };
				return [];
			}
			return [errorItem(ctx, error, itemIndex)];
		}
	});
	if (firstFailure) {
		if (!sideEffect) throw firstFailure.error;
		const changed = outputs.flat();
		throw noteChangedAnyway(firstFailure.error, {
			done: sideEffect.done,
			noun: ['item', 'items'],
			changes: changed.length,
			items: changed.map((item) => (item.pairedItem as { item: number }).item),
			ids: sideEffect.idField ? changed.map((item) => item.json[sideEffect.idField!]) : [],
			idField: sideEffect.idField,
			advice: 'Running them again in this execution (Retry On Fail) reports them as already done.',
		});
	}
	return outputs.flat();
}

export interface ChangedAnyway {
	done: string;
	/** Singular and plural of what was changed, e.g. ["delivery", "deliveries"]. */
	noun: [string, string];
	/** How many were changed. */
	changes: number;
	/** Input items they cover. */
	items: number[];
	ids: unknown[];
	idField?: string;
	advice: string;
}

/**
 * Items run side by side: when one fails and the node stops, others may already have changed
 * something at the provider. The error's description then says which input items did, so a
 * user does not blindly run them again.
 */
export function noteChangedAnyway(error: unknown, changed: ChangedAnyway): unknown {
	if (!changed.changes || !(error instanceof Error)) return error;
	const ids = changed.ids.filter((id) => id !== undefined && id !== null && id !== '').map(String);
	const shown =
		ids.slice(0, 20).join(', ') + (ids.length > 20 ? ` and ${ids.length - 20} more` : '');
	const [one, many] = changed.noun;
	const note =
		`${changed.changes === 1 ? `1 ${one} of this execution was` : `${changed.changes} ${many} of this execution were`} ${changed.done} anyway` +
		` (input items ${itemRanges(changed.items)}${ids.length ? `; ${changed.idField ?? 'id'} ${shown}` : ''}). ${changed.advice}`;
	const withDescription = error as Error & { description?: string | null };
	withDescription.description = withDescription.description
		? `${withDescription.description} ${note}`
		: note;
	return error;
}

/** 0, 1, 2, 5, 7, 8 → "0–2, 5, 7–8" (item numbers as n8n counts them, from 0). */
export function itemRanges(indexes: number[]): string {
	const sorted = [...new Set(indexes)].sort((a, b) => a - b);
	const parts: string[] = [];
	for (let start = 0; start < sorted.length; ) {
		let end = start;
		while (end + 1 < sorted.length && sorted[end + 1] === sorted[end] + 1) end++;
		parts.push(end > start ? `${sorted[start]}–${sorted[end]}` : String(sorted[start]));
		start = end + 1;
	}
	return parts.join(', ');
}

/**
 * A per-execution record of what this node changed at the provider. n8n's Retry On Fail reruns
 * the whole node in the same execution: an operation that meets "already done" (409, not found)
 * for a target an earlier try of this execution changed did it itself, and says so instead of
 * failing. Within one try, a second item for the same target still gets the provider's answer.
 */
export class DoneInThisExecution {
	private readonly done: Record<string, number>;

	private readonly currentTry: number;

	constructor(ctx: IExecuteFunctions, kind: string) {
		const context = ctx.getContext('node');
		const triesKey = `tries:${kind}`;
		this.currentTry =
			(typeof context[triesKey] === 'number' ? (context[triesKey] as number) : 0) + 1;
		context[triesKey] = this.currentTry;
		const doneKey = `done:${kind}`;
		context[doneKey] ??= {};
		this.done = context[doneKey] as Record<string, number>;
	}

	record(target: string): void {
		this.done[keyOf(target)] ??= this.currentTry;
	}

	/** Whether an earlier try (not this one) changed the target. */
	hasEarlier(target: string): boolean {
		const doneIn = this.done[keyOf(target)];
		return doneIn !== undefined && doneIn < this.currentTry;
	}
}

/** Targets (addresses, ids) are kept as short hashes: the record is saved with the execution. */
function keyOf(target: string): string {
	return createHash('sha256').update(target).digest('hex').slice(0, 24);
}
