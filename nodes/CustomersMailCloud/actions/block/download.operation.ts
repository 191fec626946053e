import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { optionsCollection } from '../../../shared/description/options';
import { toBlockItem } from '../../helpers/blockStatus';
import { downloadOutputFields, executeZipDownload } from '../../helpers/zipDownload';
import { blocksApi } from '../../transport/blocks';
import { blockFiltersField, readFilters } from './filters';
import { readServerComposition, serverCompositionField } from './serverComposition';

const properties: INodeProperties[] = [
	serverCompositionField,
	blockFiltersField,
	...downloadOutputFields('One Item per Block'),
	// One download at a time: each may be large.
	optionsCollection({ withConcurrency: false }),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['block'], operation: ['download'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await executeZipDownload(this, items, {
		fileNamePrefix: 'blocks',
		async prepare(ctx, itemIndex) {
			const api = blocksApi(ctx, itemIndex, await readServerComposition(ctx, itemIndex));
			const filters = readFilters(ctx, itemIndex);
			return async () => await api.download(filters);
		},
		toItem: toBlockItem,
	});
}
