/**
 * The Bounces calls. The list's envelope and fields come from the SDKs, the download is read by
 * analogy with Blocks: both kept tolerant (records kept whole, CSV read by its header row).
 */
import type { IDataObject } from 'n8n-workflow';

import type { ClientScope } from '../../shared/transport/client';
import type { RequestContext } from '../../shared/transport/request';
import type { DownloadedFile } from './download';
import { TransactionApi, filterForm } from './request';

export interface BounceFilters {
	/** One error status code (1–11, 99, or any other the service adds). */
	status?: string;
	startDate?: string;
	endDate?: string;
	from?: string;
	to?: string;
	apiData?: string;
}

/** Page size: the Blocks limit; the same limit for Bounces is an inference. */
export const BOUNCE_PAGE_SIZE = 100;

/** The Bounces calls of one item (or poll) in one server composition. */
export function bouncesApi(ctx: RequestContext, scope: ClientScope, serverComposition: string) {
	const api = new TransactionApi(ctx, scope, 'bounces');
	return {
		async listPage(filters: BounceFilters, page: number, pageSize: number): Promise<IDataObject[]> {
			return await api.listPage(filterForm(serverComposition, filters), page, pageSize, {
				envelope: 'bounces',
				emptyMeansNone: true,
			});
		},
		async download(filters: BounceFilters): Promise<DownloadedFile> {
			return await api.download(filterForm(serverComposition, filters));
		},
	};
}
