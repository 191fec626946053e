/**
 * End-to-end helpers: drive the REAL n8n (the pinned version in .n8n-runtime/, installed by
 * `node scripts/n8n-runtime.js install`) with this package installed the way users get it
 * (`<N8N_USER_FOLDER>/.n8n/nodes/node_modules/n8n-nodes-delivery-reports`, node types named
 * `n8n-nodes-delivery-reports.<name>`).
 *
 * Cost model: every n8n CLI call starts n8n (~5 s); a server start takes ~10 s. So:
 *  - one `N8nSession` (= one temp user folder) per test file,
 *  - import all credentials and all workflows of the file in ONE call each (`session.import`),
 *  - run several workflows at once with `session.executeMany` (one `n8n execute-batch` call),
 *    or one by one with `session.execute` (`n8n execute --id --rawOutput`, real exit code).
 *
 *   const session = await N8nSession.create();
 *   await session.import({ credentials: [cred], workflows: [wfA, wfB] });
 *   const [a, b] = await session.executeMany([wfA.id, wfB.id]);
 *   expect(a.json('My Node')).toEqual([...]);
 *   await session.dispose();
 *
 * One-shot: `executeWorkflow(workflow, { credentials })`.
 * Webhooks: `const server = await session.startServer({ activate: [wf.id] })`, call
 * `server.webhookUrl('path')`, then `await server.waitForExecution(wf.id)`; `await server.stop()`.
 *
 * Only 127.0.0.1 is ever contacted. Set N8N_E2E_KEEP=1 to keep the temp user folders (their path
 * is printed) and N8N_E2E_VERBOSE=1 to echo n8n's output.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { IDataObject, INodeExecutionData, IRun, ITaskData } from 'n8n-workflow';

// ---------------------------------------------------------------------------------------------
// scripts/n8n-runtime.js (plain CommonJS), found from the repo root so that this file also works
// when compiled into .build/test/e2e/.

interface RuntimeModule {
	ROOT: string;
	RUNTIME_DIR: string;
	N8N_VERSION: string;
	PACKAGE_NAME: string;
	n8nBin(): string;
	isInstalled(): boolean;
	freePort(): Promise<number>;
	n8nEnv(options: {
		userFolder?: string;
		port?: number;
		brokerPort?: number;
		extra?: Record<string, string>;
	}): Promise<NodeJS.ProcessEnv>;
	prepareUserFolder(userFolder: string, options?: { requireDist?: boolean }): string;
	runN8n(
		args: string[],
		options: { env?: NodeJS.ProcessEnv; userFolder?: string; timeoutMs?: number; cwd?: string },
	): Promise<{ code: number; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

function findRoot(start: string): string {
	let dir = start;
	for (;;) {
		if (
			existsSync(path.join(dir, 'scripts', 'n8n-runtime.js')) &&
			existsSync(path.join(dir, 'n8n-runtime', 'package.json'))
		) {
			return dir;
		}
		const parent = path.dirname(dir);
		if (parent === dir) throw new Error(`cannot find the repository root above ${start}`);
		dir = parent;
	}
}

export const REPO_ROOT = findRoot(__dirname);
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const runtime = require(path.join(REPO_ROOT, 'scripts', 'n8n-runtime.js')) as RuntimeModule;

export const PACKAGE_PREFIX = `${runtime.PACKAGE_NAME}.`;
const VERBOSE = process.env.N8N_E2E_VERBOSE === '1';
const KEEP = process.env.N8N_E2E_KEEP === '1';

function assertRuntime(): void {
	if (!runtime.isInstalled()) {
		throw new Error(
			`n8n ${runtime.N8N_VERSION} is not installed in ${runtime.RUNTIME_DIR}: run \`node scripts/n8n-runtime.js install\` ` +
				'(or `npm run test:e2e`, which does it first)',
		);
	}
}

// ---------------------------------------------------------------------------------------------
// Types

export interface CredentialFixture {
	/** Defaults to a random 16-character id. Nodes reference credentials by { id, name }. */
	id?: string;
	name: string;
	type: string;
	/** Plain (decrypted) data: `n8n import:credentials` encrypts it with the folder's key. */
	data: IDataObject;
}

export interface WorkflowJson {
	/** Defaults to a random id (16 characters, always with a digit: execute-batch needs one). */
	id?: string;
	versionId?: string;
	name: string;
	nodes: Array<IDataObject & { name: string; type: string }>;
	connections: IDataObject;
	settings?: IDataObject;
	active?: boolean;
	[key: string]: unknown;
}

