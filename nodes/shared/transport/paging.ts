/**
 * Paging through an API that gives no total count: pages are fetched ahead with bounded
 * concurrency (slow start: 1, 2, 4 … up to `concurrency` in flight, so a short list costs one
 * request) until the first page shorter than the page size, and returned in page order.
 */
export interface PagingOptions {
	/** Records per page: a page with fewer is the last one. */
	pageSize: number;
	/** Most pages in flight at once. */
	concurrency: number;
	/** Never fetch more pages than this (a limit's worth); unbounded when undefined. */
	maxPages?: number;
	/** Index of the first page (default 0). */
	firstPage?: number;
}

/** Fetches pages firstPage, firstPage+1, … until a short page; resolves with the pages in order. */
export async function fetchPagesUntilShort<T>(
	options: PagingOptions,
	fetchPage: (page: number) => Promise<T[]>,
): Promise<T[][]> {
	const first = options.firstPage ?? 0;
	const concurrency = Math.max(1, Math.floor(options.concurrency) || 1);
	const pages: T[][] = [];
	let lastIndex = options.maxPages === undefined ? Number.POSITIVE_INFINITY : options.maxPages - 1;
	let nextIndex = 0;
	let window = 1;
	let failure: { index: number; error: unknown } | undefined;
	const running = new Map<number, Promise<void>>();

	const launch = (index: number) => {
		const done = fetchPage(first + index)
			.then(
				(rows) => {
					pages[index] = rows;
					if (rows.length < options.pageSize) lastIndex = Math.min(lastIndex, index);
					else window = Math.min(concurrency, window * 2);
				},
				(error: unknown) => {
					if (!failure || index < failure.index) failure = { index, error };
				},
			)
			.finally(() => running.delete(index));
		running.set(index, done);
	};

	for (;;) {
		while (!failure && nextIndex <= lastIndex && running.size < window) launch(nextIndex++);
		if (running.size === 0) break;
		await Promise.race(running.values());
	}
	// A failure past the last page (fetched ahead before the end was known) does not matter.
	if (failure && failure.index <= lastIndex) throw failure.error;
	return pages.slice(0, lastIndex + 1);
}

/**
 * The records of a list up to `limit` (all of them when undefined), read page by page ahead. Below
 * one full page it asks for exactly the limit (same single request, smaller answer), and it
 * fetches no page the limit does not need.
 */
export async function fetchUpTo<T>(
	options: { limit?: number; maxPageSize: number; concurrency: number },
	fetchPage: (page: number, pageSize: number) => Promise<T[]>,
): Promise<T[]> {
	const { limit, maxPageSize, concurrency } = options;
	const pageSize = limit !== undefined && limit < maxPageSize ? limit : maxPageSize;
	const pages = await fetchPagesUntilShort(
		{
			pageSize,
			concurrency,
			maxPages: limit === undefined ? undefined : Math.ceil(limit / pageSize),
		},
		async (page) => await fetchPage(page, pageSize),
	);
	const records = pages.flat();
	return limit === undefined ? records : records.slice(0, limit);
}
