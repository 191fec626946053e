/**
 * Values that many input items ask about (message ids, addresses), each asked once: the unique
 * values in batches, each batch naming the input items it serves. Built for tens of thousands of
 * items: one map lookup per value, no array per value unless several items ask for it.
 */

export interface UniqueBatch<V> {
	/** The input items that asked for one of `values`, in input order. */
	items: number[];
	/** Each value once, in the order first asked, spelled as first asked. */
	values: V[];
}

export interface UniqueValues<V> {
	batches: Array<UniqueBatch<V>>;
	/** The first input item that asked for the value with this key. */
	firstItemOf(key: string): number | undefined;
}

/**
 * `reads` by input item (`undefined`: the item asks for nothing); `keyOf` says when two values are
 * the same one (e.g. case-insensitively).
 */
export function uniqueBatches<V>(
	reads: ReadonlyArray<readonly V[] | undefined>,
	batchSize: number,
	keyOf: (value: V) => string,
): UniqueValues<V> {
	const positionOf = new Map<string, number>();
	const unique: V[] = [];
	// Per unique value: the one item that asked for it, or the items that did.
	const askers: Array<number | number[]> = [];
	for (let itemIndex = 0; itemIndex < reads.length; itemIndex++) {
		const values = reads[itemIndex];
		if (values === undefined) continue;
		for (const value of values) {
			const key = keyOf(value);
			const position = positionOf.get(key);
			if (position === undefined) {
				positionOf.set(key, unique.length);
				unique.push(value);
				askers.push(itemIndex);
				continue;
			}
			const asking = askers[position];
			if (typeof asking === 'number') {
				if (asking !== itemIndex) askers[position] = [asking, itemIndex];
			} else if (asking[asking.length - 1] !== itemIndex) asking.push(itemIndex);
		}
	}

	const batches: Array<UniqueBatch<V>> = [];
	for (let start = 0; start < unique.length; start += batchSize) {
		const end = Math.min(start + batchSize, unique.length);
		const items: number[] = [];
		// Usually already in input order; sorted (and deduplicated) only when it is not.
		let ordered = true;
		const add = (itemIndex: number) => {
			const last = items[items.length - 1];
			if (last === itemIndex) return;
			if (last !== undefined && itemIndex < last) ordered = false;
			items.push(itemIndex);
		};
		for (let position = start; position < end; position++) {
			const asking = askers[position];
			if (typeof asking === 'number') add(asking);
			else for (const itemIndex of asking) add(itemIndex);
		}
		batches.push({
			items: ordered ? items : [...new Set(items)].sort((a, b) => a - b),
			values: unique.slice(start, end),
		});
	}
	return {
		batches,
		firstItemOf: (key) => {
			const position = positionOf.get(key);
			if (position === undefined) return undefined;
			const asking = askers[position];
			return typeof asking === 'number' ? asking : asking[0];
		},
	};
}
