/** Sending one Transaction API v2 call: URL building and the form body. */
import type { IDataObject } from 'n8n-workflow';

import { credentialBaseUrl } from '../../shared/transport/baseUrl';
import type { ApiResponse, RequestContext, TransportSettings } from '../../shared/transport/request';
import { sendRequest } from '../../shared/transport/request';
import { CREDENTIAL_TYPE, customersMailCloudProfile } from './profile';

export type TransactionResource = 'blocks' | 'deliveries' | 'bounces';
export type TransactionOperation = 'list' | 'download' | 'delete' | 'cancel';
export type BlocksOperation = TransactionOperation;

const DEFAULT_HOST = 'https://api.smtps.jp';

export function transactionPath(resource: TransactionResource, operation: TransactionOperation): string {
	return `/transaction/v2/${resource}/${operation}.json`;
}

export function blocksPath(operation: BlocksOperation): string {
	return transactionPath('blocks', operation);
}

/**
 * POSTs a form to a Transaction API operation; only read operations (list, download) are
 * repeated after a 5xx or dropped connection.
 */
export async function callTransactionApi<T>(
	ctx: RequestContext,
	resource: TransactionResource,
	operation: TransactionOperation,
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
			url: (await credentialBaseUrl(ctx, CREDENTIAL_TYPE, 'host', DEFAULT_HOST)) + transactionPath(resource, operation),
			body: form,
			bodyFormat: 'form',
			responseFormat: operation === 'download' ? 'binary' : 'json',
			idempotent: readOnly,
		},
		settings,
		itemIndex,
	);
}

/** POSTs a form to a Blocks operation. */
export async function callBlocksApi<T>(
	ctx: RequestContext,
	operation: BlocksOperation,
	form: IDataObject,
	settings: TransportSettings,
	itemIndex?: number,
): Promise<ApiResponse<T>> {
	return await callTransactionApi<T>(ctx, 'blocks', operation, form, settings, itemIndex);
}
