/**
 * Where the node panel's "Docs" links and the credential's help link lead: a page of this
 * package that exists, at a heading that exists (GitHub's anchor for it), as n8n loads them from dist/.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { ensureReady } from '../harness/engine';
import { cachedCredentialType } from '../harness/node-types';

const root = join(__dirname, '..', '..');
const REPO = 'https://github.com/n8n-nodes-delivery-reports/n8n-nodes-delivery-reports';

/** GitHub's anchors for the headings of a Markdown file in this repository. */
function anchorsOf(file: string): Set<string> {
	const text = readFileSync(join(root, file), 'utf8');
	return new Set(
		[...text.matchAll(/^#{1,6}\s+(.+)$/gm)].map(([, heading]) =>
			heading
				.trim()
				.toLowerCase()
				.replace(/[^\p{L}\p{N}\s_-]/gu, '')
				.replace(/\s/g, '-'),
		),
	);
}

function expectLinkToExist(url: string): void {
	expect(url.startsWith(`${REPO}/blob/main/`)).toBe(true);
	const [file, anchor] = url.slice(`${REPO}/blob/main/`.length).split('#');
	expect(anchorsOf(file)).toContain(anchor);
}

function codexUrls(node: string): string[] {
	const codex = JSON.parse(
		readFileSync(join(root, 'dist', 'nodes', 'NaimarSms', `${node}.node.json`), 'utf8'),
	) as {
		resources: Record<string, Array<{ url: string }>>;
	};
	return Object.values(codex.resources).flatMap((links) => links.map((link) => link.url));
}

test('the credential, node and trigger documentation links lead to existing headings of docs/naimar-sms.md', async () => {
	await ensureReady();
	const urls = [
		cachedCredentialType('naimarSmsApi')!.documentationUrl!,
		cachedCredentialType('naimarSmsPushApi')!.documentationUrl!,
		...codexUrls('NaimarSms'),
		...codexUrls('NaimarSmsTrigger'),
	];
	expect(urls).toHaveLength(5);
	for (const url of urls) expectLinkToExist(url);
});
