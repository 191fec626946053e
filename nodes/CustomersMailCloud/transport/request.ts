/** Sending one Blocks API call: URL building and the form body. */
import type { IDataObject } from 'n8n-workflow';

import { credentialBaseUrl } from '../../shared/baseUrl';
import type { ApiResponse, RequestContext, TransportSettings } from '../../shared/transport';
import { sendRequest } from '../../shared/transport';
import { CREDENTIAL_TYPE, customersMailCloudProfile } from './profile';

export type BlocksOperation = 'list' | 'download' | 'delete' | 'cancel';

const DEFAULT_HOST = 'https://api.smtps.jp';

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
			url: (await credentialBaseUrl(ctx, CREDENTIAL_TYPE, 'host', DEFAULT_HOST)) + blocksPath(operation),
			body: form,
			bodyFormat: 'form',
			responseFormat: operation === 'download' ? 'binary' : 'json',
			idempotent: readOnly,
		},
		settings,
		itemIndex,
	);
}
