/** The Blocks API calls the operations and the trigger use. */
import type { IDataObject } from 'n8n-workflow';

import type { ClientScope } from '../../shared/transport/client';
import type { RequestContext } from '../../shared/transport/request';
import type { DownloadedFile } from './download';
import { TransactionApi, filterForm } from './request';

export type { DownloadedFile } from './download';

export interface BlockFilters {
	email?: string;
	startDate?: string;
	endDate?: string;
	removed?: boolean;
}

export const MAX_PAGE_SIZE = 100;

/** The API confirms a lifted block with {"message":"success"}; anything else (another service behind "Host") is no success. */
const CONFIRMED = {
	holds: (body: unknown) => (body as { message?: unknown } | null)?.message === 'success',
	message: 'Customers Mail Cloud did not confirm that the block was lifted',
	description: (got: string) =>
		`Expected {"message":"success"}, got ${got}. Check "Host" in the credential, and the address in the block list before trying again.`,
};

/** The Blocks calls of one item (or poll) in one server composition. */
export function blocksApi(ctx: RequestContext, scope: ClientScope, serverComposition: string) {
	const api = new TransactionApi(ctx, scope, 'blocks');
	return {
		/** One page of the list (at most 100 records). */
		async listPage(filters: BlockFilters, page: number, pageSize: number): Promise<IDataObject[]> {
			return await api.listPage(filterForm(serverComposition, filters), page, pageSize, {
				envelope: 'blocks',
			});
		},
		async download(filters: BlockFilters): Promise<DownloadedFile> {
			return await api.download(filterForm(serverComposition, filters));
		},
		/** Lifts the block on one address: `delete` permanently, `cancel` once. */
		async unblock(kind: 'delete' | 'cancel', email: string): Promise<void> {
			await api.post(kind, { server_composition: serverComposition, email }, { expect: CONFIRMED });
		},
	};
}
