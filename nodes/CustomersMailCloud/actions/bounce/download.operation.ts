import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { optionsCollection } from '../../../shared/description/options';
import { readBounceFilters, toBounceItem } from '../../helpers/bounceInput';
import { readServerComposition } from '../../helpers/input';
import { downloadOutputFields, executeZipDownload } from '../../helpers/zipDownload';
import { bouncesApi } from '../../transport/bounces';
import { serverCompositionField } from '../block/fields';
import { bounceFiltersField } from './fields';

const show = { resource: ['bounce'], operation: ['download'] };
const ROWS = 'One Item per Bounce';

export const description: INodeProperties[] = [
	serverCompositionField(['download'], 'bounce'),
	bounceFiltersField(['download']),
	...downloadOutputFields(show, ROWS, 'Unzip the CSV inside and output one item per row, like Get Many'),
	// One download at a time: each may be large.
	optionsCollection({ show, withConcurrency: false }),
];

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
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
