/**
 * n8n in queue mode on loopback, for e2e tests: Debian's redis-server and a throwaway Postgres
 * cluster, one n8n main (`n8n start`, EXECUTIONS_MODE=queue) and N `n8n worker` processes, each
 * with its own N8N_USER_FOLDER holding this package the way users install it (see n8n.ts), all
 * sharing the database, the Redis queue and the encryption key.
 *
 *   const cluster = await QueueCluster.start({ workers: 2, credentials, workflows });
 *   const execution = await cluster.runManually(workflowId);   // REST, as the editor does
 *   await cluster.sql('SELECT count(*) FROM execution_entity');
 *   await cluster.stop();                                       // everything, also on failure
 *
 * Postgres refuses to run as root: when the test runs as root, the cluster folder belongs to the
 * `postgres` system user and initdb/postgres run as that user (spawn's uid/gid). When redis-server
 * or Postgres is missing, `ensureQueueBinaries()` installs them with apt-get (as root) or says
 * what to install.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
	chmodSync,
	chownSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	rmSync,
} from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import {
	N8nSession,
	runtime,
	type CredentialFixture,
	type N8nServer,
	type WorkflowJson,
} from './n8n';

/** The Node that runs the selected runtime's n8n (scripts/n8n-runtime.js; Node 24 for the current line). */
const nodeBin = () => (runtime as typeof runtime & { nodeBin(): string }).nodeBin();

const VERBOSE = process.env.N8N_E2E_VERBOSE === '1';
const KEEP = process.env.N8N_E2E_KEEP === '1';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Child processes of this module: killed if the test process exits without stopping them. */
const children = new Set<ChildProcess>();
process.once('exit', () => {
	for (const child of children) child.kill('SIGKILL');
});

// ---------------------------------------------------------------------------------------------
// Binaries

interface QueueBinaries {
	redisServer: string;
	/** Folder with initdb, postgres, psql, createdb (e.g. /usr/lib/postgresql/15/bin). */
	postgresBin: string;
}

function findBinaries(): Partial<QueueBinaries> {
	const redisServer = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((file) =>
		existsSync(file),
	);
	let postgresBin: string | undefined;
	const root = '/usr/lib/postgresql';
	if (existsSync(root)) {
		const versions = readdirSync(root)
			.filter((name) => existsSync(path.join(root, name, 'bin', 'initdb')))
			.sort((a, b) => Number(b) - Number(a));
		if (versions.length > 0) postgresBin = path.join(root, versions[0], 'bin');
	}
	return { redisServer, postgresBin };
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** Finds redis-server and Postgres; installs both with apt-get when missing and running as root. */
export function ensureQueueBinaries(): QueueBinaries {
	let found = findBinaries();
	if (found.redisServer && found.postgresBin) return found as QueueBinaries;
	const packages = 'redis-server postgresql';
	if (!isRoot() || !existsSync('/usr/bin/apt-get')) {
		throw new Error(
			`queue-mode e2e needs redis-server and PostgreSQL (${found.redisServer ? '' : 'redis-server missing; '}` +
				`${found.postgresBin ? '' : 'no /usr/lib/postgresql/*/bin/initdb; '}install them: sudo apt-get install -y ${packages})`,
		);
	}
	process.stderr.write(`[queue-e2e] installing ${packages} with apt-get\n`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	for (const args of [
		['update', '-qq'],
		['install', '-y', '-qq', ...packages.split(' ')],
	]) {
		const result = spawnSync('apt-get', args, { env, encoding: 'utf8' });
		if (result.status !== 0)
			throw new Error(
				`apt-get ${args.join(' ')} failed (${result.status})\n${result.stdout}\n${result.stderr}`,
			);
	}
	found = findBinaries();
	if (!found.redisServer || !found.postgresBin)
		throw new Error('apt-get ran, but redis-server or initdb is still missing');
	return found as QueueBinaries;
}

// ---------------------------------------------------------------------------------------------
// Processes

/** A child process whose output is kept (and echoed with N8N_E2E_VERBOSE=1). */
class Managed {
	output = '';
	exited = false;
	exitCode: number | null = null;

	constructor(
		readonly name: string,
		readonly child: ChildProcess,
	) {
		children.add(child);
		const collect = (chunk: Buffer) => {
			this.output += chunk.toString();
			if (this.output.length > 2_000_000) this.output = this.output.slice(-1_000_000);
			if (VERBOSE) process.stderr.write(`[${name}] ${chunk}`);
		};
		child.stdout?.on('data', collect);
		child.stderr?.on('data', collect);
		child.once('exit', (code) => {
			this.exited = true;
			this.exitCode = code;
			children.delete(child);
		});
	}

	static spawn(
		name: string,
		command: string,
		args: string[],
		options: Parameters<typeof spawn>[2],
	): Managed {
		return new Managed(
			name,
			spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] }),
		);
	}

	/** Signals the process and waits for it to exit (SIGKILL after `graceMs`). */
	async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000): Promise<void> {
		if (this.exited) return;
		const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
		this.child.kill(signal);
		const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
		await exited;
		clearTimeout(timer);
	}

	async waitForOutput(pattern: RegExp, timeoutMs: number): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (!pattern.test(this.output)) {
			if (this.exited)
				throw new Error(
					`${this.name} exited (${this.exitCode}) before ${pattern}\n${this.output.slice(-4000)}`,
				);
			if (Date.now() > deadline)
				throw new Error(
					`${this.name}: no ${pattern} within ${timeoutMs} ms\n${this.output.slice(-4000)}`,
				);
			await sleep(200);
		}
	}
}

