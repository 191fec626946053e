#!/usr/bin/env node
/**
 * `npm run sandbox`: starts the three provider fakes on fixed ports of 127.0.0.1 and prints their
 * URLs and the credentials that work against them. Ctrl-C stops them.
 *
 *   Customers Mail Cloud  http://127.0.0.1:8401
 *   Naimar SMS            http://127.0.0.1:8402
 *   Arara Message         http://127.0.0.1:8403
 *
 * The fakes are TypeScript (test/fakes/<provider>/index.ts); they are compiled into .build/ first
 * (`tsc -p tsconfig.tools.json`). A fake whose module is missing is skipped with a warning.
 * Exports buildTools() and startSandbox() for scripts/start.js. Node built-ins only.
 */
'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const BUILD_DIR = path.join(ROOT, '.build');

const PROVIDERS = [
	{
		id: 'customers-mail-cloud',
		title: 'Customers Mail Cloud',
		start: 'startCustomersMailCloudFake',
		port: 8401,
		credentialType: 'customersMailCloudApi',
	},
	{
		id: 'naimar-sms',
		title: 'Naimar SMS',
		start: 'startNaimarSmsFake',
		port: 8402,
		credentialType: 'naimarSmsApi',
	},
	{
		id: 'arara-message',
		title: 'Arara Message',
		start: 'startAraraMessageFake',
		port: 8403,
		credentialType: 'araraMessageOAuth2Api',
	},
];

/** Compiles test/fakes, test/harness, test/e2e, bench and scripts/*.ts into .build/ (tsc -p tsconfig.tools.json). */
function buildTools({ log = console.log } = {}) {
	const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
	if (!fs.existsSync(tsc)) throw new Error('typescript is not installed: run `npm ci` first');
	return new Promise((resolve, reject) => {
		const started = Date.now();
		const child = spawn(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.tools.json')], {
			cwd: ROOT,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let output = '';
		child.stdout.on('data', (chunk) => (output += chunk));
		child.stderr.on('data', (chunk) => (output += chunk));
		child.on('error', reject);
		child.on('close', (code) => {
			// tsc still writes the JavaScript when there are type errors: warn, do not stop
			if (code !== 0) {
				log(
					`[sandbox] warning: tsc -p tsconfig.tools.json reported errors (the JavaScript was still written):`,
				);
				log(output.split('\n').slice(0, 20).join('\n'));
			}
			resolve({ code, ms: Date.now() - started });
		});
	});
}

function providerModulePath(provider) {
	return path.join(BUILD_DIR, 'test', 'fakes', provider.id, 'index.js');
}

/**
 * Starts every fake whose compiled module exists, each on its sandbox port (the module's
 * SANDBOX_PORT when it exports one). Resolves with the running fakes and a close() for all.
 */
async function startSandbox({ log = console.log } = {}) {
	const running = [];
	for (const provider of PROVIDERS) {
		const sourcePath = path.join(ROOT, 'test', 'fakes', provider.id, 'index.ts');
		const modulePath = providerModulePath(provider);
		if (!fs.existsSync(sourcePath) || !fs.existsSync(modulePath)) {
			log(
				`[sandbox] warning: no fake for ${provider.title} (${path.relative(ROOT, fs.existsSync(sourcePath) ? modulePath : sourcePath)} missing): skipped`,
			);
			continue;
		}
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const mod = require(modulePath);
		if (typeof mod[provider.start] !== 'function') {
			log(
				`[sandbox] warning: ${path.relative(ROOT, modulePath)} does not export ${provider.start}(): skipped`,
			);
			continue;
		}
		const port = Number(mod.SANDBOX_PORT ?? provider.port);
		try {
			const fake = await mod[provider.start]({ port });
			running.push({
				...provider,
				port,
				url: fake.url ?? `http://127.0.0.1:${port}`,
				credentials: mod.SANDBOX_CREDENTIALS ?? fake.credentials ?? {},
				fake,
			});
		} catch (error) {
			log(
				`[sandbox] warning: ${provider.title} fake did not start on 127.0.0.1:${port}: ${error.message}`,
			);
		}
	}
	return {
		fakes: running,
		async close() {
			await Promise.allSettled(running.map((entry) => entry.fake.close()));
		},
	};
}

function describeSandbox(fakes) {
	const lines = [];
	for (const entry of fakes) {
		lines.push(`  ${entry.title.padEnd(22)} ${entry.url}`);
		for (const [key, value] of Object.entries(entry.credentials))
			lines.push(`      ${key.padEnd(20)} ${value}`);
	}
	return lines.join('\n');
}

module.exports = { PROVIDERS, BUILD_DIR, buildTools, startSandbox, describeSandbox };

async function main() {
	await buildTools();
	const sandbox = await startSandbox();
	if (sandbox.fakes.length === 0) {
		console.error('[sandbox] no fake could be started');
		process.exit(1);
	}
	console.log('\nSandbox running (Ctrl-C to stop). Credentials that work against it:\n');
	console.log(describeSandbox(sandbox.fakes));
	console.log('');
	let stopping = false;
	const stop = async () => {
		if (stopping) return;
		stopping = true;
		await sandbox.close();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

if (require.main === module) {
	main().catch((error) => {
		console.error(error instanceof Error ? error.stack : error);
		process.exit(1);
	});
}
