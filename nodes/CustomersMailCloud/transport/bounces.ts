/**
 * The Bounces calls. The list's envelope and fields come from the SDKs, the download is read by
 * analogy with Blocks: both kept tolerant (records kept whole, CSV read by its header row).
 */
import type { IDataObject } from 'n8n-workflow';

import type { RequestContext, TransportSettings } from '../../shared/transport/request';
import type { DownloadedFile } from './download';
import { downloadedFile } from './download';
import { emptyAnswerAsNoRecords, recordsOf } from './records';
import { callTransactionApi } from './request';

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

function bounceForm(serverComposition: string, filters: BounceFilters): IDataObject {
	const form: IDataObject = { server_composition: serverComposition };
	if (filters.status) form.status = filters.status;
	if (filters.startDate) form.start_date = filters.startDate;
	if (filters.endDate) form.end_date = filters.endDate;
	if (filters.from) form.from = filters.from;
	if (filters.to) form.to = filters.to;
	if (filters.apiData) form.api_data = filters.apiData;
	return form;
}

export async function listBouncesPage(
	ctx: RequestContext,
	serverComposition: string,
	filters: BounceFilters,
	page: number,
	pageSize: number,
	settings: TransportSettings,
	itemIndex?: number,
): Promise<IDataObject[]> {
	const form = { ...bounceForm(serverComposition, filters), p: page, r: pageSize };
	return await emptyAnswerAsNoRecords(async () => {
		const response = await callTransactionApi(ctx, 'bounces', 'list', form, settings, itemIndex);
		return recordsOf(response.body, 'bounces');
	});
}

/** The ZIP of all bounces matching the filters. */
export async function downloadBounces(
	ctx: RequestContext,
	serverComposition: string,
	filters: BounceFilters,
	settings: TransportSettings,
	itemIndex?: number,
): Promise<DownloadedFile> {
	return downloadedFile(
		await callTransactionApi<Buffer>(ctx, 'bounces', 'download', bounceForm(serverComposition, filters), settings, itemIndex),
	);
}
