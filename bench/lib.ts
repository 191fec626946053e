/**
 * What every benchmark shares: its fake served from a child process, timing, peak-memory sampling
 * and a ratio table printed against a baseline measured in the same run. Benchmarks print numbers;
 * they never assert on time.
 */
import { fork, type ChildProcess } from 'node:child_process';

import type { FakeServer } from '../test/fakes/fake-server';

/** The argument that makes a benchmark script serve its fake instead of measuring. */
const FAKE_ARG = '--fake';

/**
 * A benchmark script is its own fake: forked with --fake it serves the fake (so the server's work
 * and memory do not count as the client's); otherwise it runs the benchmark when it is the entry
 * point, and exits 1 on failure.
 */
export function runBenchmark(
	entry: NodeModule,
	main: () => Promise<void>,
	serveFake: (args: string[]) => Promise<void>,
): void {
	if (process.argv[2] === FAKE_ARG) {
		void serveFake(process.argv.slice(3));
	} else if (require.main === entry) {
		main().then(
			() => process.exit(0),
			(error: unknown) => {
				console.error(error);
				process.exit(1);
			},
		);
	}
}

export interface ChildFake {
	/** Sent to the parent once the fake listens. */
	ready: unknown;
	server: FakeServer;
	/** Count only the requests to this path; all requests when undefined. */
	countedPath?: string;
	close(): Promise<void>;
	/** A benchmark's own commands: the answer to send back, or undefined when the message is none of them. */
	answer?(message: string): unknown;
}

/** Child side: answers "requests" (served since the last count) and "stop", and the fake's own commands. */
export function serveFakeInChild(fake: ChildFake): void {
	process.on('message', (message: string) => {
		if (message === 'requests') {
			const served = fake.countedPath
				? fake.server.requestsTo(fake.countedPath)
				: fake.server.requests;
			process.send!({ requests: served.length });
			fake.server.resetLog();
		} else if (message === 'stop') {
			void fake.close().then(() => process.exit(0));
		} else {
			const answer = fake.answer?.(message);
			if (answer !== undefined) process.send!(answer);
		}
	});
	process.send!(fake.ready);
}

/** Parent side: forks `script` as the fake and waits until it is ready. */
export async function startFakeInChild<Ready>(
	script: string,
	options: { args?: string[]; execArgv?: string[] } = {},
): Promise<{ child: ChildProcess; ready: Ready }> {
	const child = fork(script, [FAKE_ARG, ...(options.args ?? [])], {
		stdio: 'inherit',
		...(options.execArgv ? { execArgv: options.execArgv } : {}),
	});
	const ready = await new Promise<Ready>((resolve) => child.once('message', resolve));
	return { child, ready };
}

/** Sends a command to the fake in `child` and resolves with its answer. */
export function askFake<T>(child: ChildProcess, message: string): Promise<T> {
	return new Promise((resolve) => {
		child.once('message', (answer: T) => resolve(answer));
		child.send(message);
	});
}

/** Requests the fake served since the last count. */
export async function takeRequestCount(child: ChildProcess): Promise<number> {
	return (await askFake<{ requests: number }>(child, 'requests')).requests;
}

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
export async function withPeakMemory<T>(
	job: () => Promise<T>,
): Promise<{ result: T; peakRssBytes: number; peakHeapBytes: number }> {
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
			baseline?.requests && row.requests !== undefined
				? (row.requests / baseline.requests).toFixed(2)
				: '—';
		console.log(
			`| ${row.name} | ${row.ms.toFixed(0)} ms | ${timeRatio} | ${row.requests ?? '—'} | ${requestRatio} | ${row.note ?? ''} |`,
		);
	}
	console.log(`(baseline: ${baselineName}; ratios from this one run)`);
}

/** One contender's run of a job: time, requests the fake served, peak heap + array buffers above the start. */
export interface Measure {
	ms: number;
	requests?: number;
	peakBytes?: number;
	/** Timed runs behind `ms` (their median) when more than one: see measureContenders. */
	rounds?: number;
	/** The fastest and slowest of those runs. */
	rangeMs?: [number, number];
}

