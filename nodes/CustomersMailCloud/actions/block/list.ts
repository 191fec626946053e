/** The block list as Get Many and Download read it. */
import { toBlockItem } from '../../helpers/blockStatus';
import { MAX_PAGE_SIZE, blocksApi, type BlockFilters } from '../../transport/blocks';
import type { SuppressionList } from '../suppressionList';
import { blockFiltersField, readFilters } from './filters';

export const blockList: SuppressionList<BlockFilters> = {
	resource: 'block',
	entryName: 'Block',
	fileNamePrefix: 'blocks',
	filtersField: blockFiltersField,
	readFilters,
	api: blocksApi,
	maxPageSize: MAX_PAGE_SIZE,
	toItem: toBlockItem,
};
