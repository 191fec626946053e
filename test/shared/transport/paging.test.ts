/** fetchPagesUntilShort (nodes/shared/paging.ts): order, bounds, slow start, failures. */
import { fetchPagesUntilShort } from '../../../nodes/shared/transport/paging';

function fakePages(total: number, pageSize: number, delays: (page: number) => number = () => 0) {
	const asked: number[] = [];
	let inFlight = 0;
	let maxInFlight = 0;
	const fetchPage = async (page: number) => {
		asked.push(page);
		inFlight++;
		maxInFlight = Math.max(maxInFlight, inFlight);
		await new Promise((resolve) => setTimeout(resolve, delays(page)));
		inFlight--;
		const start = page * pageSize;
		return Array.from(
			{ length: Math.max(0, Math.min(pageSize, total - start)) },
			(_v, i) => start + i,
		);
	};
	return { fetchPage, asked, stats: () => ({ maxInFlight }) };
}

it.each([0, 1, 99, 100, 101, 1000, 1234])(
	'returns %i records in order, whatever order pages finish in',
	async (total) => {
		const pages = fakePages(total, 100, (page) => (page % 3) * 3);
		const result = await fetchPagesUntilShort({ pageSize: 100, concurrency: 4 }, pages.fetchPage);
		expect(result.flat()).toEqual(Array.from({ length: total }, (_v, i) => i));
		expect(pages.asked.length).toBeLessThanOrEqual(Math.floor(total / 100) + 1 + 3);
		expect(pages.stats().maxInFlight).toBeLessThanOrEqual(4);
	},
);

it('starts with one request, so a short list costs exactly one', async () => {
	const pages = fakePages(42, 100);
	await fetchPagesUntilShort({ pageSize: 100, concurrency: 8 }, pages.fetchPage);
	expect(pages.asked).toEqual([0]);
});

it('never asks past maxPages', async () => {
	const pages = fakePages(100_000, 100);
	const result = await fetchPagesUntilShort(
		{ pageSize: 100, concurrency: 4, maxPages: 3 },
		pages.fetchPage,
	);
	expect(result).toHaveLength(3);
	expect(pages.asked.sort()).toEqual([0, 1, 2]);
});

it('throws the first needed failure, and ignores one past the last page', async () => {
	const failing = async (page: number) => {
		if (page === 2) throw new Error('page 2 failed');
		return page < 5 ? new Array(10).fill(page) : [];
	};
	await expect(fetchPagesUntilShort({ pageSize: 10, concurrency: 4 }, failing)).rejects.toThrow(
		'page 2 failed',
	);
	const pastTheEnd = async (page: number) => {
		if (page >= 3) {
			await new Promise((resolve) => setTimeout(resolve, 5));
			throw new Error('past the end');
		}
		return page < 2 ? new Array(10).fill(page) : [1];
	};
	const pages = await fetchPagesUntilShort({ pageSize: 10, concurrency: 4 }, pastTheEnd);
	expect(pages.flat()).toHaveLength(21);
});
