/**
 * A small page object for n8n's editor (the pinned n8n-editor-ui), driven in Debian's Chromium
 * through playwright-core. Never downloads a browser: it needs /usr/bin/chromium
 * (`apt-get install -y chromium`, as .ci/run does).
 *
 * Locators use the editor's own data-test-id attributes (the ones n8n's own Playwright tests use);
 * every wait is on UI state, never a fixed sleep.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { chromium, selectors, type BrowserContext, type Locator, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * The machine reaches nothing beyond 127.0.0.1: without these Chromium waits on refused
 * connections (sync, component updates, QUIC probes).
 */
const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

/** How long to wait for a UI state (the machine is shared and slow; states are awaited, not slept on). */
export const UI_TIMEOUT = 30_000;

export function assertChromium(): void {
	if (!existsSync(CHROMIUM)) {
		throw new Error(
			`${CHROMIUM} is missing: install Debian's Chromium with \`sudo apt-get update && sudo apt-get install -y chromium\` ` +
				'(.ci/run does it), or point CHROMIUM_PATH at a Chromium binary. No browser is ever downloaded.',
		);
	}
}

export class Editor {
	private step = 0;
	readonly screenshots: string[] = [];

	private constructor(
		readonly context: BrowserContext,
		readonly page: Page,
		readonly baseUrl: string,
		readonly outputDir: string,
		private readonly profileDir: string,
	) {}

	/** A fresh Chromium profile on `baseUrl`; screenshots go to `outputDir` (emptied first). */
	static async launch(baseUrl: string, outputDir: string): Promise<Editor> {
		assertChromium();
		selectors.setTestIdAttribute('data-test-id');
		rmSync(outputDir, { recursive: true, force: true });
		mkdirSync(outputDir, { recursive: true });
		const profileDir = mkdtempSync(path.join(tmpdir(), 'n8n-editor-chromium-'));
		const context = await chromium.launchPersistentContext(profileDir, {
			executablePath: CHROMIUM,
			headless: true,
			args: CHROMIUM_ARGS,
			viewport: { width: 1600, height: 1000 },
		});
		context.setDefaultTimeout(UI_TIMEOUT);
		const page = context.pages()[0] ?? (await context.newPage());
		return new Editor(context, page, baseUrl, outputDir, profileDir);
	}

	async close(): Promise<void> {
		await this.context.close();
		rmSync(this.profileDir, { recursive: true, force: true });
	}

	/** Saves a numbered screenshot of the whole window; returns its path. */
	async screenshot(name: string): Promise<string> {
		this.step += 1;
		const file = path.join(
			this.outputDir,
			`${String(this.step).padStart(2, '0')}-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`,
		);
		await this.page.screenshot({ path: file });
		this.screenshots.push(file);
		return file;
	}

	async login(owner: { email: string; password: string }): Promise<void> {
		await this.page.goto(`${this.baseUrl}/signin`);
		await this.page.locator('input[name="emailOrLdapLoginId"]').fill(owner.email);
		await this.page.locator('input[name="password"]').fill(owner.password);
		await this.page.getByTestId('form-submit-button').click();
		await this.page.waitForURL(/\/home\/|\/workflows/, { timeout: UI_TIMEOUT * 2 });
	}

	// -------------------------------------------------------------------------------------------
	// Canvas

	async newWorkflow(): Promise<void> {
		await this.page.goto(`${this.baseUrl}/workflow/new`);
		await this.page.getByTestId('canvas-add-button').waitFor();
	}

	async openWorkflow(id: string): Promise<void> {
		await this.page.goto(`${this.baseUrl}/workflow/${id}`);
		await this.canvasNodes().first().waitFor();
	}

	canvasNodes(): Locator {
		return this.page.getByTestId('canvas-node');
	}

	canvasNode(name: string): Locator {
		return this.page.locator(
			`[data-test-id="canvas-node"][data-node-name="${name.replace(/"/g, '\\"')}"]`,
		);
	}

