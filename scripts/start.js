#!/usr/bin/env node
/**
 * `npm start` (= `npm run build && node scripts/start.js`): a local n8n with this package, wired to
 * the provider sandbox, on http://127.0.0.1:5678.
 *
 *  1. installs the pinned n8n into .n8n-runtime/ if needed (scripts/n8n-runtime.js; minutes, once)
 *  2. compiles the tools (tsc -p tsconfig.tools.json → .build/) and starts the three fakes on
 *     127.0.0.1:8401 (Customers Mail Cloud), :8402 (Naimar SMS), :8403 (Arara Message)
 *  3. prepares the project-local user folder .n8n-user/ with the package installed as users get it
 *     (.n8n-user/.n8n/nodes/node_modules/n8n-nodes-delivery-reports, refreshed from dist/ every start)
 *  4. imports example credentials (examples/credentials/*.json, missing fields filled with the
 *     sandbox values; a sandbox credential per provider when no example has its type) and example
 *     workflows (examples/*.json) — only new or changed ones, so edits made in n8n survive restarts
 *  5. runs `n8n start` in the foreground, sets up a local owner account on first start, activates
 *     examples saved with "active": true, and prints the URL and login. Ctrl-C stops n8n and the fakes.
 *
 * Environment: N8N_PORT (default 5678). Node built-ins only.
 */
'use strict';

const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const runtime = require('./n8n-runtime');
const { buildTools, startSandbox, describeSandbox } = require('./sandbox');

const ROOT = runtime.ROOT;
const USER_FOLDER = runtime.DEFAULT_USER_FOLDER; // .n8n-user/
const STATE_FILE = path.join(USER_FOLDER, 'imported-examples.json');
const PORT = Number(process.env.N8N_PORT ?? 5678);
const OWNER = {
	email: 'owner@example.com',
	password: 'Sandbox-Owner-1',
	firstName: 'Sandbox',
	lastName: 'Owner',
};
const BROWSER_ID = 'n8n-nodes-delivery-reports-start';

