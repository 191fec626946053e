/**
 * The main jobs inside the pinned n8n (`n8n execute-batch` on imported workflows), where
 * credentials come from n8n's database and are decrypted on every authenticated request: this
 * package's node, the floor (bench/BenchFloor.node.ts installed as a second community package) and
 * n8n's HTTP Request node, each in its own workflow, run one after another. Each time is the node's
 * own `executionTime` from the stored execution, so n8n's start-up does not count.
 *
 *   npm run build && npm run build:tools && N8N_RUNTIME_DIR=… node .build/bench/real-n8n.bench.js
 */
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { SANDBOX_CREDENTIALS as CMC_SANDBOX } from '../test/fakes/customers-mail-cloud';
import { SANDBOX_CREDENTIALS as NAIMAR_SANDBOX } from '../test/fakes/naimar-sms';
import { MANUAL_START, N8nSession, PACKAGE_PREFIX, randomId, type CredentialFixture, type ExecutionResult, type WorkflowJson } from '../test/e2e/n8n';
import { UNBLOCKED } from './customers-mail-cloud.bench';
import { askFake, scaled, startFakeInChild } from './lib';
import { repoRoot } from './http-request-node';
import { recordJob, type JobResult } from './results';

const FLOOR_PACKAGE = 'n8n-nodes-bench-floor';
const FLOOR_NODE_TYPE = `${FLOOR_PACKAGE}.benchFloor`;
const HTTP_REQUEST = 'n8n-nodes-base.httpRequest';
const NAIMAR_IDS = scaled(10_000);
const CMC_BLOCKS = scaled(100_000);
const PER_ITEM = scaled(1_000);
const IN_FLIGHT = 4;
const NODE = 'Job';

/** The floor as n8n installs a community package: <user folder>/.n8n/nodes/node_modules/<name>. */
function installFloor(userFolder: string): void {
	const target = path.join(userFolder, '.n8n', 'nodes', 'node_modules', FLOOR_PACKAGE);
	mkdirSync(path.join(target, 'dist', 'bench'), { recursive: true });
	const build = path.join(repoRoot(), '.build');
	cpSync(path.join(build, 'bench', 'BenchFloor.node.js'), path.join(target, 'dist', 'bench', 'BenchFloor.node.js'));
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

const credentialRef = (credential: CredentialFixture) => ({ [credential.type]: { id: credential.id, name: credential.name } });

/** Start → Items (the floor's "items" job: no Code node, no task runner) → the job's node. */
function workflow(name: string, items: IDataObject[], job: { type: string; typeVersion?: number; parameters: IDataObject; credential: CredentialFixture }): WorkflowJson {
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
				credentials: credentialRef(job.credential),
			},
		],
		connections: {
			Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
			Items: { main: [[{ node: NODE, type: 'main', index: 0 }]] },
		},
	};
}

interface Contender {
	role: 'node' | 'floor' | 'httpRequest';
	workflow: WorkflowJson;
	expected: number;
}

function timeOf(result: ExecutionResult, contender: Contender): { ms: number } {
	const task = result.runData[NODE]?.[0];
	if (!task || task.error) {
		throw new Error(`${contender.workflow.name}: ${task?.error?.message ?? result.error?.message ?? 'did not run'}`);
	}
	const count = task.data?.main?.[0]?.length ?? 0;
	if (count !== contender.expected) throw new Error(`${contender.workflow.name}: ${count} items, expected ${contender.expected}`);
	return { ms: task.executionTime };
}

