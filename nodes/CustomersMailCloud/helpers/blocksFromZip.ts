/** Reading the downloaded blocks ZIP into one item per CSV row, chunk by chunk. */
import type { IDataObject } from 'n8n-workflow';

import { toBlockItem } from './blockStatus';
import { CsvParser } from './csv';
import { ZipError, listZipEntries, readZipEntry } from './zip';

/** Calls `onBlock` for every CSV row of the archive's CSV file, as an item like Get Many's. */
export async function readBlocksFromZip(
	zip: Uint8Array,
	password: string | undefined,
	onBlock: (block: IDataObject) => void,
): Promise<void> {
	const entries = listZipEntries(zip).filter((entry) => !entry.name.endsWith('/'));
	const entry = entries.find((candidate) => candidate.name.toLowerCase().endsWith('.csv')) ?? entries[0];
	if (!entry) throw new ZipError('damaged', 'The ZIP file holds no file');
	const decoder = new TextDecoder('utf-8');
	const parser = new CsvParser();
	let header: string[] | undefined;
	const emit = (rows: string[][]) => {
		for (const row of rows) {
			if (!header) {
				header = row.map((name, index) => (index === 0 ? name.replace(/^\uFEFF/, '') : name).trim());
				continue;
			}
			const block: IDataObject = {};
			for (let column = 0; column < header.length; column++) block[header[column]] = row[column] ?? '';
			onBlock(toBlockItem(block));
		}
	};
	for await (const chunk of readZipEntry(zip, entry, password)) {
		emit(parser.push(decoder.decode(chunk, { stream: true })));
	}
	emit(parser.push(decoder.decode()));
	emit(parser.end());
}
