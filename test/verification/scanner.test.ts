/**
 * n8n's verification gate, run here: the pinned @n8n/scan-community-package lints the packed
 * tarball and the source the way its CLI does (its own rules, inline eslint-disable ignored).
 * The second test proves this one can fail: the same run over a copy with known violations,
 * one of them hidden behind an eslint-disable comment, must report each of them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import {
	copySourceTree,
	describeViolations,
	makeTempDir,
	packAndUnpack,
	removeDir,
	repoRoot,
	runScanner,
	type PackedPackage,
} from './package-under-scan';

// Each run lints every node and credential with the TypeScript parser: seconds, more on a busy machine.
jest.setTimeout(180_000);

let workDir: string;
let packed: PackedPackage;
let sourceDir: string;

beforeAll(() => {
	workDir = makeTempDir('scan');
	packed = packAndUnpack(workDir);
	sourceDir = copySourceTree(path.join(workDir, 'source'));
});

afterAll(() => removeDir(workDir));

function replaceInFile(file: string, from: string, to: string): void {
	const text = fs.readFileSync(file, 'utf8');
	if (!text.includes(from))
		throw new Error(`${file} no longer contains ${JSON.stringify(from)}: update this test`);
	fs.writeFileSync(file, text.replace(from, to));
}

test('the packed tarball and the source pass the pinned scanner', () => {
	expect(fs.existsSync(path.join(sourceDir, 'nodes'))).toBe(true);
	// Every node the package declares is in the tarball, and nothing else that looks like one.
	const declared = (
		JSON.parse(fs.readFileSync(path.join(__dirname, '../../package.json'), 'utf8')) as {
			n8n: { nodes: string[] };
		}
	).n8n.nodes;
	expect(packed.files.filter((file) => /^dist\/nodes\/.*\.node\.js$/.test(file)).sort()).toEqual(
		[...declared].sort(),
	);

	const result = runScanner(sourceDir, packed.dir);

	// The scanner picks the first package.json with this name: fixtures must not reuse it.
	expect(result.sourceRoot).toBe(sourceDir);
	// `passed` with a message means "No files found to analyze": that is no pass.
	const clean = (['source', 'tarball'] as const).every(
		(leg) => result[leg].passed && !result[leg].message,
	);
	if (!clean) throw new Error(`n8n's scanner rejects the package:\n${describeViolations(result)}`);
});

test('the same run fails and names every violation, inline disables included', () => {
	const brokenSource = path.join(workDir, 'broken-source');
	const brokenTarball = path.join(workDir, 'broken-tarball');
	fs.cpSync(sourceDir, brokenSource, { recursive: true });
	fs.cpSync(packed.dir, brokenTarball, { recursive: true });

	for (const dir of [brokenSource, brokenTarball]) {
		const manifest = path.join(dir, 'package.json');
		const pkg = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { author: unknown };
		pkg.author = 'Delivery Reports Team';
		fs.writeFileSync(manifest, `${JSON.stringify(pkg, null, 2)}\n`);
	}
	replaceInFile(
		path.join(brokenSource, 'credentials', 'AraraMessageOAuth2Api.credentials.ts'),
		"\tname = 'araraMessageOAuth2Api';",
		"\t// eslint-disable-next-line\n\tname = 'araraMessageApi';",
	);
	fs.appendFileSync(
		path.join(brokenTarball, 'dist', 'credentials', 'NaimarSmsApi.credentials.js'),
		"\nconsole.log('built output nobody reviewed');\n",
	);

	const result = runScanner(brokenSource, brokenTarball);

	expect(result.source.passed).toBe(false);
	expect(result.source.details).toContain('@n8n/community-nodes/valid-author');
	expect(result.source.details).toContain('@n8n/community-nodes/cred-class-oauth2-naming');
	expect(result.tarball.passed).toBe(false);
	expect(result.tarball.details).toContain('@n8n/community-nodes/valid-author');
	expect(result.tarball.details).toMatch(/NaimarSmsApi\.credentials\.js[\s\S]*no-console/);
	expect(describeViolations(result)).toContain('AraraMessageOAuth2Api.credentials.ts');
});

test('the tarball holds the built package, its licence and readme, and no source maps', () => {
	const outsideDist = packed.files.filter((file) => !file.startsWith('dist/'));
	expect(outsideDist).toEqual(['LICENSE', 'README.md', 'package.json']);
	// dist/ ships no .ts, so a map would point users' debuggers at files they do not have.
	expect(packed.files.filter((file) => file.endsWith('.map') || file.endsWith('.ts'))).toEqual([]);
	expect(fs.readFileSync(path.join(packed.dir, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
});

test('no inline ESLint configuration in nodes/ or credentials/: the scanner ignores it', () => {
	const inlineConfig = /\beslint-(?:disable|enable)\b|\/\*\s*(?:eslint|global)\s/;
	const offenders: string[] = [];
	const walk = (dir: string): void => {
		for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
			const file = path.join(dir, entry.name);
			if (entry.isDirectory()) walk(file);
			else if (
				/\.(?:ts|js)$/.test(entry.name) &&
				inlineConfig.test(fs.readFileSync(file, 'utf8'))
			) {
				offenders.push(path.relative(repoRoot, file));
			}
		}
	};
	walk(path.join(repoRoot, 'nodes'));
	walk(path.join(repoRoot, 'credentials'));
	expect(offenders).toEqual([]);
});
