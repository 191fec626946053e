/**
 * The main jobs inside the pinned n8n (`n8n execute-batch` on imported workflows), where
 * credentials come from n8n's database and are decrypted on every authenticated request: this
 * package's node, the floor (bench/BenchFloor.node.ts installed as a second community package) and
 * n8n's HTTP Request node, each in its own workflow, run one after another. Each time is the node's
 * own `executionTime` from the stored execution, so n8n's start-up does not count.
 *
 *   npm run build && npm run build:tools && N8N_RUNTIME_DIR=… node .build/bench/real-n8n.bench.js
 *
 * `BENCH_ONLY=<regular expression>` runs only the jobs whose "benchmark: job" it matches, e.g. to
 * profile one job inside n8n without waiting for all the others.
 */
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { DEFAULT_CONCURRENCY, DEFAULT_ITEM_CONCURRENCY } from '../nodes/shared/description/options';
import { SANDBOX_CREDENTIALS as CMC_SANDBOX } from '../test/fakes/customers-mail-cloud';
import { SANDBOX_CREDENTIALS as NAIMAR_SANDBOX } from '../test/fakes/naimar-sms';
import {
	MANUAL_START,
	N8nSession,
	PACKAGE_PREFIX,
	randomId,
	type CredentialFixture,
	type ExecutionResult,
	type WorkflowJson,
} from '../test/e2e/n8n';
import { lookupAddresses } from './arara-message.bench';
import { FLOOR_TYPE } from './BenchFloor.node';
import { BUSY_DAY, UNBLOCKED } from './customers-mail-cloud.bench';
import { jobs as defined, type JobSpec } from './jobs';
import { askFake, ROUNDS, scaled, startFakeInChild, summarise, type Measure } from './lib';
import { repoRoot } from './http-request-node';
import { recordJob, type JobResult } from './results';

const FLOOR_PACKAGE = 'n8n-nodes-bench-floor';
const FLOOR_NODE_TYPE = `${FLOOR_PACKAGE}.benchFloor`;
const NAIMAR_IDS = scaled(10_000);
const CMC_BLOCKS = scaled(100_000);
const PER_ITEM = scaled(1_000);
const IN_FLIGHT = DEFAULT_CONCURRENCY;
const ONLY = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY, 'i') : undefined;
const ITEM_IN_FLIGHT = DEFAULT_ITEM_CONCURRENCY;
const NODE = 'Job';

/** The floor as n8n installs a community package: <user folder>/.n8n/nodes/node_modules/<name>. */
function installFloor(userFolder: string): void {
	const target = path.join(userFolder, '.n8n', 'nodes', 'node_modules', FLOOR_PACKAGE);
	mkdirSync(path.join(target, 'dist', 'bench'), { recursive: true });
	const build = path.join(repoRoot(), '.build');
	cpSync(
		path.join(build, 'bench', 'BenchFloor.node.js'),
		path.join(target, 'dist', 'bench', 'BenchFloor.node.js'),
	);
	cpSync(path.join(build, 'nodes'), path.join(target, 'dist', 'nodes'), { recursive: true });
	writeFileSync(
		path.join(target, 'package.json'),
		JSON.stringify({
			name: FLOOR_PACKAGE,
			version: '0.0.0',
			private: true,
			keywords: ['n8n-community-node-package'],
			n8n: { n8nNodesApiVersion: 1, nodes: ['dist/bench/BenchFloor.node.js'] },
		}),
	);
}

const credentialRef = (credential: CredentialFixture) => ({
	[credential.type]: { id: credential.id, name: credential.name },
});

/** Start → Items (the floor's "items" job: no Code node, no task runner) → the job's node. */
function workflow(
	name: string,
	items: IDataObject[],
	job: {
		type: string;
		typeVersion?: number;
		parameters: IDataObject;
		credential?: CredentialFixture;
	},
): WorkflowJson {
	return {
		id: randomId('wf'),
		name,
		nodes: [
			MANUAL_START,
			{
				id: randomId('nd'),
				name: 'Items',
				type: FLOOR_NODE_TYPE,
				typeVersion: 1,
				position: [200, 0],
				parameters: { job: 'items', itemsJson: JSON.stringify(items) },
			},
			{
				id: randomId('nd'),
				name: NODE,
				type: job.type,
				typeVersion: job.typeVersion ?? 1,
				position: [400, 0],
				parameters: job.parameters,
				...(job.credential ? { credentials: credentialRef(job.credential) } : {}),
			},
		],
		connections: {
			Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
			Items: { main: [[{ node: NODE, type: 'main', index: 0 }]] },
		},
	};
}

type Role = 'node' | 'floor' | 'floorAuth' | 'httpRequest';

/** A job's type as the real n8n knows it. */
function n8nType(type: string): string {
	if (type === FLOOR_TYPE) return FLOOR_NODE_TYPE;
	return type.includes('.') ? type : `${PACKAGE_PREFIX}${type}`;
}

