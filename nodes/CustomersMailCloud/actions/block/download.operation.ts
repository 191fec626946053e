import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { optionsCollection } from '../../../shared/description/options';
import { toBlockItem } from '../../helpers/blockStatus';
import { readFilters, readServerComposition } from '../../helpers/input';
import { downloadOutputFields, executeZipDownload } from '../../helpers/zipDownload';
import { blocksApi } from '../../transport/blocks';
import { filtersField, serverCompositionField } from './fields';

const show = { resource: ['block'], operation: ['download'] };
const ROWS = 'One Item per Block';

export const description: INodeProperties[] = [
	serverCompositionField(['download']),
	filtersField(['download']),
	...downloadOutputFields(show, ROWS, 'Unzip the CSV inside and output one item per row, like Get Many'),
	// One download at a time: each may be large.
	optionsCollection({ show, withConcurrency: false }),
];

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
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
