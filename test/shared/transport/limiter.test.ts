import { mapWithConcurrency, settleWithConcurrency } from '../../../nodes/shared/transport/limiter';

const tick = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

describe('mapWithConcurrency', () => {
	it('keeps input order and never exceeds the bound', async () => {
		let running = 0;
		let peak = 0;
		const results = await mapWithConcurrency([5, 1, 4, 2, 3, 0, 6], 3, async (value) => {
			running++;
			peak = Math.max(peak, running);
			await tick(value * 3);
			running--;
			return value * 10;
		});
		expect(results).toEqual([50, 10, 40, 20, 30, 0, 60]);
		expect(peak).toBe(3);
	});

	it('handles no inputs and a bound below 1', async () => {
		expect(await mapWithConcurrency([], 4, async () => 1)).toEqual([]);
		expect(await mapWithConcurrency([1, 2], 0, async (value) => value)).toEqual([1, 2]);
	});
});

describe('settleWithConcurrency', () => {
	it('keeps every result when some fail', async () => {
		const results = await settleWithConcurrency([1, 2, 3], 2, async (value) => {
			if (value === 2) throw new Error('two');
			return value;
		});
		expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
	});
});
