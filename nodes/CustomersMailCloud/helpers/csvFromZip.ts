/** Reading the CSV inside a downloaded ZIP into one object per row, columns named by the header row. */
import type { IDataObject } from 'n8n-workflow';

import { CsvParser } from './csv';
import { ZipError, listZipEntries, readZipEntry } from './zip';

/**
 * Calls `onRow` for every data row of the archive's CSV file (the first .csv, else the first
 * file), chunk by chunk: the unzipped CSV is never held whole. Columns are read by the header
 * row, so their order does not matter and unknown columns are kept.
 */
export async function readCsvRowsFromZip(
	zip: Uint8Array,
	password: string | undefined,
	onRow: (row: IDataObject) => void,
): Promise<void> {
	const entries = listZipEntries(zip).filter((entry) => !entry.name.endsWith('/'));
	const entry =
		entries.find((candidate) => candidate.name.toLowerCase().endsWith('.csv')) ?? entries[0];
	if (!entry) throw new ZipError('damaged', 'The ZIP file holds no file');
	const decoder = new TextDecoder('utf-8');
	const parser = new CsvParser();
	let header: string[] | undefined;
	const emit = (rows: string[][]) => {
		for (const row of rows) {
			if (!header) {
				header = row.map((name, index) =>
					(index === 0 ? name.replace(/^\uFEFF/, '') : name).trim(),
				);
				continue;
			}
			const record: IDataObject = {};
			for (let column = 0; column < header.length; column++)
				record[header[column]] = row[column] ?? '';
			onRow(record);
		}
	};
	for await (const chunk of readZipEntry(zip, entry, password)) {
		emit(parser.push(decoder.decode(chunk, { stream: true })));
	}
	emit(parser.push(decoder.decode()));
	emit(parser.end());
}