interface Contender {
	role: Role;
	expected: number;
	/** Timed in the first round only (the HTTP Request node's 10,000 requests take seconds): see lib's measureContenders. */
	once: boolean;
	/** A workflow of its own for each run: n8n stores one execution per workflow run. */
	workflowFor(items: IDataObject[]): WorkflowJson;
	/** Each run's items: the same ones for reads, freshly blocked addresses for Unblock. */
	items(): Promise<IDataObject[]>;
}

/** One run of one contender in the batch. */
interface Run {
	job: number;
	contender: Contender;
	round: number;
	workflow: WorkflowJson;
}

function timeOf(result: ExecutionResult, run: Run): Measure {
	const task = result.runData[NODE]?.[0];
	if (!task || task.error) {
		throw new Error(
			`${run.workflow.name}: ${task?.error?.message ?? result.error?.message ?? 'did not run'}`,
		);
	}
	const count = task.data?.main?.[0]?.length ?? 0;
	if (count !== run.contender.expected)
		throw new Error(`${run.workflow.name}: ${count} items, expected ${run.contender.expected}`);
	return { ms: task.executionTime };
}

export async function main(): Promise<void> {
	const build = path.join(repoRoot(), '.build', 'bench');
	const naimar = await startFakeInChild<{ url: string; ids: string[] }>(
		path.join(build, 'naimar-sms.bench.js'),
	);
	const cmc = await startFakeInChild<{ url: string }>(
		path.join(build, 'customers-mail-cloud.bench.js'),
		{
			args: [String(CMC_BLOCKS)],
			execArgv: ['--max-old-space-size=4096'],
		},
	);
	const arara = await startFakeInChild<{ url: string; credentials: IDataObject; ids: string[] }>(
		path.join(build, 'arara-message.bench.js'),
	);
	const session = await N8nSession.create();
	try {
		installFloor(session.userFolder);
		const tokenAnswer = await fetch(`${arara.ready.url}/oauth2/token`, {
			method: 'POST',
			headers: {
				authorization: `Basic ${Buffer.from(`${String(arara.ready.credentials.clientId)}:${String(arara.ready.credentials.clientSecret)}`).toString('base64')}`,
				'content-type': 'application/x-www-form-urlencoded',
			},
			body: 'grant_type=client_credentials',
		});
		const token = ((await tokenAnswer.json()) as { access_token: string }).access_token;
		const credentials: Record<'naimar' | 'cmc' | 'arara', CredentialFixture> = {
			naimar: {
				id: randomId('cr'),
				name: 'Naimar bench',
				type: 'naimarSmsApi',
				data: {
					username: NAIMAR_SANDBOX.username,
					password: NAIMAR_SANDBOX.password,
					baseUrl: naimar.ready.url,
				},
			},
			cmc: {
				id: randomId('cr'),
				name: 'CMC bench',
				type: 'customersMailCloudApi',
				data: { ...CMC_SANDBOX, host: cmc.ready.url },
			},
			arara: {
				id: randomId('cr'),
				name: 'Arara bench',
				type: 'araraMessageOAuth2Api',
				data: {
					...arara.ready.credentials,
					oauthTokenData: { access_token: token, token_type: 'Bearer', expires_in: 3600 },
				},
			},
		};
		const jobs: Array<{ spec: JobSpec; contenders: Contender[] }> = [];
		/**
		 * A job's contenders: `expected` names the roles run here (it leaves out those too slow to be
		 * worth a run) and the items each returns; `once` those timed in the first round only.
		 */
		const add = (
			spec: JobSpec,
			credential: CredentialFixture,
			inputs: IDataObject[] | (() => Promise<IDataObject[]>),
			expected: Partial<Record<Role, number>>,
			once: Role[] = [],
		) => {
			if (ONLY && !ONLY.test(`${spec.benchmark}: ${spec.job}`)) return;
			const roles = Object.keys(expected) as Role[];
			const contenders = roles.map((role): Contender => {
				const job = role === 'httpRequest' ? spec.httpRequest! : spec[role];
				return {
					role,
					expected: expected[role]!,
					once: once.includes(role),
					items: typeof inputs === 'function' ? inputs : async () => inputs,
					workflowFor: (items) =>
						workflow(`${spec.job} · ${role}`, items, {
							type: n8nType(job.type),
							typeVersion: job.typeVersion,
							parameters: job.parameters,
							credential:
								role === 'httpRequest' && !spec.httpRequest!.authenticates ? undefined : credential,
						}),
				};
			});
			jobs.push({ spec, contenders });
		};

		const naimarItems = naimar.ready.ids.slice(0, NAIMAR_IDS).map((id) => ({ id }));
		add(
			defined.naimarGet(naimar.ready.url, NAIMAR_IDS, IN_FLIGHT),
			credentials.naimar,
			naimarItems,
			{
				node: NAIMAR_IDS,
				floor: NAIMAR_IDS,
				floorAuth: NAIMAR_IDS,
				httpRequest: NAIMAR_IDS,
			},
			['httpRequest'],
		);

		add(defined.cmcList(CMC_BLOCKS, IN_FLIGHT), credentials.cmc, [{}], {
			node: CMC_BLOCKS,
			floor: CMC_BLOCKS,
			floorAuth: CMC_BLOCKS,
		});

		const emails = async () =>
			(await askFake<{ emails: string[] }>(cmc.child, `block:${PER_ITEM}`)).emails.map((email) => ({
				email,
			}));
		add(
			defined.cmcUnblock(cmc.ready.url, 'cancel', UNBLOCKED, PER_ITEM, ITEM_IN_FLIGHT),
			credentials.cmc,
			emails,
			{
				node: PER_ITEM,
				floor: PER_ITEM,
				floorAuth: PER_ITEM,
				httpRequest: PER_ITEM,
			},
		);

		// Deliveries: the HTTP Request node outputs one item per page.
		const records = (await askFake<{ records: number }>(cmc.child, 'deliveries')).records;
		add(defined.cmcDeliveries(cmc.ready.url, BUSY_DAY, records, IN_FLIGHT), credentials.cmc, [{}], {
			node: records,
			floor: records,
			floorAuth: records,
			httpRequest: Math.floor(records / 100) + 1,
		});

		const araraItems = arara.ready.ids.slice(0, PER_ITEM).map((id) => ({ id }));
		add(
			defined.araraGet(arara.ready.url, araraItems.length, ITEM_IN_FLIGHT),
			credentials.arara,
			araraItems,
			{
				node: araraItems.length,
				floor: araraItems.length,
				floorAuth: araraItems.length,
				httpRequest: araraItems.length,
			},
		);

		// The HTTP Request node's one request per address (50,000) is measured in the engine only.
		const addresses = lookupAddresses().map((email) => ({ email }));
		add(
			defined.araraLookup(arara.ready.url, addresses.length, IN_FLIGHT),
			credentials.arara,
			addresses,
			{
				node: addresses.length,
				floor: addresses.length,
				floorAuth: addresses.length,
			},
		);

		// As in the engine (lib's measureContenders): round 0 is the warm-up (n8n loads a node's code
		// when a workflow first uses it, and the JIT warms), then ROUNDS rounds with each job's
		// contenders in an order that rotates each round. A `once` contender runs in round 0 only,
		// and that run is its time.
		const runs: Run[] = [];
		for (const [index, job] of jobs.entries()) {
			for (let round = 0; round <= ROUNDS; round++) {
				const here = job.contenders.filter((contender) => round === 0 || !contender.once);
				for (let turn = 0; turn < here.length; turn++) {
					const contender = here[(round + turn) % here.length];
					const workflow = contender.workflowFor(await contender.items());
					workflow.name += ` · round ${round}`;
					runs.push({ job: index, contender, round, workflow });
				}
			}
		}
		// execute-batch runs workflows in the database's order: ids that sort (and insert) in run order.
		runs.forEach(
			(run, index) => (run.workflow.id = randomId(`wf${String(index).padStart(4, '0')}`)),
		);
		const ordered = runs.map((run) => run.workflow);
		await session.import({ credentials: Object.values(credentials), workflows: ordered });
		// Each run is kept as its time only: a hundred runs' items would not fit in memory.
		const runOf = new Map(runs.map((run) => [run.workflow.id!, run]));
		const timeById = new Map(
			await session.executeManyAndRead(
				ordered.map((flow) => flow.id!),
				(result) => [result.workflowId, timeOf(result, runOf.get(result.workflowId)!)] as const,
			),
		);
		for (const [index, job] of jobs.entries()) {
			const measured: Partial<Record<Role, Measure>> = {};
			for (const contender of job.contenders) {
				const timed = runs
					.filter(
						(run) =>
							run.job === index && run.contender === contender && (contender.once || run.round > 0),
					)
					.map((run) => timeById.get(run.workflow.id!)!);
				measured[contender.role] = summarise(timed);
			}
			const result: JobResult = {
				benchmark: job.spec.benchmark,
				job: `${job.spec.job}, loopback`,
				where: 'n8n',
				node: measured.node!,
				floor: measured.floor,
				floorAuth: measured.floorAuth,
				httpRequest: measured.httpRequest,
				note: "time: the node's executionTime in the stored execution",
			};
			recordJob(result);
		}
	} finally {
		await session.dispose();
		for (const fake of [naimar, cmc, arara]) fake.child.send('stop');
	}
}

if (require.main === module) {
	main().then(
		() => process.exit(0),
		(error: unknown) => {
			console.error(error);
			process.exit(1);
		},
	);
}