function accountIds(user: string): { uid: number; gid: number } {
	const id = (flag: string) =>
		Number(spawnSync('id', [flag, user], { encoding: 'utf8' }).stdout.trim());
	const uid = id('-u');
	const gid = id('-g');
	if (!Number.isInteger(uid) || !Number.isInteger(gid) || uid <= 0)
		throw new Error(`no system user "${user}" (install postgresql)`);
	return { uid, gid };
}

function run(
	command: string,
	args: string[],
	options: { uid?: number; gid?: number; env?: NodeJS.ProcessEnv } = {},
): string {
	const result = spawnSync(command, args, { ...options, encoding: 'utf8' });
	if (result.status !== 0) {
		throw new Error(
			`${path.basename(command)} ${args.join(' ')} failed (${result.status})\n${result.stdout}\n${result.stderr}`,
		);
	}
	return result.stdout;
}

async function waitForPort(port: number, timeoutMs: number, what: string): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const open = await new Promise<boolean>((resolve) => {
			const socket = connect(port, '127.0.0.1');
			socket.once('connect', () => {
				socket.destroy();
				resolve(true);
			});
			socket.once('error', () => resolve(false));
		});
		if (open) return;
		if (Date.now() > deadline)
			throw new Error(`${what} did not listen on 127.0.0.1:${port} within ${timeoutMs} ms`);
		await sleep(200);
	}
}

/** A throwaway Postgres cluster on 127.0.0.1 (trust auth, user and database `n8n`, no fsync). */
export class Postgres {
	private constructor(
		readonly port: number,
		private readonly bin: string,
		private readonly process: Managed,
	) {}