export interface ExecutionResult {
	workflowId: string;
	/** `n8n execute`'s exit code (0 success, 1 when the workflow failed); null for batch/server runs. */
	exitCode: number | null;
	/** 'success' | 'error' | 'crashed' | 'canceled' | 'running' | ... (undefined when nothing ran) */
	status: string | undefined;
	/** The full run as n8n stored/printed it (IRun). */
	run: IRun | undefined;
	/** run.data.resultData.runData: node name → task data per run */
	runData: Record<string, ITaskData[]>;
	/** The workflow-level error (resultData.error), if any. */
	error: (IDataObject & { message?: string; description?: string | null }) | undefined;
	/** Items a node emitted (run `runIndex`, output `output`); [] when the node did not run. */
	items(nodeName: string, output?: number, runIndex?: number): INodeExecutionData[];
	/** Just the json of items(). */
	json(nodeName: string, output?: number, runIndex?: number): IDataObject[];
	/** The error a node threw (task data `error`), if any. */
	nodeError(nodeName: string, runIndex?: number): (IDataObject & { message?: string }) | undefined;
	/** Names of the nodes that ran. */
	executedNodes(): string[];
	stdout: string;
	stderr: string;
}

// ---------------------------------------------------------------------------------------------
// Helpers

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A random n8n-style id (16 characters) that always contains a digit. */
export function randomId(prefix = ''): string {
	const bytes = randomBytes(16);
	let id = prefix;
	for (let i = 0; id.length < 15; i++) id += ID_ALPHABET[bytes[i] % ID_ALPHABET.length];
	return `${id}${bytes[15] % 10}`;
}

function withIds(workflow: WorkflowJson): WorkflowJson & { id: string; versionId: string } {
	return {
		settings: { executionOrder: 'v1' },
		...workflow,
		id: workflow.id ?? randomId('wf'),
		versionId: workflow.versionId ?? randomUUID(),
		// import:workflow deactivates anyway; activation goes through the server (see N8nServer.activate)
		active: false,
	};
}

function credentialWithId(credential: CredentialFixture): CredentialFixture & { id: string } {
	return { ...credential, id: credential.id ?? randomId('cr') };
}

function log(message: string): void {
	if (VERBOSE) process.stderr.write(`${message}\n`);
}

/** Extracts the pretty-printed JSON object that `n8n execute --rawOutput` writes between log lines. */
export function parseRawOutput(stdout: string): IRun | undefined {
	const lines = stdout.split(/\r?\n/);
	const start = lines.findIndex((line) => line === '{');
	if (start === -1) return undefined;
	for (let end = start + 1; end < lines.length; end++) {
		if (lines[end] !== '}') continue;
		try {
			return JSON.parse(lines.slice(start, end + 1).join('\n')) as IRun;
		} catch {
			/* a "}" line inside a string: keep looking */
		}
	}
	return undefined;
}

/** Stored runs read back per database query: a query's rows travel as one JSON text, which has a size limit. */
const READ_AT_ONCE = 4;

function toResult(
	workflowId: string,
	run: IRun | undefined,
	extra: { exitCode: number | null; stdout?: string; stderr?: string },
): ExecutionResult {
	const runData = (run?.data?.resultData?.runData ?? {}) as Record<string, ITaskData[]>;
	const items = (nodeName: string, output = 0, runIndex = 0): INodeExecutionData[] =>
		runData[nodeName]?.[runIndex]?.data?.main?.[output] ?? [];
	return {
		workflowId,
		exitCode: extra.exitCode,
		status: run?.status,
		run,
		runData,
		error: run?.data?.resultData?.error as unknown as ExecutionResult['error'],
		items,
		json: (nodeName, output, runIndex) =>
			items(nodeName, output, runIndex).map((item) => item.json),
		nodeError: (nodeName, runIndex = 0) =>
			runData[nodeName]?.[runIndex]?.error as unknown as ExecutionResult['error'],
		executedNodes: () => Object.keys(runData),
		stdout: extra.stdout ?? '',
		stderr: extra.stderr ?? '',
	};
}

/** n8n stores execution data serialized with `flatted`: use n8n's own copy to read it. */
function unflatten(text: string): unknown {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const flatted = require(
		require.resolve('flatted', { paths: [path.join(runtime.RUNTIME_DIR, 'node_modules', 'n8n')] }),
	) as {
		parse(text: string): unknown;
	};
	return flatted.parse(text);
}