	/** Whether the node's icon on the canvas loaded: an <img> with a natural width, or an inline SVG. */
	async iconRendered(nodeName: string): Promise<{ src: string; naturalWidth: number }> {
		const image = this.canvasNode(nodeName).locator('img').first();
		await image.waitFor();
		// the element exists before the file has loaded: wait for the load itself
		await this.page.waitForFunction(
			(element) => (element as HTMLImageElement).complete,
			await image.elementHandle(),
			{ timeout: UI_TIMEOUT },
		);
		return await image.evaluate((element) => ({
			src: (element as HTMLImageElement).src,
			naturalWidth: (element as HTMLImageElement).naturalWidth,
		}));
	}

	// -------------------------------------------------------------------------------------------
	// Node creator (the node panel)

	private creator(): Locator {
		return this.page.getByTestId('node-creator');
	}

	/** Opens the panel, searches `search` and opens the node `nodeName` (its triggers and actions). */
	async searchNode(search: string, nodeName: string): Promise<void> {
		const addFirst = this.page.getByTestId('canvas-add-button');
		if (await addFirst.isVisible()) await addFirst.click();
		else await this.page.getByTestId('node-creator-plus-button').click();
		await this.page.getByTestId('node-creator-search-bar').fill(search);
		await this.creator()
			.getByTestId('item-iterator-item')
			.filter({ has: this.page.getByText(nodeName, { exact: true }) })
			.first()
			.click();
		await this.creator().getByTestId('node-creator-category-item').first().waitFor();
	}

	/** Names of the entries of a category of the opened node ("Triggers" or "Actions"), expanding it. */
	async categoryEntries(category: 'Triggers' | 'Actions'): Promise<string[]> {
		const header = this.creator()
			.getByTestId('node-creator-category-item')
			.filter({ hasText: new RegExp(`^${category} \\(\\d+\\)`) });
		if ((await header.count()) === 0) return [];
		const container = header.locator('..');
		if ((await container.getAttribute('data-category-collapsed')) === 'true') await header.click();
		const expected = Number(/\((\d+)\)/.exec(await header.innerText())?.[1] ?? 0);
		const items = container.getByTestId('node-creator-item-name');
		await this.page.waitForFunction(
			([element, count]) =>
				(element as Element).querySelectorAll('[data-test-id="node-creator-item-name"]').length >=
				(count as number),
			[await container.elementHandle(), expected] as const,
			{ timeout: UI_TIMEOUT },
		);
		return (await items.allInnerTexts()).map((text) => text.trim());
	}

	/** Adds the node through one of its entries (an action or a trigger event); the NDV opens. */
	async pickEntry(entry: string): Promise<void> {
		const item = this.creator()
			.getByTestId('item-iterator-item')
			.filter({ has: this.page.getByText(entry, { exact: true }) })
			.first();
		// a collapsed category lists nothing: open both
		if ((await item.count()) === 0)
			for (const category of ['Triggers', 'Actions'] as const) await this.categoryEntries(category);
		await item.click();
		await this.ndv().getByTestId('node-parameters').waitFor();
	}

	// -------------------------------------------------------------------------------------------
	// NDV (node details view)

	ndv(): Locator {
		return this.page.getByTestId('ndv');
	}

	async closeNdv(): Promise<void> {
		await this.ndv().getByTestId('ndv-close-button').click();
		await this.ndv().waitFor({ state: 'hidden' });
	}

	async openNdv(nodeName: string): Promise<void> {
		await this.canvasNode(nodeName).dblclick();
		await this.ndv().getByTestId('node-parameters').waitFor();
	}

	/** The labels of the parameters the Parameters tab shows now, top to bottom (settings excluded). */
	async visibleParameters(): Promise<string[]> {
		const parameters = this.ndv().getByTestId('node-parameters');
		await parameters.waitFor();
		return await parameters.evaluate((root) => {
			const labels: string[] = [];
			for (const label of Array.from(root.querySelectorAll('[data-test-id="input-label"]'))) {
				if ((label as HTMLElement).offsetParent === null) continue; // hidden (e.g. the Settings tab)
				// a label inside a (fixed) collection belongs to that collection's entries
				let nested = false;
				for (
					let parent = label.parentElement;
					parent && parent !== root;
					parent = parent.parentElement
				) {
					if (
						/multi-parameter|collection/i.test(parent.className) &&
						parent.querySelector('[data-test-id="input-label"]') !== label
					)
						nested = true;
				}
				if (nested) continue;
				const title = label.querySelector('[class*="_title_"]') ?? label.querySelector('label');
				const text = (title?.textContent ?? '').replace(/\s*\*\s*$/, '').trim();
				if (text && !labels.includes(text)) labels.push(text);
			}
			return labels;
		});
	}

