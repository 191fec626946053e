/**
 * One job, one contender, for `node --cpu-prof`: where the node's time goes against the floor's.
 *
 *   node --cpu-prof --cpu-prof-dir=.build/profiles .build/bench/profile.js <node|floor> <list|unblock>
 *   node .build/bench/profile.js --summary .build/profiles/<file>.cpuprofile
 *
 * The fake runs in its own process (the CMC benchmark's), so the profile holds the client only.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { usePackageRoot } from '../test/harness/node-types';
import { SANDBOX_CREDENTIALS } from '../test/fakes/customers-mail-cloud';
import { floorType, FLOOR_TYPE } from './BenchFloor.node';
import { executeNode } from './engine-runner';
import { askFake, startFakeInChild, timeIt } from './lib';
import { repoRoot } from './http-request-node';

interface ProfileNode {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number };
	children?: number[];
}

/** Self time per function (top 40) and per package, from a .cpuprofile. */
function summarize(file: string): void {
	const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const self = new Map<number, number>();
	profile.samples.forEach((id, index) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
	const perFunction = new Map<string, number>();
	const perPackage = new Map<string, number>();
	let total = 0;
	for (const [id, micros] of self) {
		const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
		const where = url.replace(/^file:\/\//, '');
		const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(where)?.[1] ?? (where.includes('/.build/') || where.includes('/dist/') ? 'this repository' : where ? 'node' : '(vm)');
		const key = `${functionName || '(anonymous)'} ${path.basename(where)}:${lineNumber + 1} [${pkg}]`;
		perFunction.set(key, (perFunction.get(key) ?? 0) + micros);
		perPackage.set(pkg, (perPackage.get(pkg) ?? 0) + micros);
		total += micros;
	}
	const top = (map: Map<string, number>, n: number) =>
		[...map.entries()]
			.sort((a, b) => b[1] - a[1])
			.slice(0, n)
			.map(([key, micros]) => `${(micros / 1000).toFixed(0).padStart(7)} ms ${((100 * micros) / total).toFixed(1).padStart(5)} %  ${key}`)
			.join('\n');
	// Inclusive time of this repository's and n8n-core's request-path functions (self + callees).
	const inclusive = new Map<string, number>();
	const totalOf = (id: number, stack: Set<string>): number => {
		const node = byId.get(id)!;
		const { functionName, url, lineNumber } = node.callFrame;
		const key = `${functionName || '(anonymous)'} ${path.basename(url)}:${lineNumber + 1}`;
		const counted = /\/(dist|\.build)\/(nodes|credentials|bench|test)\/|credentials-helper|request-helper-functions|node-execution-context/.test(url) && !stack.has(key);
		if (counted) stack.add(key);
		let sum = self.get(id) ?? 0;
		for (const childId of node.children ?? []) sum += totalOf(childId, stack);
		if (counted) {
			inclusive.set(key, (inclusive.get(key) ?? 0) + sum);
			stack.delete(key);
		}
		return sum;
	};
	totalOf(profile.nodes[0].id, new Set());
	console.log(`total ${(total / 1000).toFixed(0)} ms\n\nby package:\n${top(perPackage, 15)}\n\nby function (self):\n${top(perFunction, 40)}\n\ninclusive:\n${top(inclusive, 45)}`);
}

async function main(): Promise<void> {
	if (process.argv[2] === '--summary') return summarize(process.argv[3]);
	const [who = 'node', job = 'unblock'] = process.argv.slice(2);
	usePackageRoot(repoRoot());
	const { child, ready } = await startFakeInChild<{ url: string }>(path.join(__dirname, 'customers-mail-cloud.bench.js'), {
		args: ['20000'],
	});
	const store = { cmc: { type: 'customersMailCloudApi', data: { ...SANDBOX_CREDENTIALS, host: ready.url } } };
	const nodeCredentials = { customersMailCloudApi: 'cmc' };
	try {
		for (let round = 0; round < 3; round++) {
			const items = job === 'unblock' ? (await askFake<{ emails: string[] }>(child, 'block:1000')).emails.map((email) => ({ email })) : [{}];
			const parameters =
				job === 'unblock'
					? { operation: 'cancel', email: '={{ $json.email }}', options: { concurrency: 4 } }
					: { operation: 'getAll', returnAll: true, options: { concurrency: 4 } };
			const { ms, result } = await timeIt(() =>
				who === 'floor'
					? executeNode({ type: FLOOR_TYPE, parameters: { job: job === 'unblock' ? 'cmcUnblock' : 'cmcList', ...parameters }, nodeCredentials, credentials: store, items }, [floorType])
					: executeNode({ type: 'customersMailCloud', parameters: { resource: 'block', ...parameters }, nodeCredentials, credentials: store, items }),
			);
			if (result.error) throw result.error;
			console.log(`${who} ${job}: ${result.items.length} items in ${ms.toFixed(0)} ms`);
		}
	} finally {
		child.send('stop');
	}
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		console.error(error);
		process.exit(1);
	},
);
