// Runs the pinned @n8n/scan-community-package over a package the way its CLI
// (analyzePackageByName) does once it has downloaded the source and the tarball, without the
// registry: findPackageRoot locates the package in the source checkout, analyzePackage lints it
// with the scanner's SOURCE_FILE_PATTERNS, and the unpacked tarball with ['**/*.js',
// 'package.json']. analyzePackage brings the scanner's own rule set and ignores inline
// eslint-disable comments (allowInlineConfig: false).
// Usage: node run-scanner.mjs <sourceCheckoutDir> <unpackedTarballDir>
// Prints one JSON line: { "sourceRoot", "source": { passed, message, details }, "tarball": { ... } }.
import fs from 'node:fs';
import path from 'node:path';
import {
	analyzePackage,
	findPackageRoot,
	SOURCE_FILE_PATTERNS,
} from '@n8n/scan-community-package/scanner/scanner.mjs';

if (process.argv.length !== 4) {
	console.error('usage: node run-scanner.mjs <sourceCheckoutDir> <unpackedTarballDir>');
	process.exit(2);
}
const [checkoutDir, tarballDir] = process.argv.slice(2).map((dir) => path.resolve(dir));
const { name } = JSON.parse(fs.readFileSync(path.join(tarballDir, 'package.json'), 'utf8'));

const leg = ({ passed, message, details }) => ({ passed, message, details });
const sourceRoot = findPackageRoot(checkoutDir, name);
const source = sourceRoot
	? leg(await analyzePackage(sourceRoot, SOURCE_FILE_PATTERNS))
	: { passed: false, message: `no package.json named ${name} in the source checkout` };
const tarball = leg(await analyzePackage(tarballDir, ['**/*.js', 'package.json']));
process.stdout.write(`${JSON.stringify({ sourceRoot, source, tarball })}\n`);
