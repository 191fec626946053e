/** The Deliveries list call: one record per delivery event (queued, succeeded, failed, deferred). */
import type { IDataObject } from 'n8n-workflow';

import type { ClientScope } from '../../shared/transport/client';
import type { RequestContext } from '../../shared/transport/request';
import { TransactionApi, filterForm } from './request';

export const DELIVERY_STATUSES = ['queued', 'succeeded', 'failed', 'deferred'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface DeliveryFilters {
	/** The one day searched, yyyy-mm-dd (required by the API). */
	date: string;
	hour?: number;
	status?: DeliveryStatus;
	from?: string;
	to?: string;
	apiData?: string;
}

/** Page size: the Blocks limit; the same limit for Deliveries is an inference. */
export const DELIVERY_PAGE_SIZE = 100;

/** The Deliveries calls of one item (or poll) in one server composition. */
export function deliveriesApi(ctx: RequestContext, scope: ClientScope, serverComposition: string) {
	const api = new TransactionApi(ctx, scope, 'deliveries');
	return {
		/** One page of one day's delivery records. */
		async listPage(
			filters: DeliveryFilters,
			page: number,
			pageSize: number,
		): Promise<IDataObject[]> {
			return await api.listPage(filterForm(serverComposition, filters), page, pageSize, {
				envelope: 'deliveries',
				emptyMeansNone: true,
			});
		},
	};
}
