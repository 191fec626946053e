/** The bounce list as Get Many and Download read it. */
import { toBounceItem } from '../../helpers/blockStatus';
import { BOUNCE_PAGE_SIZE, bouncesApi, type BounceFilters } from '../../transport/bounces';
import type { SuppressionList } from '../suppressionList';
import { bounceFiltersField, readBounceFilters } from './filters';

export const bounceList: SuppressionList<BounceFilters> = {
	resource: 'bounce',
	entryName: 'Bounce',
	fileNamePrefix: 'bounces',
	filtersField: bounceFiltersField,
	readFilters: readBounceFilters,
	api: bouncesApi,
	maxPageSize: BOUNCE_PAGE_SIZE,
	toItem: toBounceItem,
};
