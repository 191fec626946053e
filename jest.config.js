/**
 * Two projects:
 *   engine  test/**\/*.test.ts through n8n's execution engine (n8n-core + n8n-workflow), no n8n server
 *   e2e     test/e2e/**\/*.e2e.test.ts against the REAL n8n CLI/server installed in .n8n-runtime/
 *           (run them serially: `npm run test:e2e` = `jest --selectProjects e2e --runInBand`)
 *
 * testTimeout is a global Jest option: 30 s here (engine); test/e2e/jest.setup.ts raises it to 120 s
 * for the e2e project. forceExit: n8n-core keeps handles open after the engine tests.
 */
/** @type {import('jest').Config} */
const common = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	rootDir: __dirname,
	modulePathIgnorePatterns: [
		'<rootDir>/.n8n-runtime/',
		'<rootDir>/.n8n-runtime-current/',
		'<rootDir>/.n8n-current/',
		'<rootDir>/.node24/',
		'<rootDir>/.n8n-user/',
		'<rootDir>/.build/',
		'<rootDir>/dist/',
	],
	watchPathIgnorePatterns: [
		'<rootDir>/.n8n-runtime/',
		'<rootDir>/.n8n-runtime-current/',
		'<rootDir>/.n8n-user/',
	],
};

const e2eOnly = process.argv.some(
	(arg, i, all) => (arg === '--selectProjects' || arg === '--projects') && all[i + 1] === 'e2e',
);

/** @type {import('jest').Config} */
module.exports = {
	testTimeout: 30_000,
	forceExit: true,
	// e2e tests start real n8n processes (≈0.5 GB each): never in parallel
	...(e2eOnly ? { maxWorkers: 1 } : {}),
	projects: [
		{
			...common,
			displayName: 'engine',
			testMatch: ['<rootDir>/test/**/*.test.ts'],
			testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/'],
		},
		{
			...common,
			displayName: 'e2e',
			testMatch: ['<rootDir>/test/e2e/**/*.e2e.test.ts'],
			setupFilesAfterEnv: ['<rootDir>/test/e2e/jest.setup.ts'],
		},
	],
};
