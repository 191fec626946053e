/** Block → Download: the block list as the service's ZIP file, or one item per block. */
import { downloadOperation } from '../suppressionList';
import { blockList } from './list';

export const { description, execute } = downloadOperation(blockList);