/** Times `job` with peak-memory sampling and reads how many requests the fake served for it. */
export async function measureJob(
	child: ChildProcess | undefined,
	job: () => Promise<unknown>,
): Promise<Measure> {
	if (child) await takeRequestCount(child);
	const { ms, result } = await timeIt(() => withPeakMemory(job));
	return {
		ms,
		peakBytes: result.peakHeapBytes,
		requests: child ? await takeRequestCount(child) : undefined,
	};
}

/** BENCH_SCALE=0.1 shrinks every benchmark's sizes, for a quick check that the benchmarks run; reports use 1. */
export function scaled(count: number): number {
	const scale = Number(process.env.BENCH_SCALE ?? 1);
	return Math.max(1, Math.round(count * (Number.isFinite(scale) && scale > 0 ? scale : 1)));
}

/** A job that changes the fake (unblocking, cancelling): `fresh` prepares new inputs, untimed, and returns the run to time. */
export interface FreshJob {
	fresh(): Promise<() => Promise<unknown>>;
}
export type BenchJob = (() => Promise<unknown>) | FreshJob;

/** BENCH_ROUNDS: timed rounds per contender after the warm-up (5 unless set). */
export const ROUNDS = Math.max(1, Math.round(Number(process.env.BENCH_ROUNDS ?? 5)) || 5);
/**
 * A contender whose warm-up took longer than this, and several times the job's quickest warm-up,
 * is timed by that run alone: it sends another job's worth of requests (the HTTP Request node's
 * 10,000 or 50,000), more rounds of it would cost minutes, and at that length the warm-up's share
 * (loading, JIT) is lost in the noise. Contenders doing the same requests always get rounds.
 */
const SLOW_MS = 10_000;
const SLOWER_THAN_QUICKEST = 3;

const runOf = async (job: BenchJob) => ('fresh' in job ? await job.fresh() : job);

/** Several timed runs of one contender as one Measure: the median run's time and requests, the highest peak. */
export function summarise(runs: Measure[]): Measure {
	const byTime = [...runs].sort((a, b) => a.ms - b.ms);
	const middle = byTime[Math.floor((byTime.length - 1) / 2)];
	const peaks = runs.flatMap((run) => (run.peakBytes === undefined ? [] : [run.peakBytes]));
	return {
		ms: middle.ms,
		requests: middle.requests,
		...(peaks.length ? { peakBytes: Math.max(...peaks) } : {}),
		...(runs.length > 1
			? { rounds: runs.length, rangeMs: [byTime[0].ms, byTime[byTime.length - 1].ms] }
			: {}),
	};
}

/**
 * Times every contender of one job fairly: one untimed warm-up run of each (so none pays the
 * engine's loading and JIT for the others), then ROUNDS rounds with the contenders in an order that
 * rotates each round (so none always runs first, or right after the heaviest). Each contender's time
 * is the median of its rounds, its requests those of that run, its peak memory the highest seen.
 */
export async function measureContenders<Role extends string>(
	child: ChildProcess | undefined,
	contenders: Record<Role, BenchJob>,
): Promise<Record<Role, Measure>> {
	const roles = Object.keys(contenders) as Role[];
	const warmUps = new Map<Role, Measure>();
	for (const role of roles)
		warmUps.set(role, await measureJob(child, await runOf(contenders[role])));
	const quickest = Math.min(...[...warmUps.values()].map((warmUp) => warmUp.ms));
	const runs = new Map<Role, Measure[]>();
	const rounded: Role[] = [];
	for (const role of roles) {
		const warmUp = warmUps.get(role)!;
		if (warmUp.ms > SLOW_MS && warmUp.ms > SLOWER_THAN_QUICKEST * quickest)
			runs.set(role, [warmUp]);
		else {
			runs.set(role, []);
			rounded.push(role);
		}
	}
	for (let round = 0; round < ROUNDS; round++) {
		for (let turn = 0; turn < rounded.length; turn++) {
			const role = rounded[(round + turn) % rounded.length];
			runs.get(role)!.push(await measureJob(child, await runOf(contenders[role])));
		}
	}
	return Object.fromEntries(roles.map((role) => [role, summarise(runs.get(role)!)])) as Record<
		Role,
		Measure
	>;
}
