import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { optionsCollection } from '../../../shared/description/options';
import { toBounceItem } from '../../helpers/blockStatus';
import { downloadOutputFields, executeZipDownload } from '../../helpers/zipDownload';
import { bouncesApi } from '../../transport/bounces';
import { readServerComposition, serverCompositionField } from '../block/serverComposition';
import { bounceFiltersField, readBounceFilters } from './filters';

const properties: INodeProperties[] = [
	serverCompositionField,
	bounceFiltersField,
	...downloadOutputFields('One Item per Bounce'),
	// One download at a time: each may be large.
	optionsCollection({ withConcurrency: false }),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['bounce'], operation: ['download'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await executeZipDownload(this, items, {
		fileNamePrefix: 'bounces',
		async prepare(ctx, itemIndex) {
			const api = bouncesApi(ctx, itemIndex, await readServerComposition(ctx, itemIndex));
			const filters = readBounceFilters(ctx, itemIndex);
			return async () => await api.download(filters);
		},
		toItem: toBounceItem,
	});
}
