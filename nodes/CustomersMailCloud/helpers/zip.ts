/**
 * A small ZIP reader for one downloaded archive held in memory: it reads the central directory,
 * then streams an entry's data through decryption (ZipCrypto or WinZip AES) and decompression
 * (stored, or deflate via the platform's DecompressionStream) in bounded chunks, so the
 * decompressed file is never held whole. CRC-32 and AES authentication codes are checked, so a
 * damaged file or a wrong password is an error and never garbage.
 */
import { crc32 } from './crc32';
import {
	AES_AUTH_CODE_LENGTH,
	AES_VERIFIER_LENGTH,
	WinZipAesCtr,
	aesAuthCodeMatches,
	aesSizes,
	deriveAesKeys,
} from './winZipAes';
import { ZIP_CRYPTO_HEADER_LENGTH, ZipCryptoKeys } from './zipCrypto';

export type ZipProblem = 'damaged' | 'passwordRequired' | 'wrongPassword' | 'unsupported';

export class ZipError extends Error {
	constructor(
		readonly problem: ZipProblem,
		message: string,
	) {
		super(message);
		this.name = 'ZipError';
	}
}

export interface ZipEntry {
	name: string;
	flags: number;
	method: number;
	modTime: number;
	crc: number;
	compressedSize: number;
	uncompressedSize: number;
	localHeaderOffset: number;
	/** WinZip AES details, from the 0x9901 extra field. */
	aes?: { version: number; strength: number; method: number };
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const METHOD_STORED = 0;
const METHOD_DEFLATE = 8;
const METHOD_AES = 99;
const FLAG_ENCRYPTED = 0x1;
const FLAG_DATA_DESCRIPTOR = 0x8;
/** Bytes handed to the cipher and the inflater at once: bounds memory, multiple of 16 for AES. */
const CHUNK = 64 * 1024;

function damaged(detail: string): ZipError {
	return new ZipError('damaged', `The ZIP file is damaged or incomplete (${detail})`);
}

function view(bytes: Uint8Array): DataView {
	return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function findEndOfCentralDirectory(bytes: Uint8Array): number {
	const data = view(bytes);
	const earliest = Math.max(0, bytes.length - 22 - 0xffff);
	for (let offset = bytes.length - 22; offset >= earliest; offset--) {
		if (data.getUint32(offset, true) === EOCD_SIGNATURE) return offset;
	}
	throw damaged('no end-of-archive record');
}

function readAesExtra(extra: Uint8Array): ZipEntry['aes'] {
	const data = view(extra);
	for (let offset = 0; offset + 4 <= extra.length; ) {
		const id = data.getUint16(offset, true);
		const size = data.getUint16(offset + 2, true);
		if (id === 0x9901 && size >= 7 && offset + 4 + size <= extra.length) {
			return {
				version: data.getUint16(offset + 4, true),
				strength: extra[offset + 8],
				method: data.getUint16(offset + 9, true),
			};
		}
		offset += 4 + size;
	}
	return undefined;
}

/** The entries the central directory lists. */
export function listZipEntries(bytes: Uint8Array): ZipEntry[] {
	if (bytes.length < 22) throw damaged('too short to be a ZIP file');
	const end = findEndOfCentralDirectory(bytes);
	const data = view(bytes);
	const count = data.getUint16(end + 10, true);
	const directoryOffset = data.getUint32(end + 16, true);
	if (count === 0xffff || directoryOffset === 0xffffffff) {
		throw new ZipError('unsupported', 'ZIP64 archives are not supported');
	}
	const entries: ZipEntry[] = [];
	let offset = directoryOffset;
	for (let index = 0; index < count; index++) {
		if (offset + 46 > bytes.length || data.getUint32(offset, true) !== CENTRAL_SIGNATURE) {
			throw damaged('central directory cut short');
		}
		const nameLength = data.getUint16(offset + 28, true);
		const extraLength = data.getUint16(offset + 30, true);
		const commentLength = data.getUint16(offset + 32, true);
		const nameStart = offset + 46;
		const extra = bytes.subarray(nameStart + nameLength, nameStart + nameLength + extraLength);
		entries.push({
			name: new TextDecoder().decode(bytes.subarray(nameStart, nameStart + nameLength)),
			flags: data.getUint16(offset + 8, true),
			method: data.getUint16(offset + 10, true),
			modTime: data.getUint16(offset + 12, true),
			crc: data.getUint32(offset + 16, true),
			compressedSize: data.getUint32(offset + 20, true),
			uncompressedSize: data.getUint32(offset + 24, true),
			localHeaderOffset: data.getUint32(offset + 42, true),
			aes: readAesExtra(extra),
		});
		offset = nameStart + nameLength + extraLength + commentLength;
	}
	return entries;
}

export function isEncrypted(entry: ZipEntry): boolean {
	return (entry.flags & FLAG_ENCRYPTED) !== 0;
}

/** The entry's raw (possibly encrypted, compressed) bytes. */
function rawDataOf(bytes: Uint8Array, entry: ZipEntry): Uint8Array {
	const data = view(bytes);
	const local = entry.localHeaderOffset;
	if (local + 30 > bytes.length || data.getUint32(local, true) !== LOCAL_SIGNATURE) {
		throw damaged(`no local header for "${entry.name}"`);
	}
	const start = local + 30 + data.getUint16(local + 26, true) + data.getUint16(local + 28, true);
	const end = start + entry.compressedSize;
	if (end > bytes.length) throw damaged(`data of "${entry.name}" cut short`);
	return bytes.subarray(start, end);
}

function* chunksOf(bytes: Uint8Array): Generator<Uint8Array> {
	for (let offset = 0; offset < bytes.length; offset += CHUNK)
		yield bytes.subarray(offset, offset + CHUNK);
}

function* decryptZipCrypto(
	raw: Uint8Array,
	entry: ZipEntry,
	password: Uint8Array,
): Generator<Uint8Array> {
	if (raw.length < ZIP_CRYPTO_HEADER_LENGTH) throw damaged('encryption header cut short');
	const keys = new ZipCryptoKeys(password);
	const header = keys.decrypt(raw.subarray(0, ZIP_CRYPTO_HEADER_LENGTH));
	// The last header byte repeats the CRC's (or, with a data descriptor, the time's) high byte.
	const check =
		entry.flags & FLAG_DATA_DESCRIPTOR ? (entry.modTime >>> 8) & 0xff : entry.crc >>> 24;
	if (header[ZIP_CRYPTO_HEADER_LENGTH - 1] !== check) throw wrongPassword();
	for (const chunk of chunksOf(raw.subarray(ZIP_CRYPTO_HEADER_LENGTH))) yield keys.decrypt(chunk);
}

function* decryptAes(
	raw: Uint8Array,
	entry: ZipEntry,
	password: Uint8Array,
): Generator<Uint8Array> {
	const sizes = aesSizes(entry.aes!.strength);
	if (!sizes) throw new ZipError('unsupported', `Unknown AES strength ${entry.aes!.strength}`);
	const overhead = sizes.saltLength + AES_VERIFIER_LENGTH + AES_AUTH_CODE_LENGTH;
	if (raw.length < overhead) throw damaged('AES header cut short');
	const salt = raw.subarray(0, sizes.saltLength);
	const verifier = raw.subarray(sizes.saltLength, sizes.saltLength + AES_VERIFIER_LENGTH);
	const encrypted = raw.subarray(
		sizes.saltLength + AES_VERIFIER_LENGTH,
		raw.length - AES_AUTH_CODE_LENGTH,
	);
	const authCode = raw.subarray(raw.length - AES_AUTH_CODE_LENGTH);
	const keys = deriveAesKeys(password, salt, sizes.keyLength);
	if (keys.verifier[0] !== verifier[0] || keys.verifier[1] !== verifier[1]) throw wrongPassword();
	// Checked before anything is decrypted: a wrong password or altered data never yields output.
	if (!aesAuthCodeMatches(keys.macKey, encrypted, authCode)) {
		throw new ZipError(
			'wrongPassword',
			'The ZIP file failed its AES authentication check: the password is wrong or the file was altered',
		);
	}
	const ctr = new WinZipAesCtr(keys.encryptionKey);
	for (const chunk of chunksOf(encrypted)) yield ctr.transform(chunk);
}

function wrongPassword(): ZipError {
	return new ZipError('wrongPassword', 'The ZIP password is wrong');
}

/** `badData` names the failure: for encrypted data, invalid deflate means a wrong password. */
async function* inflateRaw(
	chunks: Iterable<Uint8Array>,
	badData: (detail: string) => ZipError,
): AsyncGenerator<Uint8Array> {
	const stream = new DecompressionStream('deflate-raw');
	const writer = stream.writable.getWriter();
	const reader = stream.readable.getReader();
	let writeFailure: unknown;
	const feeding = (async () => {
		try {
			for (const chunk of chunks) {
				await writer.ready;
				await writer.write(chunk as Uint8Array<ArrayBuffer>);
			}
			await writer.close();
		} catch (error) {
			writeFailure = error;
			await writer.abort(error).catch(() => undefined);
		}
	})();
	try {
		for (;;) {
			let result: ReadableStreamReadResult<Uint8Array>;
			try {
				result = await reader.read();
			} catch (error) {
				throw badData(`deflate data: ${(error as Error).message}`);
			}
			if (result.done) break;
			yield result.value;
		}
		await feeding;
		if (writeFailure instanceof ZipError) throw writeFailure;
		if (writeFailure) throw badData(`deflate data: ${(writeFailure as Error).message}`);
	} finally {
		await reader.cancel().catch(() => undefined);
	}
}

/**
 * Streams one entry's decompressed bytes. Throws ZipError for a missing or wrong password,
 * damaged data, or an unsupported method.
 */
export async function* readZipEntry(
	bytes: Uint8Array,
	entry: ZipEntry,
	password?: string,
): AsyncGenerator<Uint8Array> {
	const raw = rawDataOf(bytes, entry);
	let method = entry.method;
	let plain: Iterable<Uint8Array> = chunksOf(raw);
	let checkCrc = true;
	if (isEncrypted(entry)) {
		if (!password)
			throw new ZipError('passwordRequired', 'The ZIP file is encrypted and no password was given');
		const passwordBytes = new TextEncoder().encode(password);
		if (method === METHOD_AES) {
			if (!entry.aes) throw damaged('AES entry without its extra field');
			method = entry.aes.method;
			// AE-2 stores no CRC: the authentication code protects the data instead.
			checkCrc = entry.aes.version !== 2;
			plain = decryptAes(raw, entry, passwordBytes);
		} else {
			plain = decryptZipCrypto(raw, entry, passwordBytes);
		}
	}
	if (method !== METHOD_STORED && method !== METHOD_DEFLATE) {
		throw new ZipError('unsupported', `Compression method ${method} is not supported`);
	}
	// ZipCrypto's header check lets 1 wrong password in 256 through; the inflater then fails.
	const badData = isEncrypted(entry)
		? () =>
				new ZipError('wrongPassword', 'The ZIP password is wrong (the decrypted data is not valid)')
		: damaged;
	const output = method === METHOD_DEFLATE ? inflateRaw(plain, badData) : toAsync(plain);
	let crc = 0;
	let size = 0;
	for await (const chunk of output) {
		if (checkCrc) crc = crc32(chunk, crc);
		size += chunk.length;
		yield chunk;
	}
	if (size !== entry.uncompressedSize)
		throw damaged(`"${entry.name}" has ${size} bytes, expected ${entry.uncompressedSize}`);
	if (checkCrc && crc !== entry.crc) {
		throw isEncrypted(entry)
			? wrongPassword()
			: damaged(`checksum of "${entry.name}" does not match`);
	}
}

async function* toAsync(chunks: Iterable<Uint8Array>): AsyncGenerator<Uint8Array> {
	yield* chunks;
}
