/**
 * One job, one contender, for `node --cpu-prof`: where the node's time goes against the floor's.
 *
 *   node --cpu-prof --cpu-prof-dir=.build/profiles .build/bench/profile.js <node|floor|floorAuth|httpRequest> <list|unblock|araraGet|araraSend|naimar|lookup> [in flight] [ms per answer]
 *   node .build/bench/profile.js --summary .build/profiles/<file>.cpuprofile
 *
 * PROFILE_ROUNDS (default 3) sets how many times the job runs in one process.
 *
 * The fake runs in its own process (the job's benchmark's), so the profile holds the client only.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { usePackageRoot } from '../test/harness/node-types';
import { SANDBOX_CREDENTIALS } from '../test/fakes/customers-mail-cloud';
import type { ChildProcess } from 'node:child_process';

import type { IDataObject } from 'n8n-workflow';

import type { CredentialStore } from '../test/harness/credentials';

import { SANDBOX_CREDENTIALS as NAIMAR } from '../test/fakes/naimar-sms';
import { lookupAddresses } from './arara-message.bench';
import { UNBLOCKED } from './customers-mail-cloud.bench';
import { askFake, startFakeInChild, timeIt } from './lib';
import { repoRoot, runContender } from './http-request-node';
import { jobs, type JobSpec } from './jobs';

/** Deliveries of the araraSend job, as in the Arara benchmark. */
const SENDS = 1000;

interface ProfileNode {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number };
	children?: number[];
}

