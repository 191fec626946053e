/** Bounce → Get Many: addresses whose mail bounced, filtered, page after page (Return All or a Limit). */
import { getManyOperation } from '../suppressionList';
import { bounceList } from './list';

export const { description, execute } = getManyOperation(bounceList);