/**
 * Reads rows from the user folder's SQLite database with n8n's own sqlite3 addon, in a child
 * process (keeps the native addon out of Jest's module registry). n8n must not be running.
 */
async function queryDatabase(
	userFolder: string,
	sql: string,
	params: unknown[],
): Promise<Array<Record<string, unknown>>> {
	const script = `
		const [modulePath, file, sql, params] = JSON.parse(process.argv[1]);
		const sqlite3 = require(require.resolve('sqlite3', { paths: [modulePath] }));
		const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (error) => {
			if (error) { console.error(error.message); process.exit(2); }
			db.all(sql, params, (error, rows) => {
				if (error) { console.error(error.message); process.exit(3); }
				db.close(() => process.stdout.write(JSON.stringify(rows)));
			});
		});`;
	const file = path.join(userFolder, '.n8n', 'database.sqlite');
	const modulePath = path.join(runtime.RUNTIME_DIR, 'node_modules', 'n8n');
	const stdout = await new Promise<string>((resolve, reject) => {
		const child = spawn(
			process.execPath,
			['-e', script, JSON.stringify([modulePath, file, sql, params])],
			{
				stdio: ['ignore', 'pipe', 'pipe'],
			},
		);
		let out = '';
		let err = '';
		child.stdout.on('data', (chunk) => (out += chunk));
		child.stderr.on('data', (chunk) => (err += chunk));
		child.on('error', reject);
		child.on('close', (code) =>
			code === 0 ? resolve(out) : reject(new Error(`reading ${file} failed: ${err}`)),
		);
	});
	return JSON.parse(stdout) as Array<Record<string, unknown>>;
}

/** n8n servers started by this process: killed if the test process exits without stopping them. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
	for (const child of running) child.kill('SIGKILL');
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// Session: one N8N_USER_FOLDER

export interface SessionOptions {
	/** Use this folder instead of a fresh temporary one (it is not deleted by dispose()). */
	userFolder?: string;
	/** Install this package into the folder (needs `npm run build` first). Default true. */
	withPackage?: boolean;
	/** Extra environment for every n8n call. */
	env?: Record<string, string>;
}

export class N8nSession {
	readonly credentials = new Map<string, CredentialFixture & { id: string }>();
	readonly workflows = new Map<string, WorkflowJson & { id: string; versionId: string }>();
	private servers = new Set<N8nServer>();

	private constructor(
		readonly userFolder: string,
		private readonly env: NodeJS.ProcessEnv,
		private readonly temporary: boolean,
	) {}

	/** A fresh temporary user folder (with this package installed unless withPackage is false). */
	static async create(options: SessionOptions = {}): Promise<N8nSession> {
		assertRuntime();
		const temporary = !options.userFolder;
		const userFolder = options.userFolder ?? mkdtempSync(path.join(tmpdir(), 'n8n-e2e-'));
		if (options.withPackage ?? true) runtime.prepareUserFolder(userFolder);
		const env = await runtime.n8nEnv({ userFolder, extra: options.env });
		if (KEEP) process.stderr.write(`[n8n-e2e] user folder: ${userFolder}\n`);
		return new N8nSession(userFolder, env, temporary);
	}

	/** Runs one n8n CLI command in this folder. */
	async cli(args: string[], timeoutMs = 180_000) {
		if (this.servers.size > 0)
			throw new Error('stop the n8n server of this session before running CLI commands');
		const started = Date.now();
		const result = await runtime.runN8n(args, { env: this.env, timeoutMs, cwd: this.userFolder });
		log(
			`[n8n-e2e] n8n ${args.join(' ')} → ${result.code} in ${Date.now() - started} ms\n${result.stdout}\n${result.stderr}`,
		);
		if (result.signal === 'SIGKILL')
			throw new Error(
				`n8n ${args[0]} timed out after ${timeoutMs} ms\n${result.stdout}\n${result.stderr}`,
			);
		return result;
	}

	private writeTemp(name: string, data: unknown): string {
		const file = path.join(this.userFolder, `${name}-${randomBytes(4).toString('hex')}.json`);
		writeFileSync(file, JSON.stringify(data, null, 2));
		return file;
	}

