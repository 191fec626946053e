/** Unit tests of the pure helpers: CSV parser, ZIP reader, ZipCrypto and WinZip AES, against the fake's writer. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { CsvParser } from '../../../nodes/CustomersMailCloud/helpers/csv';
import { readBlocksFromZip } from '../../../nodes/CustomersMailCloud/helpers/blocksFromZip';
import {
	ZipError,
	listZipEntries,
	readZipEntry,
} from '../../../nodes/CustomersMailCloud/helpers/zip';
import { ZipCryptoKeys } from '../../../nodes/CustomersMailCloud/helpers/zipCrypto';
import { crc32 } from '../../../nodes/CustomersMailCloud/helpers/crc32';
import { seededRandom } from '../../fakes/fake-server';
import {
	buildZip,
	csvChunks,
	deflateChunks,
	generateBlocks,
	type ZipEncryption,
} from '../../fakes/customers-mail-cloud';

function parseAll(text: string, splits: number[] = []): string[][] {
	const parser = new CsvParser();
	const rows: string[][] = [];
	let last = 0;
	for (const split of [...splits, text.length]) {
		rows.push(...parser.push(text.slice(last, split)));
		last = split;
	}
	rows.push(...parser.end());
	return rows;
}

describe('CsvParser', () => {
	const text = '"a","b ""quoted""",c\r\n"multi\nline","x,y",\r\nlast,"",z';
	const expected = [
		['a', 'b "quoted"', 'c'],
		['multi\nline', 'x,y', ''],
		['last', '', 'z'],
	];

	it('handles quotes, escaped quotes, commas and newlines in quotes, CRLF and a last line without a break', () => {
		expect(parseAll(text)).toEqual(expected);
	});

	it('gives the same rows whatever the chunk boundaries', () => {
		for (let split = 1; split < text.length; split++)
			expect(parseAll(text, [split])).toEqual(expected);
		const random = seededRandom(3);
		for (let run = 0; run < 50; run++) {
			const splits = [
				...new Set(Array.from({ length: 6 }, () => Math.floor(random() * text.length))),
			].sort((a, b) => a - b);
			expect(parseAll(text, splits)).toEqual(expected);
		}
	});

	it('accepts LF line ends and skips blank lines; refuses a file ending inside quotes', () => {
		expect(parseAll('a,b\n\nc,d\n')).toEqual([
			['a', 'b'],
			['c', 'd'],
		]);
		const parser = new CsvParser();
		parser.push('"open');
		expect(() => parser.end()).toThrow(/inside a quoted field/);
	});
});

describe('ZIP reader', () => {
	const blocks = generateBlocks(2500, { seed: 5 });
	const csv = [...csvChunks(blocks, 300)].join('');
	let deflated: Awaited<ReturnType<typeof deflateChunks>>;
	beforeAll(async () => {
		deflated = await deflateChunks(csvChunks(blocks, 300));
	});

	async function unzipText(zip: Buffer, password?: string): Promise<string> {
		const [entry] = listZipEntries(zip);
		const parts: Buffer[] = [];
		for await (const chunk of readZipEntry(zip, entry, password)) parts.push(Buffer.from(chunk));
		return Buffer.concat(parts).toString('utf8');
	}

	const kinds: Array<[string, ZipEncryption, boolean]> = [
		['plain', { kind: 'none' }, false],
		['plain + data descriptor', { kind: 'none' }, true],
		['ZipCrypto', { kind: 'zipcrypto', password: 'pässword' }, false],
		['ZipCrypto + data descriptor', { kind: 'zipcrypto', password: 'secret' }, true],
		['AES-128 AE-1', { kind: 'aes', password: 'secret', strength: 1, version: 1 }, false],
		['AES-192 AE-2', { kind: 'aes', password: 'secret', strength: 2, version: 2 }, false],
		['AES-256 AE-2', { kind: 'aes', password: 'secret', strength: 3, version: 2 }, true],
	];

	it.each(kinds)(
		'reads a %s archive back to the exact CSV',
		async (_name, encryption, dataDescriptor) => {
			const zip = buildZip('blocks.csv', deflated, {
				encryption,
				dataDescriptor,
				random: seededRandom(9),
			});
			const password = encryption.kind === 'none' ? undefined : encryption.password;
			expect(await unzipText(zip, password)).toBe(csv);
		},
	);

	it.each(kinds.filter(([, encryption]) => encryption.kind !== 'none'))(
		'refuses a wrong or missing password for %s',
		async (_name, encryption, dataDescriptor) => {
			const zip = buildZip('blocks.csv', deflated, {
				encryption,
				dataDescriptor,
				random: seededRandom(9),
			});
			await expect(unzipText(zip)).rejects.toMatchObject({ problem: 'passwordRequired' });
			// Many wrong passwords: ZipCrypto's 1-byte check lets some through, the CRC or inflater must catch them.
			for (let attempt = 0; attempt < (encryption.kind === 'zipcrypto' ? 300 : 5); attempt++) {
				await expect(unzipText(zip, `wrong-${attempt}`)).rejects.toMatchObject({
					problem: 'wrongPassword',
				});
			}
		},
	);

	it('refuses truncated and altered archives as damaged', async () => {
		const zip = buildZip('blocks.csv', deflated, {});
		for (const cut of [10, 100, zip.length - 30, zip.length - 1]) {
			await expect(unzipText(zip.subarray(0, cut))).rejects.toBeInstanceOf(ZipError);
		}
		const altered = Buffer.from(zip);
		altered[60] ^= 0xff;
		await expect(unzipText(altered)).rejects.toMatchObject({ problem: 'damaged' });
		const aes = buildZip('blocks.csv', deflated, {
			encryption: { kind: 'aes', password: 'p' },
			random: seededRandom(1),
		});
		const alteredAes = Buffer.from(aes);
		alteredAes[200] ^= 0x01;
		await expect(unzipText(alteredAes, 'p')).rejects.toMatchObject({ problem: 'wrongPassword' });
	});

	it('turns a CSV into block items like Get Many, with statusText', async () => {
		const zip = buildZip('blocks.csv', deflated, {});
		const items: Array<Record<string, unknown>> = [];
		await readBlocksFromZip(zip, undefined, (item) => items.push(item));
		expect(items).toHaveLength(blocks.length);
		expect(items[0]).toEqual({ ...blocks[0], statusText: expect.any(String) });
	});

	it('CRC-32 and ZipCrypto agree with the reference values', () => {
		expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
		const keys = new ZipCryptoKeys(Buffer.from('pw'));
		const encrypted = keys.encrypt(Buffer.from('hello world'));
		expect(Buffer.from(new ZipCryptoKeys(Buffer.from('pw')).decrypt(encrypted)).toString()).toBe(
			'hello world',
		);
	});

	const python = (() => {
		try {
			execFileSync('python3', ['-c', 'import zipfile'], { stdio: 'ignore' });
			return true;
		} catch {
			return false;
		}
	})();
	(python ? it : it.skip)(
		"matches python's zipfile for plain and ZipCrypto archives (independent reader)",
		() => {
			const folder = mkdtempSync(path.join(tmpdir(), 'cmc-zip-'));
			for (const [name, encryption, dataDescriptor] of kinds.filter(([, e]) => e.kind !== 'aes')) {
				const file = path.join(folder, `${name.replace(/\W+/g, '_')}.zip`);
				writeFileSync(
					file,
					buildZip('blocks.csv', deflated, { encryption, dataDescriptor, random: seededRandom(9) }),
				);
				const password = encryption.kind === 'zipcrypto' ? encryption.password : '';
				const text = execFileSync('python3', [
					'-c',
					'import sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); sys.stdout.buffer.write(z.read("blocks.csv", pwd=sys.argv[2].encode() or None))',
					file,
					password,
				]).toString('utf8');
				expect(text).toBe(csv);
			}
		},
	);
});
