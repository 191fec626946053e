/**
 * Every benchmark's jobs in one shape: this package's node against the baselines measured in the
 * same run (the in-engine floor, n8n's HTTP Request node, a raw undici client). Benchmarks append
 * their jobs to the file named by BENCH_RESULTS (one JSON line each); `npm run bench` turns them
 * into bench/RESULTS.md.
 */
import { appendFileSync } from 'node:fs';

import type { Measure } from './lib';

export interface JobResult {
	/** Provider or group, e.g. "Customers Mail Cloud". */
	benchmark: string;
	job: string;
	/** Where it ran: n8n-core's engine with the test harness, or the real pinned n8n. */
	where: 'engine' | 'n8n';
	node: Measure;
	floor?: Measure;
	/** The floor through httpRequestWithAuthentication: what is left above it is the node's own cost. */
	floorAuth?: Measure;
	httpRequest?: Measure;
	raw?: Measure;
	/** For a memory job: what the node's peak memory is compared with. */
	memoryBaseline?: { label: string; bytes: number };
	note?: string;
}

export function ratio(node: Measure, baseline: Measure | undefined): string {
	return baseline && baseline.ms > 0 ? `${(node.ms / baseline.ms).toFixed(2)}×` : '—';
}

const ms = (measure: Measure | undefined) =>
	measure
		? `${measure.ms.toFixed(0)} ms` +
			(measure.rangeMs
				? ` (median of ${measure.rounds}: ${measure.rangeMs.map((t) => t.toFixed(0)).join('–')})`
				: '')
		: '—';

/** Prints the job and appends it to BENCH_RESULTS. */
export function recordJob(result: JobResult): void {
	console.log(
		`[${result.where}] ${result.benchmark} · ${result.job}: node ${ms(result.node)} (${result.node.requests ?? '?'} requests)` +
			` · floor ${ms(result.floor)} → ${ratio(result.node, result.floor)}` +
			(result.floorAuth
				? ` · floor via n8n's auth ${ms(result.floorAuth)} → ${ratio(result.node, result.floorAuth)}`
				: '') +
			` · HTTP Request ${ms(result.httpRequest)} → ${ratio(result.node, result.httpRequest)}` +
			` · raw ${ms(result.raw)} → ${ratio(result.node, result.raw)}` +
			(result.note ? ` · ${result.note}` : ''),
	);
	const file = process.env.BENCH_RESULTS;
	if (file) appendFileSync(file, JSON.stringify(result) + '\n');
}