/** Self time per function (top 40) and per package, from a .cpuprofile. */
function summarize(file: string): void {
	const profile = JSON.parse(readFileSync(file, 'utf8')) as {
		nodes: ProfileNode[];
		samples: number[];
		timeDeltas: number[];
	};
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const self = new Map<number, number>();
	profile.samples.forEach((id, index) =>
		self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)),
	);
	const perFunction = new Map<string, number>();
	const perPackage = new Map<string, number>();
	let total = 0;
	for (const [id, micros] of self) {
		const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
		const where = url.replace(/^file:\/\//, '');
		const pkg =
			/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(where)?.[1] ??
			(where.includes('/.build/') || where.includes('/dist/')
				? 'this repository'
				: where
					? 'node'
					: '(vm)');
		const key = `${functionName || '(anonymous)'} ${path.basename(where)}:${lineNumber + 1} [${pkg}]`;
		perFunction.set(key, (perFunction.get(key) ?? 0) + micros);
		perPackage.set(pkg, (perPackage.get(pkg) ?? 0) + micros);
		total += micros;
	}
	const top = (map: Map<string, number>, n: number) =>
		[...map.entries()]
			.sort((a, b) => b[1] - a[1])
			.slice(0, n)
			.map(
				([key, micros]) =>
					`${(micros / 1000).toFixed(0).padStart(7)} ms ${((100 * micros) / total).toFixed(1).padStart(5)} %  ${key}`,
			)
			.join('\n');
	// Inclusive time of this repository's and n8n-core's request-path functions (self + callees).
	const inclusive = new Map<string, number>();
	const totalOf = (id: number, stack: Set<string>): number => {
		const node = byId.get(id)!;
		const { functionName, url, lineNumber } = node.callFrame;
		const key = `${functionName || '(anonymous)'} ${path.basename(url)}:${lineNumber + 1}`;
		const counted =
			/\/(dist|\.build)\/(nodes|credentials|bench|test)\/|credentials-helper|request-helper-functions|node-execution-context/.test(
				url,
			) && !stack.has(key);
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
	console.log(
		`total ${(total / 1000).toFixed(0)} ms\n\nby package:\n${top(perPackage, 15)}\n\nby function (self):\n${top(perFunction, 40)}\n\ninclusive:\n${top(inclusive, 45)}`,
	);
}

type Job = 'list' | 'unblock' | 'araraGet' | 'araraSend' | 'naimar' | 'lookup';

/** The fake for a job (a benchmark script's), the credential that works against it, and one round's items. */
async function setUp(
	job: Job,
	concurrency: number,
): Promise<{
	child: ChildProcess;
	spec: JobSpec;
	store: CredentialStore;
	items: () => Promise<IDataObject[]>;
}> {
	if (job === 'araraGet' || job === 'araraSend' || job === 'lookup') {
		const { child, ready } = await startFakeInChild<{
			url: string;
			credentials: IDataObject;
			ids: string[];
		}>(path.join(__dirname, 'arara-message.bench.js'));
		const basic = Buffer.from(
			`${String(ready.credentials.clientId)}:${String(ready.credentials.clientSecret)}`,
		).toString('base64');
		const answer = await fetch(`${ready.url}/oauth2/token`, {
			method: 'POST',
			headers: {
				authorization: `Basic ${basic}`,
				'content-type': 'application/x-www-form-urlencoded',
			},
			body: 'grant_type=client_credentials',
		});
		const token = ((await answer.json()) as { access_token: string }).access_token;
		const data = {
			...ready.credentials,
			oauthTokenData: { access_token: token, token_type: 'Bearer', expires_in: 3600 },
		};
		return {
			child,
			spec:
				job === 'lookup'
					? jobs.araraLookup(ready.url, 50_000, concurrency)
					: job === 'araraSend'
						? jobs.araraSend(ready.url, SENDS, concurrency)
						: jobs.araraGet(ready.url, ready.ids.length, concurrency),
			store: { arara: { type: 'araraMessageOAuth2Api', data } },
			items: async () =>
				job === 'lookup'
					? lookupAddresses().map((email) => ({ email }))
					: job === 'araraSend'
						? Array.from({ length: SENDS }, (_, index) => ({
								email: `customer${index}@example.com`,
							}))
						: ready.ids.map((id) => ({ id })),
		};
	}
	if (job === 'naimar') {
		const { child, ready } = await startFakeInChild<{ url: string; ids: string[] }>(
			path.join(__dirname, 'naimar-sms.bench.js'),
		);
		return {
			child,
			spec: jobs.naimarGet(ready.url, ready.ids.length, concurrency),
			store: {
				naimar: {
					type: 'naimarSmsApi',
					data: { username: NAIMAR.username, password: NAIMAR.password, baseUrl: ready.url },
				},
			},
			items: async () => ready.ids.map((id) => ({ id })),
		};
	}
	const { child, ready } = await startFakeInChild<{ url: string }>(
		path.join(__dirname, 'customers-mail-cloud.bench.js'),
		{ args: ['20000'] },
	);
	return {
		child,
		spec:
			job === 'unblock'
				? jobs.cmcUnblock(ready.url, 'cancel', UNBLOCKED, 1000, concurrency)
				: jobs.cmcList(20_000, concurrency),
		store: {
			cmc: { type: 'customersMailCloudApi', data: { ...SANDBOX_CREDENTIALS, host: ready.url } },
		},
		items: async () =>
			job === 'unblock'
				? (await askFake<{ emails: string[] }>(child, 'block:1000')).emails.map((email) => ({
						email,
					}))
				: [{}],
	};
}

async function main(): Promise<void> {
	if (process.argv[2] === '--summary') return summarize(process.argv[3]);
	const [who = 'node', job = 'unblock', concurrency = '4', latencyMs = '0'] = process.argv.slice(
		2,
	) as ['node' | 'floor' | 'floorAuth' | 'httpRequest', Job, string, string];
	usePackageRoot(repoRoot());
	const { child, spec, store, items } = await setUp(job, Number(concurrency));
	if (Number(latencyMs) > 0 && job !== 'naimar') await askFake(child, `latency:${latencyMs}`);
	try {
		for (let round = 0; round < Number(process.env.PROFILE_ROUNDS ?? 3); round++) {
			const input = await items();
			const contender = who === 'httpRequest' ? spec.httpRequest! : spec[who];
			const { ms, result } = await timeIt(() =>
				runContender(contender, spec.credentialType, store, input),
			);
			console.log(`${who} ${job}: ${result.length} items in ${ms.toFixed(0)} ms`);
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
