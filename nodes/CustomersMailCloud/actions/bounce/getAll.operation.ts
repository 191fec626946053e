import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { forEachItem } from '../../../shared/execution/items';
import { readLimit, returnAllFields } from '../../../shared/description/listFields';
import { optionsCollection, readOperationOptions } from '../../../shared/description/options';
import { fetchPagesUntilShort } from '../../../shared/transport/paging';
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
		const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
		const limit = returnAll ? undefined : readLimit(this, itemIndex);
		const { concurrency } = readOperationOptions(this, itemIndex);
		const api = bouncesApi(this, itemIndex, serverComposition);
		// Below one full page, ask for exactly the limit: same single request, smaller answer.
		const pageSize = limit !== undefined && limit < BOUNCE_PAGE_SIZE ? limit : BOUNCE_PAGE_SIZE;
		const pages = await fetchPagesUntilShort(
			{
				pageSize,
				concurrency,
				maxPages: limit === undefined ? undefined : Math.ceil(limit / pageSize),
			},
			async (page) => await api.listPage(filters, page, pageSize),
		);
		const bounces: IDataObject[] = [];
		for (const page of pages) {
			for (const bounce of page) {
				if (limit !== undefined && bounces.length >= limit) return bounces;
				bounces.push(toBounceItem(bounce));
			}
		}
		return bounces;
	});
}
