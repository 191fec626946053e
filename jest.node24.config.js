/**
 * The `engine` project of jest.config.js, run by scripts/node24-engine.js under Node 24 against
 * n8n-core 2.41.1 / n8n-workflow 2.41.0 installed in .n8n-current/. A resolver generated there
 * sends every `n8n-core` / `n8n-workflow` request (and their subpaths, honouring package
 * "exports") — from test/harness, the tests and dist/ — to those copies; a setup file checks the
 * versions actually loaded. Not meant to be used directly: `node scripts/node24-engine.js`.
 */
const path = require('node:path');

const base = require('./jest.config.js');

const currentDir = process.env.N8N_CURRENT_DIR || path.join(__dirname, '.n8n-current');
const engine = base.projects.find((project) => project.displayName === 'engine');

/** @type {import('jest').Config} */
module.exports = {
	testTimeout: base.testTimeout,
	forceExit: base.forceExit,
	projects: [
		{
			...engine,
			displayName: 'engine (Node 24, n8n-core 2.41)',
			resolver: path.join(currentDir, 'jest-resolver.js'),
			setupFiles: [...(engine.setupFiles ?? []), path.join(currentDir, 'jest-versions.setup.js')],
			modulePathIgnorePatterns: (engine.modulePathIgnorePatterns ?? []).filter(
				(pattern) => !pattern.includes('.n8n-current'),
			),
			cacheDirectory: path.join(currentDir, '.jest-cache'),
		},
	],
};