	static async start(bin: string, folder: string): Promise<Postgres> {
		const data = path.join(folder, 'pg');
		const owner: { uid?: number; gid?: number } = isRoot() ? accountIds('postgres') : {};
		if (isRoot()) chownSync(folder, owner.uid!, owner.gid!);
		run(
			path.join(bin, 'initdb'),
			['-D', data, '-A', 'trust', '-U', 'n8n', '-E', 'UTF8', '--no-sync'],
			owner,
		);
		const port = await runtime.freePort();
		const server = Managed.spawn(
			'postgres',
			path.join(bin, 'postgres'),
			[
				'-D',
				data,
				'-p',
				String(port),
				'-k',
				folder,
				'-c',
				'listen_addresses=127.0.0.1',
				'-c',
				'fsync=off',
				'-c',
				'synchronous_commit=off',
				'-c',
				'full_page_writes=off',
			],
			{ ...owner, cwd: folder },
		);
		const postgres = new Postgres(port, bin, server);
		try {
			await waitForPort(port, 30_000, 'postgres');
			await server.waitForOutput(/ready to accept connections/, 30_000);
			run(path.join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'n8n', 'n8n']);
		} catch (error) {
			await postgres.stop();
			throw error;
		}
		return postgres;
	}

	/** Runs one SQL statement with psql; rows as arrays of text cells. */
	query(sql: string): string[][] {
		const out = run(path.join(this.bin, 'psql'), [
			'-h',
			'127.0.0.1',
			'-p',
			String(this.port),
			'-U',
			'n8n',
			'-d',
			'n8n',
			'-XAt',
			'-F',
			'\t',
			'-v',
			'ON_ERROR_STOP=1',
			'-c',
			sql,
		]);
		return out
			.split('\n')
			.filter((line) => line !== '')
			.map((line) => line.split('\t'));
	}

	/** Fast shutdown (SIGINT: rolls back open transactions, no checkpoint wait). */
	async stop(): Promise<void> {
		await this.process.stop('SIGINT', 10_000);
	}
}

/** redis-server on 127.0.0.1 without persistence, as a child process. */
export class Redis {
	private constructor(
		readonly port: number,
		private readonly process: Managed,
	) {}

	static async start(binary: string, folder: string): Promise<Redis> {
		const port = await runtime.freePort();
		const server = Managed.spawn(
			'redis',
			binary,
			[
				'--port',
				String(port),
				'--bind',
				'127.0.0.1',
				'--save',
				'',
				'--appendonly',
				'no',
				'--dir',
				folder,
				'--protected-mode',
				'yes',
			],
			{ cwd: folder },
		);
		const redis = new Redis(port, server);
		try {
			await server.waitForOutput(/Ready to accept connections/, 30_000);
		} catch (error) {
			await redis.stop();
			throw error;
		}
		return redis;
	}

	async stop(): Promise<void> {
		await this.process.stop('SIGTERM', 10_000);
	}
}

// ---------------------------------------------------------------------------------------------
// n8n workers

/** One `n8n worker` process with its own user folder and health-check port. */
export class Worker {
	private constructor(
		readonly name: string,
		readonly userFolder: string,
		private readonly process: Managed,
	) {}

	static async start(name: string, env: NodeJS.ProcessEnv, userFolder: string): Promise<Worker> {
		const healthPort = await runtime.freePort();
		const process = Managed.spawn(
			name,
			nodeBin(),
			[runtime.n8nBin(), 'worker', '--concurrency=5'],
			{
				cwd: userFolder,
				env: {
					...env,
					QUEUE_HEALTH_CHECK_ACTIVE: 'true',
					QUEUE_HEALTH_CHECK_PORT: String(healthPort),
					N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
					N8N_RUNNERS_BROKER_PORT: String(await runtime.freePort()),
					N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
				},
			},
		);
		const worker = new Worker(name, userFolder, process);
		try {
			await process.waitForOutput(/n8n worker is now ready/, 180_000);
			await waitForPort(healthPort, 30_000, name);
		} catch (error) {
			await worker.stop();
			throw error;
		}
		return worker;
	}

	get pid(): number | undefined {
		return this.process.child.pid;
	}

	get alive(): boolean {
		return !this.process.exited;
	}

	get logs(): string {
		return this.process.output;
	}

