/** The Deliveries list call: one record per delivery event (queued, succeeded, failed, deferred). */
import type { IDataObject } from 'n8n-workflow';

import type { RequestContext, TransportSettings } from '../../shared/transport/request';
import { emptyAnswerAsNoRecords, recordsOf } from './records';
import { callTransactionApi } from './request';

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

function deliveryForm(serverComposition: string, filters: DeliveryFilters): IDataObject {
	const form: IDataObject = { server_composition: serverComposition, date: filters.date };
	if (filters.hour !== undefined) form.hour = filters.hour;
	if (filters.status) form.status = filters.status;
	if (filters.from) form.from = filters.from;
	if (filters.to) form.to = filters.to;
	if (filters.apiData) form.api_data = filters.apiData;
	return form;
}

/** One page of one day's delivery records. */
export async function listDeliveriesPage(
	ctx: RequestContext,
	serverComposition: string,
	filters: DeliveryFilters,
	page: number,
	pageSize: number,
	settings: TransportSettings,
	itemIndex?: number,
): Promise<IDataObject[]> {
	const form = { ...deliveryForm(serverComposition, filters), p: page, r: pageSize };
	return await emptyAnswerAsNoRecords(async () => {
		const response = await callTransactionApi(ctx, 'deliveries', 'list', form, settings, itemIndex);
		return recordsOf(response.body, 'deliveries');
	});
}
