import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { forEachItem } from '../../../shared/execution/items';
import { readReturnAllOrLimit, returnAllFields } from '../../../shared/description/listFields';
import { optionsCollection, readOperationOptions } from '../../../shared/description/options';
import { fetchUpTo } from '../../../shared/transport/paging';
import { toBounceItem } from '../../helpers/blockStatus';
import { BOUNCE_PAGE_SIZE, bouncesApi } from '../../transport/bounces';
import { readServerComposition, serverCompositionField } from '../block/serverComposition';
import { bounceFiltersField, readBounceFilters } from './filters';

const properties: INodeProperties[] = [
	serverCompositionField,
	...returnAllFields,
	bounceFiltersField,
	optionsCollection({ withConcurrency: true }),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['bounce'], operation: ['getAll'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await forEachItem(this, items, async (itemIndex) => {
		const serverComposition = await readServerComposition(this, itemIndex);
		const filters = readBounceFilters(this, itemIndex);
		const limit = readReturnAllOrLimit(this, itemIndex);
		const { concurrency } = readOperationOptions(this, itemIndex);
		const api = bouncesApi(this, itemIndex, serverComposition);
		const records = await fetchUpTo(
			{ limit, maxPageSize: BOUNCE_PAGE_SIZE, concurrency },
			async (page, pageSize) => await api.listPage(filters, page, pageSize),
		);
		return records.map(toBounceItem);
	});
}
