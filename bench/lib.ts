/**
 * What every benchmark shares: timing, peak-memory sampling and a ratio table printed against a
 * baseline measured in the same run. Benchmarks print numbers; they never assert on time.
 */
export interface Measurement {
	name: string;
	ms: number;
	/** HTTP requests the job made, when counted. */
	requests?: number;
	/** Peak memory above the starting point, in bytes, when sampled. */
	peakBytes?: number;
	note?: string;
}

export async function timeIt<T>(job: () => Promise<T>): Promise<{ ms: number; result: T }> {
	const started = process.hrtime.bigint();
	const result = await job();
	return { ms: Number(process.hrtime.bigint() - started) / 1e6, result };
}

/** Samples RSS and heap every few milliseconds while `job` runs; returns the peak above the start. */
export async function withPeakMemory<T>(job: () => Promise<T>): Promise<{ result: T; peakRssBytes: number; peakHeapBytes: number }> {
	(globalThis as { gc?: () => void }).gc?.();
	const start = process.memoryUsage();
	let peakRss = start.rss;
	let peakHeap = start.heapUsed + start.arrayBuffers;
	const timer = setInterval(() => {
		const now = process.memoryUsage();
		peakRss = Math.max(peakRss, now.rss);
		peakHeap = Math.max(peakHeap, now.heapUsed + now.arrayBuffers);
	}, 5);
	try {
		const result = await job();
		const end = process.memoryUsage();
		peakRss = Math.max(peakRss, end.rss);
		peakHeap = Math.max(peakHeap, end.heapUsed + end.arrayBuffers);
		return {
			result,
			peakRssBytes: peakRss - start.rss,
			peakHeapBytes: peakHeap - (start.heapUsed + start.arrayBuffers),
		};
	} finally {
		clearInterval(timer);
	}
}

export function formatBytes(bytes: number): string {
	return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** Prints measurements as a table with each row's time (and requests) as a ratio of the baseline's. */
export function printRatios(title: string, rows: Measurement[], baselineName: string): void {
	const baseline = rows.find((row) => row.name === baselineName);
	console.log(`\n${title}`);
	console.log('| job | time | × baseline time | requests | × baseline requests | note |');
	console.log('| --- | --- | --- | --- | --- | --- |');
	for (const row of rows) {
		const timeRatio = baseline ? (row.ms / baseline.ms).toFixed(2) : '—';
		const requestRatio =
			baseline?.requests && row.requests !== undefined ? (row.requests / baseline.requests).toFixed(2) : '—';
		console.log(
			`| ${row.name} | ${row.ms.toFixed(0)} ms | ${timeRatio} | ${row.requests ?? '—'} | ${requestRatio} | ${row.note ?? ''} |`,
		);
	}
	console.log(`(baseline: ${baselineName}; ratios from this one run)`);
}
