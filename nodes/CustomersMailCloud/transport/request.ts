/** Sending one Blocks API call: URL building, the form body, and the credential's host. */
import type { IDataObject } from 'n8n-workflow';

import type { ApiResponse, RequestContext, TransportSettings } from '../../shared/transport';
import { sendRequest } from '../../shared/transport';
import { CREDENTIAL_TYPE, customersMailCloudProfile } from './profile';

export type BlocksOperation = 'list' | 'download' | 'delete' | 'cancel';

const hostCache = new WeakMap<object, Promise<string>>();

/** The credential's host without trailing slashes; read once per execution context. */
async function hostOf(ctx: RequestContext): Promise<string> {
	let host = hostCache.get(ctx);
	if (!host) {
		host = ctx.getCredentials(CREDENTIAL_TYPE).then((credentials) =>
			String(credentials.host || 'https://api.smtps.jp').trim().replace(/\/+$/, ''),
		);
		hostCache.set(ctx, host);
	}
	return await host;
}

export function blocksPath(operation: BlocksOperation): string {
	return `/transaction/v2/blocks/${operation}.json`;
}

/** POSTs a form to a Blocks operation; only read operations are repeated after a 5xx or dropped connection. */
export async function callBlocksApi<T>(
	ctx: RequestContext,
	operation: BlocksOperation,
	form: IDataObject,
	settings: TransportSettings,
	itemIndex?: number,
): Promise<ApiResponse<T>> {
	const readOnly = operation === 'list' || operation === 'download';
	return await sendRequest<T>(
		ctx,
		customersMailCloudProfile,
		{
			method: 'POST',
			url: (await hostOf(ctx)) + blocksPath(operation),
			body: form,
			bodyFormat: 'form',
			responseFormat: operation === 'download' ? 'binary' : 'json',
			idempotent: readOnly,
		},
		settings,
		itemIndex,
	);
}