	/** Ids of the executions this worker started ("Worker started execution <id> (job <n>)"). */
	startedExecutions(): string[] {
		return [...this.logs.matchAll(/Worker started execution (\d+) \(job/g)].map(
			(match) => match[1],
		);
	}

	/** Resolves once this worker has started the execution. */
	async waitUntilStarted(executionId: string, timeoutMs = 60_000): Promise<void> {
		await this.process.waitForOutput(
			new RegExp(`Worker started execution ${executionId} \\(job`),
			timeoutMs,
		);
	}

	/** Stops the worker the way an orchestrator does (SIGTERM: finishes running jobs first). */
	async stop(): Promise<void> {
		await this.process.stop('SIGTERM', 20_000);
	}

	/** Kills the worker without notice (SIGKILL), as a crashed machine would; waits for its exit. */
	async kill(): Promise<void> {
		await this.process.stop('SIGKILL', 5_000);
	}
}

// ---------------------------------------------------------------------------------------------
// The cluster

/**
 * A read through the main, tried again when the connection broke: under load the main may close a
 * kept-alive connection just as the next request goes out on it ("fetch failed: other side closed").
 */
export async function idempotent<T>(read: () => Promise<T>, attempts = 3): Promise<T> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await read();
		} catch (error) {
			if (
				attempt >= attempts ||
				!(error instanceof TypeError && /fetch failed/.test(error.message))
			)
				throw error;
			await sleep(500);
		}
	}
}

export interface QueueClusterOptions {
	workers?: number;
	credentials?: CredentialFixture[];
	workflows?: WorkflowJson[];
	/** Extra environment for the main and every worker. */
	env?: Record<string, string>;
}

interface ExecutionRow {
	id: string;
	workflowId: string;
	status: string;
	mode: string;
	finished: boolean;
}

const FINISHED = new Set(['success', 'error', 'crashed', 'canceled']);

export class QueueCluster {
	readonly workers: Worker[] = [];
	main?: N8nServer;
	session?: N8nSession;
	private postgres?: Postgres;
	private redis?: Redis;

	private constructor(readonly folder: string) {}

	/**
	 * Starts Redis, Postgres, imports the credentials and workflows (n8n CLI, which also runs the
	 * migrations), then the main and the workers. Stops whatever started when a step fails.
	 */
	static async start(options: QueueClusterOptions = {}): Promise<QueueCluster> {
		const binaries = ensureQueueBinaries();
		const folder = mkdtempSync(path.join(tmpdir(), 'n8n-queue-'));
		// the postgres user must be able to reach its own subfolder
		chmodSync(folder, 0o711);
		const cluster = new QueueCluster(folder);
		if (KEEP) process.stderr.write(`[queue-e2e] cluster folder: ${folder}\n`);
		try {
			const redisFolder = path.join(folder, 'redis');
			const postgresFolder = path.join(folder, 'postgres');
			mkdirSync(redisFolder);
			mkdirSync(postgresFolder, { mode: 0o700 });
			[cluster.redis, cluster.postgres] = await Promise.all([
				Redis.start(binaries.redisServer, redisFolder),
				Postgres.start(binaries.postgresBin, postgresFolder),
			]);
			const env = cluster.sharedEnv(options.env);
			const mainFolder = path.join(folder, 'main');
			mkdirSync(mainFolder);
			cluster.session = await N8nSession.create({ userFolder: mainFolder, env });
			await cluster.session.import({
				credentials: options.credentials ?? [],
				workflows: options.workflows ?? [],
			});
			cluster.main = await cluster.session.startServer();
			const starts: Array<Promise<Worker>> = [];
			for (let index = 1; index <= (options.workers ?? 2); index++) {
				const userFolder = path.join(folder, `worker-${index}`);
				mkdirSync(userFolder);
				runtime.prepareUserFolder(userFolder);
				starts.push(
					runtime
						.n8nEnv({ userFolder, extra: env })
						.then(
							async (workerEnv) => await Worker.start(`worker-${index}`, workerEnv, userFolder),
						),
				);
			}
			const settled = await Promise.allSettled(starts);
			for (const result of settled)
				if (result.status === 'fulfilled') cluster.workers.push(result.value);
			const failed = settled.find(
				(result): result is PromiseRejectedResult => result.status === 'rejected',
			);
			if (failed) throw failed.reason;
		} catch (error) {
			await cluster.stop();
			throw error;
		}
		return cluster;
	}

	/** What the main and the workers share: one database, one queue, one encryption key. */
	private sharedEnv(extra: Record<string, string> = {}): Record<string, string> {
		return {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(this.postgres!.port),
			DB_POSTGRESDB_USER: 'n8n',
			DB_POSTGRESDB_PASSWORD: '',
			DB_POSTGRESDB_DATABASE: 'n8n',
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(this.redis!.port),
			N8N_ENCRYPTION_KEY: randomBytes(24).toString('hex'),
			// manual runs (the REST "run" of the editor) go to the workers too
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
			...extra,
		};
	}

