/**
 * Proves the e2e harness against the real n8n with built-in nodes only:
 *  - CLI: credentials + workflows imported in one call each, `n8n execute` (success and failure,
 *    real exit codes), `n8n execute-batch` (several workflows in one call), credentials decrypted
 *    by n8n and sent by the HTTP Request node to a local server;
 *  - server: `n8n start` with this package installed, a Webhook workflow activated over REST,
 *    called, and its execution read back.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import {
	N8nSession,
	PACKAGE_PREFIX,
	REPO_ROOT,
	executeWorkflow,
	randomId,
	type N8nServer,
	type WorkflowJson,
} from './n8n';

const manualTrigger = {
	id: 'n-start',
	name: 'Start',
	type: 'n8n-nodes-base.manualTrigger',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

function chain(name: string, nodes: WorkflowJson['nodes']): WorkflowJson {
	const all = [manualTrigger, ...nodes];
	const connections: Record<string, unknown> = {};
	for (let i = 0; i < all.length - 1; i++) {
		connections[all[i].name] = { main: [[{ node: all[i + 1].name, type: 'main', index: 0 }]] };
	}
	return {
		id: randomId('wf'),
		name,
		nodes: all,
		connections: connections as WorkflowJson['connections'],
	};
}

const setAndCode = chain('e2e set + code', [
	{
		id: 'n-set',
		name: 'Set',
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		position: [200, 0],
		parameters: {
			assignments: {
				assignments: [
					{ id: 'a1', name: 'hello', value: 'world', type: 'string' },
					{ id: 'a2', name: 'sum', value: '={{ 1 + 2 }}', type: 'number' },
				],
			},
			options: {},
		},
	},
	{
		id: 'n-code',
		name: 'Code',
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position: [400, 0],
		parameters: {
			jsCode:
				'return $input.all().map((item) => ({ json: { ...item.json, doubled: item.json.sum * 2 } }));',
		},
	},
]);

const failing = chain('e2e failing', [
	{
		id: 'n-fail',
		name: 'Boom',
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position: [200, 0],
		parameters: { jsCode: "throw new Error('boom from e2e');" },
	},
]);

const basicAuth = {
	id: randomId('cr'),
	name: 'E2E Basic',
	type: 'httpBasicAuth',
	data: { user: 'e2e-user', password: 'e2e-secret' },
};

function httpWithCredential(url: string): WorkflowJson {
	return chain('e2e http basic auth', [
		{
			id: 'n-http',
			name: 'HTTP',
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			position: [200, 0],
			parameters: {
				url,
				authentication: 'genericCredentialType',
				genericAuthType: 'httpBasicAuth',
				options: {},
			},
			credentials: { httpBasicAuth: { id: basicAuth.id, name: basicAuth.name } },
		},
	]);
}

const webhookWorkflow: WorkflowJson = {
	id: randomId('wh'),
	name: 'e2e webhook probe',
	nodes: [
		{
			id: 'n-webhook',
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: 'a6f3c0de-1c6e-4f60-9d7e-5e2e0b0e2e01',
			parameters: { httpMethod: 'POST', path: 'e2e-probe', responseMode: 'lastNode', options: {} },
		},
		{
			id: 'n-echo',
			name: 'Echo',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			position: [200, 0],
			parameters: {
				assignments: {
					assignments: [{ id: 'e1', name: 'got', value: '={{ $json.body.ping }}', type: 'string' }],
				},
				options: {},
			},
		},
	],
	connections: { Webhook: { main: [[{ node: 'Echo', type: 'main', index: 0 }]] } },
};

describe('e2e harness on the real n8n', () => {
	let session: N8nSession;
	let target: Server;
	let seen: IncomingHttpHeaders[] = [];
	let http: WorkflowJson;

	beforeAll(async () => {
		target = createServer((request, response) => {
			seen.push(request.headers);
			response.setHeader('content-type', 'application/json');
			response.end(JSON.stringify({ ok: true }));
		});
		await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
		http = httpWithCredential(`http://127.0.0.1:${(target.address() as AddressInfo).port}/probe`);
		session = await N8nSession.create();
		await session.import({
			credentials: [basicAuth],
			workflows: [setAndCode, failing, http, webhookWorkflow],
		});
	});

	afterAll(async () => {
		await session?.dispose();
		await new Promise((resolve) => target?.close(resolve));
	});

	it('executeWorkflow(): a fresh user folder, `n8n import:workflow` + `n8n execute`, each node’s output', async () => {
		const result = await executeWorkflow({ ...setAndCode, id: randomId('wf') });
		expect(result.exitCode).toBe(0);
		expect(result.status).toBe('success');
		expect(result.executedNodes()).toEqual(['Start', 'Set', 'Code']);
		expect(result.json('Code')).toEqual([{ hello: 'world', sum: 3, doubled: 6 }]);
	});

	it('N8nSession.execute(): a failing workflow gives exit code 1 and the node error', async () => {
		const result = await session.execute(failing.id!);
		expect(result.exitCode).toBe(1);
		expect(result.status).toBe('error');
		expect(result.error?.message).toContain('boom from e2e');
		expect(result.nodeError('Boom')?.message).toContain('boom from e2e');
	});

	it('runs several workflows in one execute-batch call; imported credentials are decrypted and used', async () => {
		seen = [];
		const [a, b, c] = await session.executeMany([setAndCode.id!, http.id!, failing.id!]);
		expect(a.status).toBe('success');
		expect(a.json('Code')).toEqual([{ hello: 'world', sum: 3, doubled: 6 }]);
		expect(b.status).toBe('success');
		expect(b.json('HTTP')).toEqual([{ ok: true }]);
		expect(seen).toHaveLength(1);
		expect(seen[0].authorization).toBe(
			`Basic ${Buffer.from('e2e-user:e2e-secret').toString('base64')}`,
		);
		expect(c.status).toBe('error');
		expect(c.error?.message).toContain('boom from e2e');
	});

	describe('server', () => {
		let server: N8nServer;

		beforeAll(async () => {
			server = await session.startServer({ activate: [webhookWorkflow.id!] });
		});

		afterAll(async () => {
			await server?.stop();
		});

		it('serves an activated Webhook workflow and records its execution', async () => {
			const response = await fetch(server.webhookUrl('e2e-probe'), {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ ping: 'pong' }),
			});
			expect(response.status).toBe(200);
			expect(await response.json()).toEqual({ got: 'pong' });

			const execution = await server.waitForExecution(webhookWorkflow.id!);
			expect(execution.mode).toBe('webhook');
			expect(execution.status).toBe('success');
			expect(execution.json('Webhook')[0]).toMatchObject({ body: { ping: 'pong' } });
			expect(execution.json('Echo')).toEqual([{ got: 'pong' }]);
		});

		it('has this package’s nodes and credentials loaded (as a community package)', async () => {
			const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
				n8n: { nodes: string[]; credentials: string[] };
			};
			const missing = [...pkg.n8n.nodes, ...pkg.n8n.credentials].filter(
				(file) => !existsSync(path.join(REPO_ROOT, file)),
			);
			if (missing.length > 0)
				throw new Error(`not built (run \`npm run build\`): ${missing.join(', ')}`);
			// what each listed file declares, read the way n8n's loader does: `new Class()` → description.name / name
			const declared = (
				file: string,
				pick: (instance: Record<string, any>) => string | undefined,
			) =>
				// eslint-disable-next-line @typescript-eslint/no-require-imports
				Object.values(
					require(path.join(REPO_ROOT, file)) as Record<string, new () => Record<string, any>>,
				)
					.filter((exported) => typeof exported === 'function')
					.map((Class) => pick(new Class()))
					.filter((name): name is string => Boolean(name));
			const loaded = await server.loadedTypes();
			for (const file of pkg.n8n.nodes) {
				const names = declared(file, (node) => node.description?.name);
				expect(names.length).toBeGreaterThan(0);
				for (const name of names) expect(loaded.nodes).toContain(PACKAGE_PREFIX + name);
			}
			for (const file of pkg.n8n.credentials) {
				const names = declared(file, (credential) => credential.name);
				expect(names.length).toBeGreaterThan(0);
				for (const name of names) expect(loaded.credentials).toContain(name);
			}
		});
	});
});
