/**
 * The package as n8n's verification sees it, without the registry:
 *  - the tarball: `npm pack` of the built package, unpacked like the scanner unpacks it;
 *  - the source: the files git tracks (plus new, not ignored ones), copied out of the working tree,
 *    like the GitHub archive of the attested commit the scanner downloads (so no dist/, no
 *    node_modules/, nothing git ignores);
 * and the pinned @n8n/scan-community-package run over both (run-scanner.mjs).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const repoRoot = path.resolve(__dirname, '..', '..');

export interface ScanLeg {
	passed: boolean;
	message?: string;
	/** ESLint's "stylish" report of every violation, as the scanner prints it. */
	details?: string;
}

export interface ScanResult {
	/** Where the scanner found the package in the source checkout (findPackageRoot). */
	sourceRoot: string | null;
	source: ScanLeg;
	tarball: ScanLeg;
}

export function makeTempDir(label: string): string {
	return fs.mkdtempSync(path.join(os.tmpdir(), `delivery-reports-${label}-`));
}

export function removeDir(dir: string | undefined): void {
	if (dir) fs.rmSync(dir, { recursive: true, force: true });
}

/** Fails with the fix when dist/ is missing: npm pack would ship a package without nodes. */
export function assertBuilt(): void {
	const nodes = path.join(repoRoot, 'dist', 'nodes');
	if (!fs.existsSync(nodes)) {
		throw new Error(
			`dist/ is missing (${nodes}): run \`npm run build\` before this test (\`npm test\` does)`,
		);
	}
}

export interface PackedPackage {
	/** The unpacked tarball's root (what `package/` holds in the .tgz). */
	dir: string;
	/** Paths inside the tarball, as npm lists them. */
	files: string[];
}

/** `npm pack` of the working tree into `workDir`, unpacked into `workDir/package`. */
export function packAndUnpack(workDir: string): PackedPackage {
	assertBuilt();
	const output = execFileSync('npm', ['pack', '--json', '--pack-destination', workDir], {
		cwd: repoRoot,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const [packed] = JSON.parse(output) as Array<{
		filename: string;
		files: Array<{ path: string }>;
	}>;
	const dir = path.join(workDir, 'package');
	fs.mkdirSync(dir);
	execFileSync('tar', [
		'-xzf',
		path.join(workDir, packed.filename),
		'-C',
		dir,
		'--strip-components=1',
	]);
	return { dir, files: packed.files.map((file) => file.path).sort() };
}

/** The files a commit of the working tree would hold, copied into `targetDir`. */
export function copySourceTree(targetDir: string): string {
	const listed = execFileSync(
		'git',
		['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
		{
			cwd: repoRoot,
			encoding: 'utf8',
		},
	);
	for (const file of listed.split('\0').filter(Boolean)) {
		const from = path.join(repoRoot, file);
		if (!fs.existsSync(from)) continue; // deleted in the working tree, not yet committed
		const to = path.join(targetDir, file);
		fs.mkdirSync(path.dirname(to), { recursive: true });
		fs.copyFileSync(from, to);
	}
	return targetDir;
}

/** The pinned scanner's analyzePackage on both legs, in its own Node process (it is an ES module). */
export function runScanner(sourceDir: string, tarballDir: string): ScanResult {
	// The scanner makes a temp folder when it loads; keep it inside one we remove.
	const scannerTemp = makeTempDir('scanner-tmp');
	// Jest sets NODE_ENV=test, which switches eslint-plugin-n8n-nodes-base into its own test mode
	// (other filename rules): the scanner's CLI never runs with it.
	const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: scannerTemp };
	delete env.NODE_ENV;
	try {
		const run = spawnSync(
			process.execPath,
			[path.join(__dirname, 'run-scanner.mjs'), sourceDir, tarballDir],
			{
				cwd: repoRoot,
				encoding: 'utf8',
				env,
				maxBuffer: 64 * 1024 * 1024,
			},
		);
		if (run.status !== 0) {
			throw new Error(
				`the scanner did not run (exit ${run.status}):\n${run.stderr}\n${run.stdout}`,
			);
		}
		return JSON.parse(run.stdout) as ScanResult;
	} finally {
		removeDir(scannerTemp);
	}
}

/** Every violation of a failed run, ready for an assertion message. */
export function describeViolations(result: ScanResult): string {
	return (['source', 'tarball'] as const)
		.filter((leg) => !result[leg].passed)
		.map((leg) => `${leg}: ${result[leg].message}\n${result[leg].details ?? ''}`)
		.join('\n');
}
