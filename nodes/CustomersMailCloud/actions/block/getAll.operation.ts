import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { forEachItem } from '../../../shared/execution/items';
import { readReturnAllOrLimit, returnAllFields } from '../../../shared/description/listFields';
import { optionsCollection, readOperationOptions } from '../../../shared/description/options';
import { fetchUpTo } from '../../../shared/transport/paging';
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
		const limit = readReturnAllOrLimit(this, itemIndex);
		const { concurrency } = readOperationOptions(this, itemIndex);
		const api = blocksApi(this, itemIndex, serverComposition);
		const records = await fetchUpTo(
			{ limit, maxPageSize: MAX_PAGE_SIZE, concurrency },
			async (page, pageSize) => await api.listPage(filters, page, pageSize),
		);
		return records.map(toBlockItem);
	});
}
