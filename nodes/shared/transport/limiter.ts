/**
 * Bounded concurrency without a dependency: n8n's HTTP helper opens a new connection per request,
 * so a few requests in flight buy speed and more only cost CPU (see README, "Performance").
 */
export async function mapWithConcurrency<T, R>(
	inputs: readonly T[],
	concurrency: number,
	worker: (input: T, index: number) => Promise<R>,
): Promise<R[]> {
	const results = new Array<R>(inputs.length);
	let next = 0;
	const lanes = Math.max(1, Math.min(Math.floor(concurrency) || 1, inputs.length));
	async function lane(): Promise<void> {
		while (next < inputs.length) {
			const index = next++;
			results[index] = await worker(inputs[index], index);
		}
	}
	await Promise.all(Array.from({ length: lanes }, lane));
	return results;
}

/** Like mapWithConcurrency, but every input settles: one failure never loses the other results. */
export async function settleWithConcurrency<T, R>(
	inputs: readonly T[],
	concurrency: number,
	worker: (input: T, index: number) => Promise<R>,
): Promise<Array<PromiseSettledResult<R>>> {
	return await mapWithConcurrency(inputs, concurrency, async (input, index) => {
		try {
			return { status: 'fulfilled', value: await worker(input, index) } as const;
		} catch (reason) {
			return { status: 'rejected', reason } as const;
		}
	});
}