	/** Imports all credentials (one CLI call) and all workflows (one CLI call). Returns the ids. */
	async import({
		credentials = [],
		workflows = [],
	}: {
		credentials?: CredentialFixture[];
		workflows?: WorkflowJson[];
	}) {
		const creds = credentials.map(credentialWithId);
		const flows = workflows.map(withIds);
		if (creds.length > 0) {
			const file = this.writeTemp('credentials', creds);
			const result = await this.cli(['import:credentials', `--input=${file}`]);
			rmSync(file, { force: true });
			if (result.code !== 0 || !/Successfully imported/.test(result.stdout + result.stderr)) {
				throw new Error(
					`n8n import:credentials failed (${result.code})\n${result.stdout}\n${result.stderr}`,
				);
			}
			for (const credential of creds) this.credentials.set(credential.id, credential);
		}
		if (flows.length > 0) {
			const file = this.writeTemp('workflows', flows);
			const result = await this.cli(['import:workflow', `--input=${file}`]);
			rmSync(file, { force: true });
			if (result.code !== 0 || !/Successfully imported/.test(result.stdout + result.stderr)) {
				throw new Error(
					`n8n import:workflow failed (${result.code})\n${result.stdout}\n${result.stderr}`,
				);
			}
			for (const workflow of flows) this.workflows.set(workflow.id, workflow);
		}
		return { credentialIds: creds.map((c) => c.id), workflowIds: flows.map((w) => w.id) };
	}

	/** `n8n execute --id=<id> --rawOutput`: one CLI call (~5 s); exitCode is n8n's. */
	async execute(workflowId: string): Promise<ExecutionResult> {
		const result = await this.cli(['execute', `--id=${workflowId}`, '--rawOutput']);
		let run = parseRawOutput(result.stdout);
		if (!run) {
			// not printed (e.g. n8n failed before running): take what the database has
			run = (await this.storedExecutions([workflowId]))[workflowId];
		}
		if (!run && result.code !== 0) {
			throw new Error(
				`n8n execute --id=${workflowId} failed (${result.code}) without a run\n${result.stdout}\n${result.stderr}`,
			);
		}
		return toResult(workflowId, run, {
			exitCode: result.code,
			stdout: result.stdout,
			stderr: result.stderr,
		});
	}

	/**
	 * Runs several workflows in ONE CLI call (`n8n execute-batch`, sequentially, no retries) and
	 * reads each run back from the database. exitCode is null (use `status`).
	 */
	async executeMany(workflowIds: string[]): Promise<ExecutionResult[]> {
		return await this.executeManyAndRead(workflowIds, (result) => result);
	}

	/**
	 * executeMany for runs too large to hold all at once (a benchmark's hundred runs of 100,000
	 * items): the runs are read back a few at a time, and each is kept only as `read` reduces it.
	 */
	async executeManyAndRead<T>(
		workflowIds: string[],
		reader: (result: ExecutionResult) => T,
	): Promise<T[]> {
		if (workflowIds.length === 0) return [];
		const bad = workflowIds.filter((id) => !/\d/.test(id) || id.includes(','));
		if (bad.length > 0)
			throw new Error(`execute-batch only accepts ids that contain a digit: ${bad.join(', ')}`);
		const before = await this.lastExecutionId();
		const output = path.join(this.userFolder, `batch-${randomBytes(4).toString('hex')}.json`);
		const result = await this.cli(
			[
				'execute-batch',
				`--ids=${workflowIds.join(',')}`,
				'--concurrency=1',
				'--retries=0',
				`--output=${output}`,
			],
			120_000 + 60_000 * workflowIds.length,
		);
		rmSync(output, { force: true });
		const read: T[] = [];
		const missing: string[] = [];
		for (let start = 0; start < workflowIds.length; start += READ_AT_ONCE) {
			const group = workflowIds.slice(start, start + READ_AT_ONCE);
			const runs = await this.storedExecutions(group, before);
			for (const id of group) {
				if (!runs[id]) missing.push(id);
				else
					read.push(
						reader(
							toResult(id, runs[id], {
								exitCode: null,
								stdout: result.stdout,
								stderr: result.stderr,
							}),
						),
					);
			}
		}
		if (missing.length > 0) {
			throw new Error(
				`n8n execute-batch did not run ${missing.join(', ')} (${result.code})\n${result.stdout}\n${result.stderr}`,
			);
		}
		return read;
	}

	private async lastExecutionId(): Promise<number> {
		if (!existsSync(path.join(this.userFolder, '.n8n', 'database.sqlite'))) return 0;
		const rows = await queryDatabase(
			this.userFolder,
			'SELECT MAX(CAST(id AS INTEGER)) AS id FROM execution_entity',
			[],
		);
		return Number(rows[0]?.id ?? 0);
	}

