/** Bounce → Download: the bounce list as the service's ZIP file, or one item per bounce. */
import { downloadOperation } from '../suppressionList';
import { bounceList } from './list';

export const { description, execute } = downloadOperation(bounceList);
