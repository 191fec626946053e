/** Reading the downloaded blocks ZIP into one item per CSV row, chunk by chunk. */
import type { IDataObject } from 'n8n-workflow';

import { toBlockItem } from './blockStatus';
import { readCsvRowsFromZip } from './csvFromZip';

/** Calls `onBlock` for every CSV row of the archive's CSV file, as an item like Get Many's. */
export async function readBlocksFromZip(
	zip: Uint8Array,
	password: string | undefined,
	onBlock: (block: IDataObject) => void,
): Promise<void> {
	await readCsvRowsFromZip(zip, password, (row) => onBlock(toBlockItem(row)));
}