	/** Rows of a read-only SQL query on this folder's SQLite database (n8n must not be running). */
	async query(sql: string, params: unknown[] = []): Promise<Array<Record<string, unknown>>> {
		if (this.servers.size > 0)
			throw new Error('stop the n8n server of this session before reading its database');
		return await queryDatabase(this.userFolder, sql, params);
	}

	/** The newest stored execution of each workflow (after execution id `afterId`), as IRun. */
	async storedExecutions(workflowIds: string[], afterId = 0): Promise<Record<string, IRun>> {
		const placeholders = workflowIds.map(() => '?').join(',');
		const rows = await queryDatabase(
			this.userFolder,
			`SELECT e.id, e.workflowId, e.mode, e.status, e.finished, e.startedAt, e.stoppedAt, d.data
			   FROM execution_entity e JOIN execution_data d ON d.executionId = e.id
			  WHERE e.workflowId IN (${placeholders}) AND CAST(e.id AS INTEGER) > ?
			  ORDER BY CAST(e.id AS INTEGER) ASC`,
			[...workflowIds, afterId],
		);
		const runs: Record<string, IRun> = {};
		for (const row of rows) {
			runs[row.workflowId as string] = {
				data: unflatten(row.data as string),
				mode: row.mode,
				status: row.status,
				finished: Boolean(row.finished),
				startedAt: row.startedAt,
				stoppedAt: row.stoppedAt,
			} as unknown as IRun;
		}
		return runs;
	}

	/** Starts `n8n start` on this folder (see startN8nServer). CLI calls are refused while it runs. */
	async startServer(options: ServerOptions = {}): Promise<N8nServer> {
		let started: N8nServer | undefined;
		const server = await N8nServer.start(this.userFolder, this.env, options, () => {
			if (started) this.servers.delete(started);
		});
		started = server;
		this.servers.add(server);
		return server;
	}

	/** Stops running servers and deletes the temporary user folder (unless N8N_E2E_KEEP=1). */
	async dispose(): Promise<void> {
		for (const server of [...this.servers]) await server.stop();
		if (this.temporary && !KEEP) rmSync(this.userFolder, { recursive: true, force: true });
	}
}

// ---------------------------------------------------------------------------------------------
// Server

export interface ServerOptions {
	/** Port on 127.0.0.1 (default: a free one). */
	port?: number;
	/** Workflow ids to activate once the server is up (through the REST API, as the editor does). */
	activate?: string[];
	/** Owner account to set up (fresh folder) or log in with. */
	owner?: { email: string; password: string; firstName?: string; lastName?: string };
	/** How long to wait for /healthz/readiness. Default 90 s. */
	readyTimeoutMs?: number;
}

export const E2E_OWNER = {
	email: 'owner@example.com',
	password: 'E2eOwner-Passw0rd',
	firstName: 'E2E',
	lastName: 'Owner',
};

interface ExecutionSummary {
	id: string;
	workflowId: string;
	status: string;
	mode: string;
	finished?: boolean;
	startedAt?: string;
	stoppedAt?: string;
}

const BROWSER_ID = 'n8n-e2e-harness';
const DONE = new Set(['success', 'error', 'crashed', 'canceled']);

export class N8nServer {
	private cookie = '';
	private exited = false;
	/** Learnt from the first credential test (see testCredential). */
	private testNeedsStoredCredential = false;
	private output = '';

	private constructor(
		readonly baseUrl: string,
		readonly port: number,
		private readonly child: ChildProcess,
		private readonly onStop: () => void,
	) {
		child.once('exit', () => (this.exited = true));
	}

