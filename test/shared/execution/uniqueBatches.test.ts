import { uniqueBatches } from '../../../nodes/shared/execution/uniqueBatches';

const lower = (value: string) => value.toLowerCase();

describe('uniqueBatches', () => {
	it('asks each value once, first spelling kept, in batches of the size given', () => {
		const reads = [['a@x.jp', 'B@x.jp'], ['b@x.jp', 'c@x.jp'], ['d@x.jp']];
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
		const reads = [['a', 'b'], ['c'], ['z', 'z'], ['z', 'a']];
		const { batches } = uniqueBatches(reads, 10, (value) => value);
		expect(batches).toEqual([{ values: ['a', 'b', 'c', 'z'], items: [0, 1, 2, 3] }]);
		const out = uniqueBatches([['a'], ['b'], ['a', 'c']], 2, (value) => value).batches;
		// "a" serves items 0 and 2, "b" item 1: the batch is [0, 1, 2], not [0, 2, 1].
		expect(out).toEqual([
			{ values: ['a', 'b'], items: [0, 1, 2] },
			{ values: ['c'], items: [2] },
		]);
	});

	it('skips items that were not read and gives no batch for no values', () => {
		expect(uniqueBatches([], 5, lower).batches).toEqual([]);
		const reads: Array<string[] | undefined> = [];
		reads[3] = ['x'];
		reads[7] = ['x'];
		expect(uniqueBatches(reads, 5, lower).batches).toEqual([{ values: ['x'], items: [3, 7] }]);
	});
});
