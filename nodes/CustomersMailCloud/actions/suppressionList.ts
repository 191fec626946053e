/**
 * Blocks and Bounces are the same kind of list: addresses the service holds back, filtered, read
 * in pages or downloaded as a ZIP of CSV. Their Get Many and Download operations are built here
 * from what differs between the two; each operation file names its list.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { forEachItem } from '../../shared/execution/items';
import type { OperationModule } from '../../shared/execution/router';
import { readReturnAllOrLimit, returnAllFields } from '../../shared/description/listFields';
import { optionsCollection, readOperationOptions } from '../../shared/description/options';
import { fetchUpTo } from '../../shared/transport/paging';
import type { RequestContext } from '../../shared/transport/request';
import { downloadOutputFields, executeZipDownload } from '../helpers/zipDownload';
import type { DownloadedFile } from '../transport/download';
import { readServerComposition, serverCompositionField } from './block/serverComposition';

export interface SuppressionList<Filters> {
	resource: 'block' | 'bounce';
	/** One entry, as output items are named: "Block". */
	entryName: string;
	/** The list's name in a downloaded file's default name: "blocks". */
	fileNamePrefix: string;
	filtersField: INodeProperties;
	readFilters(ctx: IExecuteFunctions, itemIndex: number): Filters;
	api(
		ctx: RequestContext,
		itemIndex: number,
		serverComposition: string,
	): {
		listPage(filters: Filters, page: number, pageSize: number): Promise<IDataObject[]>;
		download(filters: Filters): Promise<DownloadedFile>;
	};
	maxPageSize: number;
	/** One record (a page's or a CSV row by its header) as an output item. */
	toItem(record: IDataObject): IDataObject;
}

const showFor = (list: SuppressionList<unknown>, operation: string) => ({
	show: { resource: [list.resource], operation: [operation] },
});

/** Get Many: the list's records, page after page (pages fetched ahead), up to Limit or all. */
export function getManyOperation<Filters>(list: SuppressionList<Filters>): OperationModule {
	return {
		description: updateDisplayOptions(showFor(list, 'getAll'), [
			serverCompositionField,
			...returnAllFields,
			list.filtersField,
			optionsCollection({ withConcurrency: true }),
		]),
		async execute(this: IExecuteFunctions, items: INodeExecutionData[]) {
			return await forEachItem(this, items, async (itemIndex) => {
				const serverComposition = await readServerComposition(this, itemIndex);
				const filters = list.readFilters(this, itemIndex);
				const limit = readReturnAllOrLimit(this, itemIndex);
				const { concurrency } = readOperationOptions(this, itemIndex);
				const api = list.api(this, itemIndex, serverComposition);
				const records = await fetchUpTo(
					{ limit, maxPageSize: list.maxPageSize, concurrency },
					async (page, pageSize) => await api.listPage(filters, page, pageSize),
				);
				return records.map(list.toItem);
			});
		},
	};
}

/** Download: the list as the service's ZIP file, or one item per CSV row. */
export function downloadOperation<Filters>(list: SuppressionList<Filters>): OperationModule {
	return {
		description: updateDisplayOptions(showFor(list, 'download'), [
			serverCompositionField,
			list.filtersField,
			...downloadOutputFields(`One Item per ${list.entryName}`),
			// One download at a time: each may be large.
			optionsCollection({ withConcurrency: false }),
		]),
		async execute(this: IExecuteFunctions, items: INodeExecutionData[]) {
			return await executeZipDownload(this, items, {
				fileNamePrefix: list.fileNamePrefix,
				async prepare(ctx, itemIndex) {
					const api = list.api(ctx, itemIndex, await readServerComposition(ctx, itemIndex));
					const filters = list.readFilters(ctx, itemIndex);
					return async () => await api.download(filters);
				},
				toItem: list.toItem,
			});
		},
	};
}
