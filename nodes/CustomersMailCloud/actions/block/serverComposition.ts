/**
 * The Server Composition parameter (the sending environment to act on) and its reader, for every
 * Customers Mail Cloud operation and the trigger: empty means the credential's default.
 */
import type {
	ICredentialDataDecryptedObject,
	IExecuteFunctions,
	INode,
	INodeProperties,
	IPollFunctions,
} from 'n8n-workflow';

import { readText } from '../../../shared/description/parameters';
import { invalidInput } from '../../../shared/transport/errors';
import { credentialsOnce } from '../../../shared/transport/request';
import { CREDENTIAL_TYPE } from '../../transport/profile';

export const serverCompositionField: INodeProperties = {
	displayName: 'Server Composition',
	name: 'serverComposition',
	type: 'string',
	default: '',
	placeholder: 'e.g. testcomp',
	description:
		"Name of the server composition (sending environment) to act on. Leave empty to use the credential's Default Server Composition.",
};

/** The trigger's: the same parameter, for the environment it watches. */
export const watchedServerCompositionField: INodeProperties = {
	...serverCompositionField,
	description:
		"Name of the server composition (sending environment) to watch. Leave empty to use the credential's Default Server Composition.",
};

/** The Server Composition given (`own`), else the credential's default; neither is refused naming both. */
async function serverCompositionOrDefault(
	ctx: { getNode(): INode; getCredentials(type: string): Promise<ICredentialDataDecryptedObject> },
	own: string,
	itemIndex?: number,
): Promise<string> {
	if (own) return own;
	// Read once per execution, not once per item: n8n fetches and decrypts it on every call.
	const credentials = await credentialsOnce(ctx, CREDENTIAL_TYPE);
	const fallback = String(credentials.serverComposition ?? '').trim();
	if (fallback) return fallback;
	throw invalidInput(
		ctx.getNode(),
		'Server Composition is empty',
		'Enter the name of a server composition in "Server Composition", or set "Default Server Composition" in the credential.',
		itemIndex,
	);
}

/** An item's Server Composition, or the credential's default when the field is empty. */
export async function readServerComposition(
	ctx: IExecuteFunctions,
	itemIndex: number,
): Promise<string> {
	const own = readText(ctx, 'serverComposition', itemIndex, { label: 'Server Composition' });
	return await serverCompositionOrDefault(ctx, own, itemIndex);
}

/** The trigger's Server Composition, or the credential's default when the field is empty. */
export async function readWatchedServerComposition(ctx: IPollFunctions): Promise<string> {
	return await serverCompositionOrDefault(
		ctx,
		String(ctx.getNodeParameter('serverComposition', '') ?? '').trim(),
	);
}