export async function main(): Promise<void> {
	const build = path.join(repoRoot(), '.build', 'bench');
	const naimar = await startFakeInChild<{ url: string; ids: string[] }>(path.join(build, 'naimar-sms.bench.js'));
	const cmc = await startFakeInChild<{ url: string }>(path.join(build, 'customers-mail-cloud.bench.js'), {
		args: [String(CMC_BLOCKS)],
		execArgv: ['--max-old-space-size=4096'],
	});
	const arara = await startFakeInChild<{ url: string; credentials: IDataObject; ids: string[] }>(path.join(build, 'arara-message.bench.js'));
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
			naimar: { id: randomId('cr'), name: 'Naimar bench', type: 'naimarSmsApi', data: { username: NAIMAR_SANDBOX.username, password: NAIMAR_SANDBOX.password, baseUrl: naimar.ready.url } },
			cmc: { id: randomId('cr'), name: 'CMC bench', type: 'customersMailCloudApi', data: { ...CMC_SANDBOX, host: cmc.ready.url } },
			arara: {
				id: randomId('cr'),
				name: 'Arara bench',
				type: 'araraMessageOAuth2Api',
				data: { ...arara.ready.credentials, oauthTokenData: { access_token: token, token_type: 'Bearer', expires_in: 3600 } },
			},
		};
		const options = { concurrency: IN_FLIGHT };
		const jobs: Array<{ benchmark: string; job: string; contenders: Contender[] }> = [];

		const naimarItems = naimar.ready.ids.slice(0, NAIMAR_IDS).map((id) => ({ id }));
		jobs.push({
			benchmark: 'Naimar SMS',
			job: `Get delivery reports, ${NAIMAR_IDS.toLocaleString('en')} ids (batches of 100, ${IN_FLIGHT} in flight)`,
			contenders: [
				{
					role: 'node',
					expected: NAIMAR_IDS,
					workflow: workflow('naimar node', naimarItems, {
						type: `${PACKAGE_PREFIX}naimarSms`,
						parameters: { resource: 'deliveryReport', operation: 'get', messageIds: '={{ $json.id }}', options: { batchSize: 100, ...options } },
						credential: credentials.naimar,
					}),
				},
				{
					role: 'floor',
					expected: NAIMAR_IDS,
					workflow: workflow('naimar floor', naimarItems, { type: FLOOR_NODE_TYPE, parameters: { job: 'naimarGet', messageIds: '={{ $json.id }}', options }, credential: credentials.naimar }),
				},
				{
					role: 'httpRequest',
					expected: NAIMAR_IDS,
					workflow: workflow('naimar http', naimarItems, {
						type: HTTP_REQUEST,
						typeVersion: 4.2,
						parameters: {
							method: 'POST',
							url: `${naimar.ready.url}/rest/delivery/json/`,
							sendBody: true,
							contentType: 'json',
							specifyBody: 'json',
							jsonBody: `={{ JSON.stringify({ username: ${JSON.stringify(NAIMAR_SANDBOX.username)}, password: ${JSON.stringify(NAIMAR_SANDBOX.password)}, deliveries: [ { id: $json.id } ] }) }}`,
							options: {},
						},
						credential: credentials.naimar,
					}),
				},
			],
		});

		const emails = async () => (await askFake<{ emails: string[] }>(cmc.child, `block:${PER_ITEM}`)).emails.map((email) => ({ email }));
		const toUnblock = [await emails(), await emails(), await emails()];
		const listed = CMC_BLOCKS;
		jobs.push({
			benchmark: 'Customers Mail Cloud',
			job: `Get Many, Return All over ${listed.toLocaleString('en')} blocks (${IN_FLIGHT} in flight), loopback`,
			contenders: [
				{
					role: 'node',
					expected: listed,
					workflow: workflow('cmc list node', [{}], {
						type: `${PACKAGE_PREFIX}customersMailCloud`,
						parameters: { resource: 'block', operation: 'getAll', returnAll: true, options },
						credential: credentials.cmc,
					}),
				},
				{
					role: 'floor',
					expected: listed,
					workflow: workflow('cmc list floor', [{}], { type: FLOOR_NODE_TYPE, parameters: { job: 'cmcList', options }, credential: credentials.cmc }),
				},
			],
		});

		jobs.push({
			benchmark: 'Customers Mail Cloud',
			job: `Unblock Once, ${PER_ITEM.toLocaleString('en')} addresses (${IN_FLIGHT} in flight), loopback`,
			contenders: [
				{
					role: 'node',
					expected: PER_ITEM,
					workflow: workflow('cmc unblock node', toUnblock[0], {
						type: `${PACKAGE_PREFIX}customersMailCloud`,
						parameters: { resource: 'block', operation: 'cancel', serverComposition: UNBLOCKED, email: '={{ $json.email }}', options },
						credential: credentials.cmc,
					}),
				},
				{
					role: 'floor',
					expected: PER_ITEM,
					workflow: workflow('cmc unblock floor', toUnblock[1], {
						type: FLOOR_NODE_TYPE,
						parameters: { job: 'cmcUnblock', operation: 'cancel', serverComposition: UNBLOCKED, email: '={{ $json.email }}', options },
						credential: credentials.cmc,
					}),
				},
				{
					role: 'httpRequest',
					expected: PER_ITEM,
					workflow: workflow('cmc unblock http', toUnblock[2], {
						type: HTTP_REQUEST,
						typeVersion: 4.2,
						parameters: {
							method: 'POST',
							url: `${cmc.ready.url}/transaction/v2/blocks/cancel.json`,
							sendBody: true,
							contentType: 'form-urlencoded',
							bodyParameters: {
								parameters: [
									{ name: 'api_user', value: CMC_SANDBOX.apiUser },
									{ name: 'api_key', value: CMC_SANDBOX.apiKey },
									{ name: 'server_composition', value: UNBLOCKED },
									{ name: 'email', value: '={{ $json.email }}' },
								],
							},
							options: {},
						},
						credential: credentials.cmc,
					}),
				},
			],
		});

		const araraItems = arara.ready.ids.slice(0, PER_ITEM).map((id) => ({ id }));
		jobs.push({
			benchmark: 'Arara Message',
			job: `Get (by delivery id), ${araraItems.length.toLocaleString('en')} ids (${IN_FLIGHT} in flight), loopback`,
			contenders: [
				{
					role: 'node',
					expected: araraItems.length,
					workflow: workflow('arara get node', araraItems, {
						type: `${PACKAGE_PREFIX}araraMessage`,
						parameters: { resource: 'delivery', operation: 'get', deliveryId: '={{ $json.id }}', options },
						credential: credentials.arara,
					}),
				},
				{
					role: 'floor',
					expected: araraItems.length,
					workflow: workflow('arara get floor', araraItems, { type: FLOOR_NODE_TYPE, parameters: { job: 'araraGet', deliveryId: '={{ $json.id }}', options }, credential: credentials.arara }),
				},
				{
					role: 'httpRequest',
					expected: araraItems.length,
					workflow: workflow('arara get http', araraItems, {
						type: HTTP_REQUEST,
						typeVersion: 4.2,
						parameters: {
							method: 'GET',
							url: `=${arara.ready.url}/send/{{ $json.id }}`,
							authentication: 'predefinedCredentialType',
							nodeCredentialType: 'araraMessageOAuth2Api',
							options: {},
						},
						credential: credentials.arara,
					}),
				},
			],
		});

		// Warm-up: n8n loads a node's code when a workflow first uses it; one item of every job first.
		const warmUp = jobs.flatMap((job) =>
			job.contenders.map((contender) => {
				const copy = structuredClone(contender.workflow);
				copy.id = randomId('wf');
				const items = copy.nodes[1].parameters as IDataObject;
				items.itemsJson = JSON.stringify((JSON.parse(String(items.itemsJson)) as IDataObject[]).slice(0, 1));
				const node = copy.nodes[2].parameters as IDataObject;
				if (node.returnAll === true) Object.assign(node, { returnAll: false, limit: 1 });
				return copy;
			}),
		);
		// Unblocking the warm-up's one address twice would fail: warm up with reads only.
		const reads = warmUp.filter((flow) => !/unblock/.test(flow.name) && !/list floor/.test(flow.name));
		const all = jobs.flatMap((job) => job.contenders);
		const ordered = [...reads, ...all.map((contender) => contender.workflow)];
		// execute-batch runs workflows in the database's order: ids that sort (and insert) in run order.
		ordered.forEach((flow, index) => (flow.id = randomId(`wf${String(index).padStart(3, '0')}`)));
		await session.import({ credentials: Object.values(credentials), workflows: ordered });
		const results = await session.executeMany(ordered.map((flow) => flow.id!));
		const byWorkflow = new Map(results.map((result) => [result.workflowId, result]));
		for (const job of jobs) {
			const measured: Partial<Record<Contender['role'], { ms: number }>> = {};
			for (const contender of job.contenders) measured[contender.role] = timeOf(byWorkflow.get(contender.workflow.id!)!, contender);
			const result: JobResult = {
				benchmark: job.benchmark,
				job: job.job,
				where: 'n8n',
				node: measured.node!,
				floor: measured.floor,
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