	/** One SQL statement against the shared database. */
	sql(statement: string): string[][] {
		if (!this.postgres) throw new Error('postgres is not running');
		return this.postgres.query(statement);
	}

	/** The stored executions of a workflow, oldest first, straight from Postgres. */
	executionsOf(workflowId: string): ExecutionRow[] {
		const id = workflowId.replace(/'/g, "''");
		return this.sql(
			`SELECT id, "workflowId", status, mode, finished FROM execution_entity WHERE "workflowId" = '${id}' ORDER BY id`,
		).map(([rowId, rowWorkflow, status, mode, finished]) => ({
			id: rowId,
			workflowId: rowWorkflow,
			status,
			mode,
			finished: finished === 't',
		}));
	}

	/** Which worker started an execution (names of all that did: a retried job shows two). */
	workersThatStarted(executionId: string): string[] {
		return this.workers
			.filter((worker) => worker.startedExecutions().includes(executionId))
			.map((worker) => worker.name);
	}

	/** Runs a saved workflow from its first trigger through the main's REST API; returns the execution id. */
	async startManually(workflowId: string): Promise<string> {
		const main = this.main!;
		const workflow = await idempotent(
			async () =>
				await main.rest<{ nodes: Array<{ name: string; type: string }> } & Record<string, unknown>>(
					'GET',
					`/workflows/${workflowId}`,
				),
		);
		const trigger = workflow.nodes.find((node) => /trigger/i.test(node.type));
		if (!trigger) throw new Error(`workflow ${workflowId} has no trigger node to start from`);
		const started = await main.rest<{ executionId?: string }>(
			'POST',
			`/workflows/${workflowId}/run`,
			{
				workflowData: workflow,
				triggerToStartFrom: { name: trigger.name },
			},
		);
		if (!started?.executionId)
			throw new Error(`n8n did not start workflow ${workflowId}: ${JSON.stringify(started)}`);
		return String(started.executionId);
	}

	/** Waits until the execution has finished and returns it with its data (read through the main). */
	async waitForExecution(executionId: string, timeoutMs = 120_000) {
		const main = this.main!;
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const [row] = this.sql(
				`SELECT status FROM execution_entity WHERE id = ${Number(executionId)}`,
			);
			if (row && FINISHED.has(row[0]))
				return await idempotent(async () => await main.execution(executionId));
			if (Date.now() > deadline)
				throw new Error(
					`execution ${executionId} did not finish within ${timeoutMs} ms (status ${row?.[0]})`,
				);
			await sleep(300);
		}
	}

	/** Runs a workflow manually through the main and waits for the workers' result. */
	async runManually(workflowId: string, timeoutMs?: number) {
		return await this.waitForExecution(await this.startManually(workflowId), timeoutMs);
	}

	/** Everything the processes printed (for failure messages). */
	logs(): string {
		return [
			`--- main ---\n${this.main?.logs ?? ''}`,
			...this.workers.map((worker) => `--- ${worker.name} ---\n${worker.logs}`),
		].join('\n');
	}

	/** Stops the workers, the main, Postgres and Redis, and deletes every folder (unless N8N_E2E_KEEP=1). */
	async stop(): Promise<void> {
		const errors: unknown[] = [];
		const attempt = async (step: () => Promise<void> | undefined) => {
			try {
				await step();
			} catch (error) {
				errors.push(error);
			}
		};
		await Promise.all(
			this.workers.map(async (worker) => await attempt(async () => await worker.stop())),
		);
		await attempt(async () => await this.main?.stop());
		await attempt(async () => await this.session?.dispose());
		await Promise.all([
			attempt(async () => await this.postgres?.stop()),
			attempt(async () => await this.redis?.stop()),
		]);
		if (!KEEP) {
			rmSync(this.folder, { recursive: true, force: true });
		}
		if (errors.length > 0) throw errors[0];
	}
}
