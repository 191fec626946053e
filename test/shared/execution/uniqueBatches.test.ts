import { uniqueBatches } from '../../../nodes/shared/execution/uniqueBatches';

const lower = (value: string) => value.toLowerCase();

describe('uniqueBatches', () => {
	it('asks each value once, first spelling kept, in batches of the size given', () => {
		const reads = new Map([
			[0, ['a@x.jp', 'B@x.jp']],
			[1, ['b@x.jp', 'c@x.jp']],
			[2, ['d@x.jp']],
		]);
		const { batches, firstItemOf } = uniqueBatches(reads, 2, lower);
		expect(batches).toEqual([
			{ values: ['a@x.jp', 'B@x.jp'], items: [0, 1] },
			{ values: ['c@x.jp', 'd@x.jp'], items: [1, 2] },
		]);
		expect(firstItemOf('b@x.jp')).toBe(0);
		expect(firstItemOf('d@x.jp')).toBe(2);
		expect(firstItemOf('nobody')).toBeUndefined();
	});

	it('lists a batch’s items in input order, once each, when a later value was asked first by an earlier item', () => {
		// Item 2 asks for "z" first; item 0 asks for it too, later in the same batch.
		const reads = new Map([
			[0, ['a', 'b']],
			[1, ['c']],
			[2, ['z', 'z']],
			[3, ['z', 'a']],
		]);
		const { batches } = uniqueBatches(reads, 10, (value) => value);
		expect(batches).toEqual([{ values: ['a', 'b', 'c', 'z'], items: [0, 1, 2, 3] }]);
		const out = uniqueBatches(
			new Map([
				[0, ['a']],
				[1, ['b']],
				[2, ['a', 'c']],
			]),
			2,
			(value) => value,
		).batches;
		// "a" serves items 0 and 2, "b" item 1: the batch is [0, 1, 2], not [0, 2, 1].
		expect(out).toEqual([
			{ values: ['a', 'b'], items: [0, 1, 2] },
			{ values: ['c'], items: [2] },
		]);
	});

	it('skips items that were not read and gives no batch for no values', () => {
		expect(uniqueBatches(new Map(), 5, lower).batches).toEqual([]);
		expect(
			uniqueBatches(
				new Map([
					[3, ['x']],
					[7, ['x']],
				]),
				5,
				lower,
			).batches,
		).toEqual([{ values: ['x'], items: [3, 7] }]);
	});
});
