/**
 * What publishing like a verified community package needs beyond the scanner: the release
 * workflow (provenance), the package metadata npm shows, and a README that works on npm's page.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { repoRoot } from './package-under-scan';

// js-yaml arrives with eslint (a devDependency); it reads YAML 1.2, so `on:` stays a key.
const { load: parseYaml } = require('js-yaml') as { load(text: string): unknown };

interface WorkflowStep {
	name?: string;
	uses?: string;
	run?: string;
	with?: Record<string, unknown>;
}
interface Workflow {
	on: { push: { tags: string[] } };
	permissions: Record<string, string>;
	jobs: Record<string, { steps: WorkflowStep[] }>;
}

const readText = (file: string): string => fs.readFileSync(path.join(repoRoot, file), 'utf8');
const manifest = JSON.parse(readText('package.json')) as {
	homepage: string;
	author: { name?: string; email?: string };
	repository: { type: string; url: string };
	bugs: { url: string };
	license: string;
	scripts: Record<string, string>;
};

describe('.github/workflows/publish.yml', () => {
	const workflow = parseYaml(readText('.github/workflows/publish.yml')) as Workflow;
	const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
	const runs = steps.map((step) => step.run ?? '');
	const indexOfRun = (pattern: RegExp): number => runs.findIndex((run) => pattern.test(run));

	test('runs on version tags with the permissions provenance needs', () => {
		expect(workflow.on.push.tags).toEqual(['v*.*.*']);
		expect(workflow.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
	});

	test('installs, tests (which builds) and then publishes with provenance, publicly', () => {
		const publish = indexOfRun(/^npm publish /);
		expect(runs[publish]).toBe('npm publish --provenance --access public');
		const install = indexOfRun(/^npm ci\b/);
		const tests = indexOfRun(/^npm test$/);
		expect(install).toBeGreaterThanOrEqual(0);
		expect(tests).toBeGreaterThan(install);
		expect(publish).toBeGreaterThan(tests);
		expect(manifest.scripts.test).toContain('npm run build');
	});

	test('uses a Node the package supports (>= 20.19) and installs the tests’ system packages', () => {
		const setupNode = steps.find((step) => step.uses?.startsWith('actions/setup-node@'));
		expect(setupNode?.with?.['node-version']).toBe('20.x');
		expect(setupNode?.with?.['registry-url']).toBe('https://registry.npmjs.org');
		expect(indexOfRun(/apt-get install -y .*\bchromium\b/)).toBeGreaterThanOrEqual(0);
	});
});

describe('package metadata', () => {
	const repositoryPage = manifest.homepage;

	test('author with name and e-mail, repository and bugs on GitHub, MIT licence file', () => {
		expect(manifest.author.name).toBeTruthy();
		expect(manifest.author.email).toMatch(/^[^@\s]+@[^@\s]+$/);
		expect(repositoryPage).toMatch(/^https:\/\/github\.com\/[^/]+\/[^/]+$/);
		// npm compares this URL with the provenance statement's repository
		expect(manifest.repository).toEqual({ type: 'git', url: `git+${repositoryPage}.git` });
		expect(manifest.bugs.url).toBe(`${repositoryPage}/issues`);
		expect(manifest.license).toBe('MIT');
		expect(readText('LICENSE')).toMatch(/^MIT License\n\nCopyright \(c\) 2026 /);
	});

	test('a manual npm publish builds and tests first', () => {
		expect(manifest.scripts.prepublishOnly).toBe('npm test');
	});

	test('the README links to docs/ absolutely (npm shows the README alone), and the targets exist', () => {
		const readme = readText('README.md');
		const links = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]);
		expect(links.filter((link) => !/^(?:https?:|#)/.test(link))).toEqual([]);
		const docsLinks = links.filter((link) => link.startsWith(`${repositoryPage}/blob/main/docs/`));
		expect(docsLinks.length).toBeGreaterThanOrEqual(3);
		for (const link of docsLinks) {
			expect(
				fs.existsSync(path.join(repoRoot, link.slice(`${repositoryPage}/blob/main/`.length))),
			).toBe(true);
		}
	});
});