	/** The option titles of an options parameter (its dropdown), e.g. "operation". */
	async parameterOptions(name: string): Promise<string[]> {
		const input = this.ndv().getByTestId(`parameter-input-${name}`);
		await input.click();
		const list = this.page.getByRole('listbox').filter({ visible: true }).last();
		await list.getByRole('option').first().waitFor();
		const titles = await list
			.getByRole('option')
			.evaluateAll((options) =>
				options.map((option) =>
					(
						(option.querySelector('.option-headline, [class*="headline"]') ?? option) as HTMLElement
					).innerText
						.split('\n')[0]
						.trim(),
				),
			);
		await this.page.keyboard.press('Escape');
		await list.waitFor({ state: 'hidden' });
		return titles;
	}

	/** Chooses an option (by its title) of an options parameter. */
	async selectOption(name: string, title: string): Promise<void> {
		const input = this.ndv().getByTestId(`parameter-input-${name}`);
		await input.click();
		const list = this.page.getByRole('listbox').filter({ visible: true }).last();
		await list
			.getByRole('option')
			.filter({ has: this.page.getByText(title, { exact: true }) })
			.first()
			.click();
		await this.page.waitForFunction(
			([element, expected]) =>
				((element as HTMLElement).querySelector('input') as HTMLInputElement | null)?.value ===
				expected,
			[await input.elementHandle(), title] as const,
			{ timeout: UI_TIMEOUT },
		);
	}

	// -------------------------------------------------------------------------------------------
	// Credentials

	credentialModal(): Locator {
		return this.page.getByTestId('editCredential-modal');
	}

	/** Opens the credential the node uses (the pencil next to "Credential to connect with"). */
	async editNodeCredential(): Promise<Locator> {
		await this.ndv().getByTestId('credential-edit-button').click();
		const modal = this.credentialModal();
		await modal.getByTestId('credential-connection-parameter').first().waitFor();
		return modal;
	}

	/** "Create new credential" from the node's credential select. */
	async createNodeCredential(): Promise<Locator> {
		await this.ndv().getByTestId('node-credentials-select').click();
		await this.page.getByTestId('node-credentials-select-item-new').click();
		const modal = this.credentialModal();
		await modal.getByTestId('credential-connection-parameter').first().waitFor();
		return modal;
	}

	/** Names (as in parameter-input-<name>) and labels of the fields the credential dialog shows. */
	async credentialFields(modal: Locator): Promise<Array<{ name: string; label: string }>> {
		return await modal.getByTestId('credential-connection-parameter').evaluateAll((elements) =>
			elements.map((element) => {
				const input = element.querySelector(
					'[data-test-id^="parameter-input-"]:not([data-test-id="parameter-input-field"])',
				);
				const title = element.querySelector('[class*="_title_"]') ?? element.querySelector('label');
				return {
					name: (input?.getAttribute('data-test-id') ?? '').replace(/^parameter-input-/, ''),
					label: (title?.textContent ?? '').replace(/\s*\*\s*$/, '').trim(),
				};
			}),
		);
	}

	async fillCredentialField(modal: Locator, name: string, value: string): Promise<void> {
		const input = modal.getByTestId(`parameter-input-${name}`).locator('input, textarea').first();
		await input.fill(value);
	}

	async saveCredential(modal: Locator): Promise<void> {
		const save = modal.getByTestId('credential-save-button');
		await save.click();
		await save.getByText('Saved', { exact: true }).waitFor();
	}

