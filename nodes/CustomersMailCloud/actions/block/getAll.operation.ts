import type {
	IExecuteFunctions,
	IDataObject,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { forEachItem } from '../../../shared/execution/items';
import { readLimit, returnAllFields } from '../../../shared/description/listFields';
import { optionsCollection, readOperationOptions } from '../../../shared/description/options';
import { fetchPagesUntilShort } from '../../../shared/transport/paging';
import { toBlockItem } from '../../helpers/blockStatus';
import { MAX_PAGE_SIZE, blocksApi } from '../../transport/blocks';
import { blockFiltersField, readFilters } from './filters';
import { readServerComposition, serverCompositionField } from './serverComposition';

const properties: INodeProperties[] = [
	serverCompositionField,
	...returnAllFields,
	blockFiltersField,
	optionsCollection({ withConcurrency: true }),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['block'], operation: ['getAll'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await forEachItem(this, items, async (itemIndex) => {
		const serverComposition = await readServerComposition(this, itemIndex);
		const filters = readFilters(this, itemIndex);
		const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
		const limit = returnAll ? undefined : readLimit(this, itemIndex);
		const { concurrency } = readOperationOptions(this, itemIndex);
		const api = blocksApi(this, itemIndex, serverComposition);
		// Below one full page, ask for exactly the limit: same single request, smaller answer.
		const pageSize = limit !== undefined && limit < MAX_PAGE_SIZE ? limit : MAX_PAGE_SIZE;
		const pages = await fetchPagesUntilShort(
			{
				pageSize,
				concurrency,
				maxPages: limit === undefined ? undefined : Math.ceil(limit / pageSize),
			},
			async (page) => await api.listPage(filters, page, pageSize),
		);
		const blocks: IDataObject[] = [];
		for (const page of pages) {
			for (const block of page) {
				if (limit !== undefined && blocks.length >= limit) return blocks;
				blocks.push(toBlockItem(block));
			}
		}
		return blocks;
	});
}
