/** The Blocks API calls the operations and the trigger use. */
import type { IDataObject } from 'n8n-workflow';
import { toNodeApiError } from '../../shared/errors';
import type { RequestContext, TransportSettings } from '../../shared/transport';
import { credentialSecrets, excerptOf } from '../../shared/transport';
import { customersMailCloudProfile } from './profile';
import { callBlocksApi } from './request';

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

export interface DownloadedFile {
	/** HTTP status of the answer. */
	status: number;
	bytes: Buffer;
	/** From Content-Disposition, when the API names the file. */
	fileName?: string;
	mimeType?: string;
}

function fileNameFrom(disposition: unknown): string | undefined {
	const header = Array.isArray(disposition) ? disposition[0] : disposition;
	if (typeof header !== 'string') return undefined;
	const encoded = /filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i.exec(header);
	if (encoded) {
		try {
			return decodeURIComponent(encoded[1].trim().replace(/^"|"$/g, ''));
		} catch {
			// not percent-encoded after all: fall back to the plain form
		}
	}
	const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/i.exec(header);
	const name = plain ? (plain[2] ?? plain[1]).trim() : '';
	return name || undefined;
}

/** The ZIP of all blocks matching the filters. */
export async function downloadBlocks(
	ctx: RequestContext,
	serverComposition: string,
	filters: BlockFilters,
	settings: TransportSettings,
	itemIndex?: number,
): Promise<DownloadedFile> {
	const response = await callBlocksApi<Buffer>(ctx, 'download', filterForm(serverComposition, filters), settings, itemIndex);
	const contentType = response.headers['content-type'];
	return {
		status: response.status,
		bytes: response.body,
		fileName: fileNameFrom(response.headers['content-disposition']),
		mimeType: typeof contentType === 'string' ? contentType.split(';')[0].trim() : undefined,
	};
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
