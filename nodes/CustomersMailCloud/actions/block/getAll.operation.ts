/** Block → Get Many: the blocked addresses, filtered, page after page (Return All or a Limit). */
import { getManyOperation } from '../suppressionList';
import { blockList } from './list';

export const { description, execute } = getManyOperation(blockList);