const log = (message) => console.log(`[start] ${message}`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const hash = (value) => crypto.createHash('sha256').update(JSON.stringify(value)).digest('hex');

function portFree(port) {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

function readJsonFiles(dir) {
	if (!fs.existsSync(dir)) return [];
	return fs
		.readdirSync(dir)
		.filter((name) => name.endsWith('.json'))
		.sort()
		.map((name) => {
			const file = path.join(dir, name);
			try {
				return { file, name, json: JSON.parse(fs.readFileSync(file, 'utf8')) };
			} catch (error) {
				log(`warning: ${path.relative(ROOT, file)} is not valid JSON (${error.message}): skipped`);
				return undefined;
			}
		})
		.filter(Boolean);
}

/** A stable id derived from a file name, so that re-imports update instead of duplicating. */
function stableId(prefix, name) {
	return (prefix + crypto.createHash('sha1').update(name).digest('hex')).slice(0, 16);
}

function exampleCredentials(sandbox) {
	const byType = new Map(sandbox.fakes.map((fake) => [fake.credentialType, fake]));
	const credentials = [];
	for (const { name, json } of readJsonFiles(path.join(ROOT, 'examples', 'credentials'))) {
		for (const [index, credential] of (Array.isArray(json) ? json : [json]).entries()) {
			if (!credential || !credential.type || !credential.name) {
				log(`warning: examples/credentials/${name}: an entry without "name"/"type": skipped`);
				continue;
			}
			const sandboxData = byType.get(credential.type)?.credentials ?? {};
			credentials.push({
				...credential,
				id: credential.id ?? stableId('cred', `${name}#${index}`),
				data: { ...sandboxData, ...(credential.data ?? {}) },
			});
		}
	}
	// one sandbox credential per running fake whose type no example covers
	for (const fake of sandbox.fakes) {
		if (credentials.some((credential) => credential.type === fake.credentialType)) continue;
		credentials.push({
			id: stableId('sbx', fake.credentialType),
			name: `${fake.title} (sandbox)`,
			type: fake.credentialType,
			data: { ...fake.credentials },
		});
	}
	return credentials;
}

function exampleWorkflows() {
	return readJsonFiles(path.join(ROOT, 'examples')).flatMap(({ name, json }) =>
		(Array.isArray(json) ? json : [json])
			.filter((workflow) => workflow && Array.isArray(workflow.nodes))
			.map((workflow, index) => ({
				settings: { executionOrder: 'v1' },
				...workflow,
				id: workflow.id ?? stableId('ex', `${name}#${index}`),
				versionId: workflow.versionId ?? crypto.randomUUID(),
				wantActive: workflow.active === true,
				active: false,
				source: name,
			})),
	);
}

/** Imports what is new or changed since the last start (one CLI call per kind). */
async function importExamples(env, credentials, workflows) {
	let state = { credentials: {}, workflows: {} };
	try {
		state = JSON.parse(fs.readFileSync(STATE_FILE, 'utf8'));
	} catch {
		/* first start */
	}
	const fresh = !fs.existsSync(path.join(USER_FOLDER, '.n8n', 'database.sqlite'));
	if (fresh) state = { credentials: {}, workflows: {} };
	const strip = ({ wantActive, source, ...workflow }) => workflow;
	const changedCredentials = credentials.filter((c) => state.credentials[c.id] !== hash(c));
	const changedWorkflows = workflows.filter(
		(w) => state.workflows[w.id] !== hash({ ...strip(w), versionId: undefined }),
	);

	const importFile = async (kind, items) => {
		const file = path.join(USER_FOLDER, `import-${kind}.json`);
		fs.writeFileSync(file, JSON.stringify(items, null, 2));
		const result = await runtime.runN8n([`import:${kind}`, `--input=${file}`], {
			env,
			timeoutMs: 300_000,
		});
		fs.rmSync(file, { force: true });
		if (result.code !== 0 || !/Successfully imported/.test(result.stdout + result.stderr)) {
			throw new Error(
				`n8n import:${kind} failed (${result.code})\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-3000)}`,
			);
		}
	};
	if (changedCredentials.length > 0) {
		log(
			`importing ${changedCredentials.length} credential(s): ${changedCredentials.map((c) => c.name).join(', ')}`,
		);
		await importFile('credentials', changedCredentials);
		for (const credential of changedCredentials)
			state.credentials[credential.id] = hash(credential);
	}
	if (changedWorkflows.length > 0) {
		log(
			`importing ${changedWorkflows.length} example workflow(s): ${changedWorkflows.map((w) => w.source).join(', ')}`,
		);
		await importFile('workflow', changedWorkflows.map(strip));
		for (const workflow of changedWorkflows)
			state.workflows[workflow.id] = hash({ ...strip(workflow), versionId: undefined });
	}
	if (changedCredentials.length + changedWorkflows.length === 0) log('examples already imported');
	fs.writeFileSync(STATE_FILE, JSON.stringify(state, null, 2));
	return changedWorkflows.filter((w) => w.wantActive).map((w) => w.id);
}

async function rest(baseUrl, cookie, method, route, body) {
	const response = await fetch(`${baseUrl}/rest${route}`, {
		method,
		headers: {
			'content-type': 'application/json',
			'browser-id': BROWSER_ID,
			...(cookie ? { cookie } : {}),
		},
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const auth = (response.headers.getSetCookie?.() ?? []).find((value) =>
		value.startsWith('n8n-auth='),
	);
	const text = await response.text();
	return {
		status: response.status,
		cookie: auth ? auth.split(';')[0] : cookie,
		data: text ? JSON.parse(text).data : undefined,
	};
}

async function waitReady(baseUrl, child, timeoutMs = 120_000) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) return false;
		try {
			const ready = await fetch(`${baseUrl}/healthz/readiness`);
			if (
				ready.status === 200 &&
				(await fetch(`${baseUrl}/rest/settings`, { headers: { 'browser-id': BROWSER_ID } }))
					.status === 200
			) {
				return true;
			}
		} catch {
			/* not listening yet */
		}
		await sleep(500);
	}
	return false;
}

/** Creates the owner on first start; returns a session cookie when the default login works. */
async function ownerSession(baseUrl) {
	const setup = await rest(baseUrl, undefined, 'POST', '/owner/setup', OWNER);
	if (setup.status === 200) return { cookie: setup.cookie, created: true };
	const login = await rest(baseUrl, undefined, 'POST', '/login', {
		emailOrLdapLoginId: OWNER.email,
		password: OWNER.password,
	});
	return { cookie: login.status === 200 ? login.cookie : undefined, created: false };
}

async function main() {
	if (!fs.existsSync(path.join(ROOT, 'dist')))
		throw new Error('dist/ is missing: run `npm start` (it builds first) or `npm run build`');
	if (!(await portFree(PORT)))
		throw new Error(`127.0.0.1:${PORT} is in use (another n8n?). Stop it or set N8N_PORT.`);

	await runtime.install({ log });
	log('compiling the fakes (tsc -p tsconfig.tools.json)…');
	await buildTools({ log });
	const sandbox = await startSandbox({ log });

	let child;
	let stopping = false;
	const shutdown = async (code) => {
		if (stopping) return;
		stopping = true;
		if (child && child.exitCode === null) {
			child.kill('SIGTERM');
			await new Promise((resolve) => child.once('exit', resolve));
		}
		await sandbox.close();
		process.exit(code);
	};
	// Ctrl-C reaches n8n too (same process group): wait for it, then stop the fakes
	process.on('SIGINT', () => void shutdown(0));
	process.on('SIGTERM', () => void shutdown(0));

	try {
		fs.mkdirSync(USER_FOLDER, { recursive: true });
		runtime.prepareUserFolder(USER_FOLDER);
		const env = await runtime.n8nEnv({ userFolder: USER_FOLDER, port: PORT });
		const toActivate = await importExamples(env, exampleCredentials(sandbox), exampleWorkflows());

		const baseUrl = `http://127.0.0.1:${PORT}`;
		log(`starting n8n ${runtime.N8N_VERSION} (user folder ${path.relative(ROOT, USER_FOLDER)}/)…`);
		child = spawn(process.execPath, [runtime.n8nBin(), 'start'], {
			env,
			cwd: USER_FOLDER,
			stdio: 'inherit',
		});
		child.on('exit', (code) => {
			if (!stopping) {
				log(`n8n exited (${code})`);
				void shutdown(code ?? 1);
			}
		});
		if (!(await waitReady(baseUrl, child))) throw new Error('n8n did not become ready');

		const owner = await ownerSession(baseUrl);
		for (const id of owner.cookie ? toActivate : []) {
			const workflow = await rest(baseUrl, owner.cookie, 'GET', `/workflows/${id}`);
			const activated = await rest(baseUrl, owner.cookie, 'POST', `/workflows/${id}/activate`, {
				versionId: workflow.data?.versionId,
			});
			if (activated.status !== 200)
				log(`warning: could not activate example workflow ${id} (${activated.status})`);
		}

		const login = owner.created
			? `${OWNER.email} / ${OWNER.password}  (local owner account created just now)`
			: owner.cookie
				? `${OWNER.email} / ${OWNER.password}`
				: 'the owner account you created in .n8n-user/ (delete .n8n-user/ to start over)';
		console.log(
			[
				'',
				'──────────────────────────────────────────────────────────────',
				`  n8n ${runtime.N8N_VERSION} with n8n-nodes-delivery-reports: ${baseUrl}`,
				`  login: ${login}`,
				sandbox.fakes.length > 0
					? '  sandbox (credentials already imported):'
					: '  sandbox: no fake running',
				describeSandbox(sandbox.fakes),
				'  Ctrl-C stops n8n and the sandbox.',
				'──────────────────────────────────────────────────────────────',
				'',
			].join('\n'),
		);
	} catch (error) {
		console.error(error instanceof Error ? error.message : error);
		await shutdown(1);
	}
}

main().catch((error) => {
	console.error(error instanceof Error ? error.stack : error);
	process.exit(1);
});
