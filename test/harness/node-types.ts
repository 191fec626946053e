/** The node-type registry the engine sees: this package's dist/ plus a test-only input node. */
import path from 'node:path';

import type {
	ICredentialType,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	IVersionedNodeType,
} from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';
import { PackageDirectoryLoader } from 'n8n-core';

let loaded: Promise<PackageDirectoryLoader> | undefined;

export const PACKAGE_ROOT = path.resolve(__dirname, '../..');
let packageRoot = PACKAGE_ROOT;

/** Points the harness at another package (a test fixture); call before the first run in a test file. */
export function usePackageRoot(root: string): void {
	packageRoot = root;
	loaded = undefined;
}
export const INPUT_NODE_TYPE = 'test.input';
const PACKAGE_NAME = 'n8n-nodes-delivery-reports';

/** Loads dist/ once per test file, exactly as n8n loads an installed community package. */
export async function packageLoader(): Promise<PackageDirectoryLoader> {
	loaded ??= (async () => {
		const loader = new PackageDirectoryLoader(packageRoot);
		await loader.loadAll();
		return loader;
	})();
	return await loaded;
}

function inputNode(items: INodeExecutionData[]): INodeType {
	return {
		description: {
			displayName: 'Input',
			name: 'input',
			group: ['input'],
			version: 1,
			description: 'Emits the test items',
			defaults: { name: 'Input' },
			inputs: ['main'],
			outputs: ['main'],
			properties: [],
		},
		async execute(this: IExecuteFunctions) {
			return [items];
		},
	} as INodeType;
}

export async function loadNodeTypes(inputItems: INodeExecutionData[]): Promise<INodeTypes> {
	const loader = await packageLoader();
	const byName = new Map<string, INodeType | IVersionedNodeType>();
	for (const [name, entry] of Object.entries(loader.nodeTypes)) {
		byName.set(`${PACKAGE_NAME}.${name}`, entry.type);
	}
	byName.set(INPUT_NODE_TYPE, inputNode(inputItems));
	return {
		getByName(type: string) {
			const found = byName.get(type);
			if (!found) throw new Error(`Unknown node type ${type}`);
			return found;
		},
		getByNameAndVersion(type: string, version?: number) {
			const found = byName.get(type);
			if (!found) throw new Error(`Unknown node type ${type}`);
			return NodeHelpers.getVersionedNodeType(found, version);
		},
		getKnownTypes() {
			return {};
		},
	};
}

const cachedCredentialTypes = new Map<string, ICredentialType>();

/** Makes credential types available synchronously (the engine asks for parent types synchronously). */
export async function cacheCredentialTypes(): Promise<void> {
	const loader = await packageLoader();
	for (const [name, entry] of Object.entries(loader.credentialTypes))
		cachedCredentialTypes.set(name, entry.type);
}

export function cachedCredentialType(name: string): ICredentialType | undefined {
	return cachedCredentialTypes.get(name);
}