	/** The connection test's banner once it has settled: success, or the failure with its details. */
	async credentialTestResult(modal: Locator): Promise<{ ok: boolean; text: string }> {
		const success = modal
			.getByTestId('credentials-config-container-test-success')
			.filter({ visible: true });
		const failure = modal
			.getByText(/Couldn.t connect with these settings/)
			.filter({ visible: true });
		await success.or(failure).first().waitFor();
		if ((await success.count()) > 0)
			return { ok: true, text: (await success.first().innerText()).trim() };
		const details = modal.getByText('More details', { exact: true });
		if (await details.isVisible()) await details.click();
		return {
			ok: false,
			text: (await modal.getByTestId('credential-edit-dialog').innerText()).trim(),
		};
	}

	/** Presses the banner's button that runs the connection test again, and waits for its answer. */
	async retestCredential(modal: Locator): Promise<{ ok: boolean; text: string }> {
		const answered = this.page.waitForResponse((response) =>
			response.url().includes('/rest/credentials/test'),
		);
		await modal
			.getByRole('button', { name: /^(Retry|Test)$/ })
			.first()
			.click();
		await answered;
		return await this.credentialTestResult(modal);
	}

	/** Chooses the node's credential by id in "Credential to connect with". */
	async selectNodeCredential(id: string): Promise<void> {
		await this.ndv().getByTestId('node-credentials-select').click();
		await this.page.getByTestId(`node-credentials-select-item-${id}`).click();
	}

	async closeCredential(modal: Locator): Promise<void> {
		await modal.locator('.el-dialog__close, [aria-label="Close this dialog"]').first().click();
		await modal.waitFor({ state: 'hidden' });
	}

	// -------------------------------------------------------------------------------------------
	// Running

	/** Presses the canvas's "Execute workflow". */
	async executeWorkflow(): Promise<void> {
		await this.page.getByTestId('execute-workflow-button').first().click();
	}

	/**
	 * Item counts as the canvas shows them after a run: "Source → Target" for each connection with a
	 * label, and "Node" for the label next to an output that has no connection.
	 */
	async itemCounts(): Promise<Record<string, number>> {
		return await this.page.evaluate(() => {
			const counts: Record<string, number> = {};
			const parse = (text: string | null) => {
				const match = /([\d,]+)\s+items?/.exec(text ?? '');
				return match ? Number(match[1].replace(/,/g, '')) : undefined;
			};
			for (const label of Array.from(document.querySelectorAll('[data-test-id="edge-label"]'))) {
				const count = parse(label.textContent);
				if (count !== undefined)
					counts[
						`${label.getAttribute('data-source-node-name')} → ${label.getAttribute('data-target-node-name')}`
					] = count;
			}
			for (const handle of Array.from(
				document.querySelectorAll('[data-test-id="canvas-node-output-handle"]'),
			)) {
				const count = parse(handle.textContent);
				if (count !== undefined) counts[handle.getAttribute('data-node-name') ?? '?'] = count;
			}
			return counts;
		});
	}

	/** Waits until the canvas shows every count named in `expected` (or the timeout), then returns all counts. */
	async waitForItemCounts(
		expected: Record<string, number>,
		timeoutMs = 120_000,
	): Promise<Record<string, number>> {
		await this.page
			.waitForFunction(
				(keys) => {
					const seen = new Set<string>();
					for (const label of Array.from(
						document.querySelectorAll('[data-test-id="edge-label"]'),
					)) {
						if (/\d\s+items?/.test(label.textContent ?? ''))
							seen.add(
								`${label.getAttribute('data-source-node-name')} → ${label.getAttribute('data-target-node-name')}`,
							);
					}
					for (const handle of Array.from(
						document.querySelectorAll('[data-test-id="canvas-node-output-handle"]'),
					)) {
						if (/\d\s+items?/.test(handle.textContent ?? ''))
							seen.add(handle.getAttribute('data-node-name') ?? '?');
					}
					const running = document.querySelector(
						'[data-test-id="canvas-node"] [class*="running"], [data-test-id="canvas-node"][class*="running"]',
					);
					return !running && (keys as string[]).every((key) => seen.has(key));
				},
				Object.keys(expected),
				{ timeout: timeoutMs, polling: 250 },
			)
			.catch(() => undefined); // the comparison that follows shows what is missing
		return await this.itemCounts();
	}
}