	static async start(
		userFolder: string,
		baseEnv: NodeJS.ProcessEnv,
		options: ServerOptions,
		onStop: () => void,
	): Promise<N8nServer> {
		assertRuntime();
		const port = options.port ?? (await runtime.freePort());
		const env = {
			...baseEnv,
			N8N_PORT: String(port),
			N8N_RUNNERS_BROKER_PORT: String(await runtime.freePort()),
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
		};
		const child = spawn(process.execPath, [runtime.n8nBin(), 'start'], {
			env,
			cwd: userFolder,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		running.add(child);
		child.once('exit', () => running.delete(child));
		const server = new N8nServer(`http://127.0.0.1:${port}`, port, child, onStop);
		const collect = (chunk: Buffer) => {
			server.output += chunk.toString();
			if (server.output.length > 200_000) server.output = server.output.slice(-100_000);
			if (VERBOSE) process.stderr.write(chunk);
		};
		child.stdout?.on('data', collect);
		child.stderr?.on('data', collect);
		try {
			await server.waitReady(options.readyTimeoutMs ?? 90_000);
			await server.login(options.owner ?? E2E_OWNER);
			for (const id of options.activate ?? []) await server.activate(id);
		} catch (error) {
			await server.stop();
			throw error;
		}
		return server;
	}

	/** n8n's output so far (for failure messages). */
	get logs(): string {
		return this.output;
	}

	webhookUrl(webhookPath: string): string {
		return `${this.baseUrl}/webhook/${webhookPath.replace(/^\//, '')}`;
	}

	private async waitReady(timeoutMs: number): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (this.exited) throw new Error(`n8n start exited early\n${this.output}`);
			try {
				// /healthz/readiness answers before the REST routes are mounted: wait for both
				const ready = await fetch(`${this.baseUrl}/healthz/readiness`);
				if (ready.status === 200) {
					const settings = await fetch(`${this.baseUrl}/rest/settings`, {
						headers: { 'browser-id': BROWSER_ID },
					});
					if (settings.status === 200) return;
				}
			} catch {
				/* not listening yet */
			}
			await sleep(300);
		}
		throw new Error(`n8n did not become ready within ${timeoutMs} ms\n${this.output}`);
	}

	/** fetch() on this server with the owner's session cookie (e.g. `/types/nodes.json`). */
	async fetch(pathname: string, init: RequestInit = {}): Promise<Response> {
		return await fetch(`${this.baseUrl}${pathname}`, {
			...init,
			headers: {
				'browser-id': BROWSER_ID,
				...(this.cookie ? { cookie: this.cookie } : {}),
				...(init.headers as Record<string, string>),
			},
		});
	}

	/** Names of the node types / credential types this n8n has loaded. */
	async loadedTypes(): Promise<{ nodes: string[]; credentials: string[] }> {
		const names = async (pathname: string) =>
			((await (await this.fetch(pathname)).json()) as Array<{ name: string }>).map(
				(type) => type.name,
			);
		return {
			nodes: await names('/types/nodes.json'),
			credentials: await names('/types/credentials.json'),
		};
	}

