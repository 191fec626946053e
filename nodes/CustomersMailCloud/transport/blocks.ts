/** The Blocks API calls the operations and the trigger use. */
import type { IDataObject } from 'n8n-workflow';
import { toNodeApiError } from '../../shared/transport/errors';
import type { RequestContext, TransportSettings } from '../../shared/transport/request';
import { credentialSecrets, excerptOf } from '../../shared/transport/request';
import { customersMailCloudProfile } from './profile';
import type { DownloadedFile } from './download';
import { downloadedFile } from './download';
import { callBlocksApi } from './request';

export type { DownloadedFile } from './download';

export interface BlockFilters {
	email?: string;
	startDate?: string;
	endDate?: string;
	removed?: boolean;
}

export const MAX_PAGE_SIZE = 100;

function filterForm(serverComposition: string, filters: BlockFilters): IDataObject {
	const form: IDataObject = { server_composition: serverComposition };
	if (filters.email) form.email = filters.email;
	if (filters.startDate) form.start_date = filters.startDate;
	if (filters.endDate) form.end_date = filters.endDate;
	if (filters.removed) form.removed = 'true';
	return form;
}

/** One page of the list: p = page index, r = records per page (at most 100). */
export async function listBlocksPage(
	ctx: RequestContext,
	serverComposition: string,
	filters: BlockFilters,
	page: number,
	pageSize: number,
	settings: TransportSettings,
	itemIndex?: number,
): Promise<IDataObject[]> {
	const form = { ...filterForm(serverComposition, filters), p: page, r: pageSize };
	const response = await callBlocksApi<{ blocks?: IDataObject[] }>(ctx, 'list', form, settings, itemIndex);
	const blocks = response.body?.blocks;
	return Array.isArray(blocks) ? blocks : [];
}

/** The ZIP of all blocks matching the filters. */
export async function downloadBlocks(
	ctx: RequestContext,
	serverComposition: string,
	filters: BlockFilters,
	settings: TransportSettings,
	itemIndex?: number,
): Promise<DownloadedFile> {
	return downloadedFile(await callBlocksApi<Buffer>(ctx, 'download', filterForm(serverComposition, filters), settings, itemIndex));
}

/** Lifts the block on one address: `delete` permanently, `cancel` once. */
export async function unblockAddress(
	ctx: RequestContext,
	kind: 'delete' | 'cancel',
	serverComposition: string,
	email: string,
	settings: TransportSettings,
	itemIndex?: number,
): Promise<void> {
	const response = await callBlocksApi<{ message?: unknown }>(
		ctx,
		kind,
		{ server_composition: serverComposition, email },
		settings,
		itemIndex,
	);
	// The API confirms with {"message":"success"}; anything else (another service behind "Host") is no success.
	if (response.body?.message !== 'success') {
		throw toNodeApiError(
			ctx.getNode(),
			{
				httpCode: response.status,
				message: 'Customers Mail Cloud did not confirm that the block was lifted',
				description: `Expected {"message":"success"}, got ${excerptOf(response.body)}. Check "Host" in the credential, and the address in the block list before trying again.`,
			},
			await credentialSecrets(ctx, customersMailCloudProfile),
			itemIndex,
		);
	}
}
