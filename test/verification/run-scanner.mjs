// Runs the pinned @n8n/scan-community-package over a package the way its CLI
// (analyzePackageByName) does once it has downloaded it, without the registry: analyzePackage on
// the source with the scanner's own SOURCE_FILE_PATTERNS, and on the unpacked tarball with
// ['**/*.js', 'package.json']. analyzePackage brings the scanner's own rule set and ignores inline
// eslint-disable comments (allowInlineConfig: false).
// Usage: node run-scanner.mjs <sourceDir> <unpackedTarballDir>
// Prints one JSON line: { "source": { passed, message, details }, "tarball": { ... } }.
import path from 'node:path';
import { analyzePackage, SOURCE_FILE_PATTERNS } from '@n8n/scan-community-package/scanner/scanner.mjs';

if (process.argv.length !== 4) {
	console.error('usage: node run-scanner.mjs <sourceDir> <unpackedTarballDir>');
	process.exit(2);
}
const [sourceDir, tarballDir] = process.argv.slice(2).map((dir) => path.resolve(dir));

const leg = ({ passed, message, details }) => ({ passed, message, details });
const source = leg(await analyzePackage(sourceDir, SOURCE_FILE_PATTERNS));
const tarball = leg(await analyzePackage(tarballDir, ['**/*.js', 'package.json']));
process.stdout.write(`${JSON.stringify({ source, tarball })}\n`);