	/** A REST call to /rest/... with the owner's cookie; returns `data` of the JSON answer. */
	async rest<T = unknown>(method: string, route: string, body?: unknown): Promise<T> {
		const response = await fetch(`${this.baseUrl}/rest${route}`, {
			method,
			headers: {
				'content-type': 'application/json',
				'browser-id': BROWSER_ID,
				...(this.cookie ? { cookie: this.cookie } : {}),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const setCookie = response.headers.getSetCookie?.() ?? [];
		const auth = setCookie.find((value) => value.startsWith('n8n-auth='));
		if (auth) this.cookie = auth.split(';')[0];
		const text = await response.text();
		if (!response.ok) {
			const error = new Error(
				`${method} /rest${route} → ${response.status}: ${text.slice(0, 500)}`,
			) as Error & { status: number };
			error.status = response.status;
			throw error;
		}
		return (text ? (JSON.parse(text) as { data: T }).data : undefined) as T;
	}

	/**
	 * Presses the credential dialog's Test button for `credential` (not stored yet), as this n8n's
	 * editor does. n8n 2.8 tests the data as sent. Newer n8n (2.41) only tests a stored credential
	 * (`credentials.id` is required): its editor saves the credential first and tests it by id with
	 * the data (deleting it again when it fails; here it is always deleted, so nothing is left over).
	 * Which one applies is found out from the server's answer (400 naming the id), once per server.
	 */
	async testCredential(credential: {
		type: string;
		data: Record<string, unknown>;
		name?: string;
	}): Promise<{ status: string; message: string }> {
		const name = credential.name ?? `Test ${credential.type}`;
		if (!this.testNeedsStoredCredential) {
			try {
				return await this.rest('POST', '/credentials/test', {
					credentials: { name, type: credential.type, data: credential.data },
				});
			} catch (error) {
				const { status, message } = error as { status?: number; message?: string };
				if (status !== 400 || !/\bid\b/.test(message ?? '')) throw error;
				this.testNeedsStoredCredential = true;
			}
		}
		const stored = await this.rest<{ id: string }>('POST', '/credentials', {
			name,
			type: credential.type,
			data: credential.data,
		});
		try {
			return await this.rest('POST', '/credentials/test', {
				credentials: { id: stored.id, name, type: credential.type, data: credential.data },
			});
		} finally {
			await this.rest('DELETE', `/credentials/${stored.id}`);
		}
	}

	/** Sets up the owner on a fresh instance, or logs in when one exists. */
	private async login(owner: NonNullable<ServerOptions['owner']>): Promise<void> {
		try {
			await this.rest('POST', '/owner/setup', {
				email: owner.email,
				password: owner.password,
				firstName: owner.firstName ?? 'E2E',
				lastName: owner.lastName ?? 'Owner',
			});
		} catch (error) {
			if ((error as { status?: number }).status !== 400) throw error;
			await this.rest('POST', '/login', {
				emailOrLdapLoginId: owner.email,
				password: owner.password,
			});
		}
	}

	/** Activates (publishes) a workflow through the REST API; its webhooks are live when this returns. */
	async activate(workflowId: string): Promise<void> {
		const workflow = await this.rest<{ versionId: string; active: boolean }>(
			'GET',
			`/workflows/${workflowId}`,
		);
		await this.rest('POST', `/workflows/${workflowId}/activate`, { versionId: workflow.versionId });
		await this.waitUntilPublished(workflowId);
	}

	/**
	 * n8n 2.36+ publishes an activated workflow asynchronously (a publication outbox): its webhooks
	 * and polls go live a moment after the activate call returns. Older n8n has no such endpoint
	 * (404): activation was synchronous there.
	 */
	private async waitUntilPublished(workflowId: string, timeoutMs = 60_000): Promise<void> {
		const [major, minor] = runtime.N8N_VERSION.split('.').map(Number);
		if (major < 2 || (major === 2 && minor < 36)) return;
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			let status: string | undefined;
			try {
				status = (
					await this.rest<{ status?: string }>('GET', `/workflows/${workflowId}/publication-status`)
				)?.status;
			} catch (error) {
				if ((error as { status?: number }).status === 404) return;
				throw error;
			}
			if (status === 'published') return;
			if (status === 'failed' || status === 'partial')
				throw new Error(
					`n8n could not publish workflow ${workflowId} (${status})\n${this.output.slice(-4000)}`,
				);
			if (Date.now() > deadline)
				throw new Error(`workflow ${workflowId} still "${status}" after ${timeoutMs} ms`);
			await sleep(250);
		}
	}

	async deactivate(workflowId: string): Promise<void> {
		await this.rest('POST', `/workflows/${workflowId}/deactivate`, {});
	}

	/** Executions of a workflow, newest first (summaries, no data). */
	async executions(workflowId: string, limit = 20): Promise<ExecutionSummary[]> {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const answer = await this.rest<{ results: ExecutionSummary[] }>(
			'GET',
			`/executions?filter=${filter}&limit=${limit}`,
		);
		return answer.results;
	}

	/** One execution with its data (IRun-like: data, status, mode, ...). */
	async execution(executionId: string): Promise<ExecutionResult & { id: string; mode: string }> {
		const stored = await this.rest<ExecutionSummary & { data: string }>(
			'GET',
			`/executions/${executionId}`,
		);
		const run = { ...stored, data: unflatten(stored.data) } as unknown as IRun;
		return {
			...toResult(stored.workflowId, run, { exitCode: null }),
			id: stored.id,
			mode: stored.mode,
		};
	}

	/** The newest execution of the workflow (with data), or undefined. */
	async lastExecution(workflowId: string) {
		const [newest] = await this.executions(workflowId, 1);
		return newest ? await this.execution(newest.id) : undefined;
	}

	/**
	 * Waits until the workflow has a finished execution newer than `afterExecutionId` (default: any)
	 * and returns it with its data. Take `afterExecutionId` from `(await server.lastExecution(id))?.id`
	 * before triggering when the workflow may already have executions.
	 */
	async waitForExecution(
		workflowId: string,
		{
			afterExecutionId,
			timeoutMs = 30_000,
		}: { afterExecutionId?: string; timeoutMs?: number } = {},
	) {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const [newest] = await this.executions(workflowId, 1);
			if (
				newest &&
				(afterExecutionId === undefined || Number(newest.id) > Number(afterExecutionId)) &&
				DONE.has(newest.status)
			) {
				return await this.execution(newest.id);
			}
			if (Date.now() > deadline)
				throw new Error(
					`no finished execution of ${workflowId} within ${timeoutMs} ms (newest: ${JSON.stringify(newest)})`,
				);
			await sleep(250);
		}
	}

	/** Stops n8n (SIGTERM: n8n shuts its task runner down; SIGKILL after 15 s). */
	async stop(): Promise<void> {
		this.onStop();
		if (this.exited || this.child.pid === undefined) return;
		const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
		this.child.kill('SIGTERM');
		const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
		await exited;
		clearTimeout(timer);
	}
}

// ---------------------------------------------------------------------------------------------
// One-shot helpers

/**
 * Imports the credentials and the workflow into a fresh user folder and runs it with
 * `n8n execute --rawOutput` (3 CLI calls, ~15 s). For several workflows use N8nSession.
 */
export async function executeWorkflow(
	workflow: WorkflowJson,
	{
		credentials = [],
		withPackage,
	}: { credentials?: CredentialFixture[]; withPackage?: boolean } = {},
): Promise<ExecutionResult> {
	const session = await N8nSession.create({ withPackage });
	try {
		const { workflowIds } = await session.import({ credentials, workflows: [workflow] });
		return await session.execute(workflowIds[0]);
	} finally {
		await session.dispose();
	}
}

/** Several workflows, one fresh folder, 3 CLI calls in all (import credentials, import workflows, execute-batch). */
export async function executeWorkflows(
	workflows: WorkflowJson[],
	{
		credentials = [],
		withPackage,
	}: { credentials?: CredentialFixture[]; withPackage?: boolean } = {},
): Promise<ExecutionResult[]> {
	const session = await N8nSession.create({ withPackage });
	try {
		const { workflowIds } = await session.import({ credentials, workflows });
		return await session.executeMany(workflowIds);
	} finally {
		await session.dispose();
	}
}

/**
 * Starts `n8n start` on 127.0.0.1 in a fresh user folder with this package, the given credentials
 * and workflows imported, and `activate` (default: all given workflows) activated.
 * `server.stop()` also deletes the folder.
 */
export async function startN8nServer({
	port,
	credentials = [],
	workflows = [],
	activate,
	withPackage,
}: {
	port?: number;
	credentials?: CredentialFixture[];
	workflows?: WorkflowJson[];
	activate?: string[];
	withPackage?: boolean;
} = {}): Promise<N8nServer & { session: N8nSession }> {
	const session = await N8nSession.create({ withPackage });
	try {
		const { workflowIds } = await session.import({ credentials, workflows });
		const server = await session.startServer({ port, activate: activate ?? workflowIds });
		const stop = server.stop.bind(server);
		return Object.assign(server, {
			session,
			stop: async () => {
				await stop();
				await session.dispose();
			},
		});
	} catch (error) {
		await session.dispose();
		throw error;
	}
}

/** Reads a JSON fixture (workflow or credentials) relative to the repo root. */
export function readJson<T = unknown>(relativePath: string): T {
	return JSON.parse(readFileSync(path.join(REPO_ROOT, relativePath), 'utf8')) as T;
}

// ---------------------------------------------------------------------------------------------
// Workflow building

/** The manual trigger the provider workflows start from. */
export const MANUAL_START = {
	id: 'start',
	name: 'Start',
	type: 'n8n-nodes-base.manualTrigger',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/** A node of this package that uses `credential` (referenced by id and name, as n8n stores it). */
export function packageNode(node: {
	/** The node type without the package prefix, e.g. "naimarSms". */
	type: string;
	name: string;
	credential: CredentialFixture;
	parameters: IDataObject;
	position: [number, number];
	/** More node fields, e.g. onError. */
	extra?: IDataObject;
}): WorkflowJson['nodes'][number] {
	return {
		id: randomId('nd'),
		name: node.name,
		type: `${PACKAGE_PREFIX}${node.type}`,
		typeVersion: 1,
		position: node.position,
		parameters: node.parameters,
		credentials: { [node.credential.type]: { id: node.credential.id, name: node.credential.name } },
		...node.extra,
	};
}

/** A workflow whose manual Start feeds every branch, run top to bottom. */
export function fanOutWorkflow(name: string, branches: WorkflowJson['nodes']): WorkflowJson {
	return {
		id: randomId('wf'),
		name,
		nodes: [MANUAL_START, ...branches],
		connections: {
			Start: { main: [branches.map((node) => ({ node: node.name, type: 'main', index: 0 }))] },
		},
	};
}

/** A provider's shipped example workflow and its sandbox credential, the credential's `data` overridden (e.g. pointed at a fake). */
export function shippedExample(
	provider: string,
	data: IDataObject,
): { example: WorkflowJson; sandbox: CredentialFixture } {
	const example = readJson<WorkflowJson>(`examples/${provider}.json`);
	const [sandbox] = readJson<CredentialFixture[]>(`examples/credentials/${provider}.json`);
	return { example, sandbox: { ...sandbox, data: { ...sandbox.data, ...data } } };
}
