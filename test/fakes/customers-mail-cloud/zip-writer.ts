/**
 * Builds real ZIP files the way the provider sends them: one deflated CSV, optionally encrypted
 * with traditional PKWARE encryption (ZipCrypto) or WinZip AES (AE-1/AE-2, 128/192/256 bits).
 * Written independently of the node's reader (test code may use node:zlib), so each checks the other.
 */
import { createCipheriv, createHmac, pbkdf2Sync } from 'node:crypto';
import { createDeflateRaw, crc32 as zlibCrc32 } from 'node:zlib';

export type ZipEncryption =
	| { kind: 'none' }
	| { kind: 'zipcrypto'; password: string }
	| { kind: 'aes'; password: string; strength?: 1 | 2 | 3; version?: 1 | 2 };

export interface ZipWriteOptions {
	encryption?: ZipEncryption;
	/** Set general-purpose bit 3 and write a data descriptor, as a streaming writer does. */
	dataDescriptor?: boolean;
	/** Deterministic bytes for salts and encryption headers. */
	random?: () => number;
	date?: Date;
}

function dosDateTime(date: Date): { time: number; day: number } {
	return {
		time:
			(date.getUTCHours() << 11) |
			(date.getUTCMinutes() << 5) |
			Math.floor(date.getUTCSeconds() / 2),
		day:
			((date.getUTCFullYear() - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
	};
}

function randomBytes(count: number, random: () => number): Buffer {
	const bytes = Buffer.alloc(count);
	for (let i = 0; i < count; i++) bytes[i] = Math.floor(random() * 256);
	return bytes;
}

/** Deflates chunks as they come (the CSV is never held whole); returns the compressed bytes, CRC and size. */
export async function deflateChunks(
	chunks: Iterable<string | Buffer>,
): Promise<{ data: Buffer; crc: number; size: number }> {
	const deflate = createDeflateRaw({ level: 6 });
	const out: Buffer[] = [];
	deflate.on('data', (chunk: Buffer) => out.push(chunk));
	const finished = new Promise<void>((resolve, reject) => {
		deflate.once('end', resolve);
		deflate.once('error', reject);
	});
	let crc = 0;
	let size = 0;
	for (const chunk of chunks) {
		const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
		crc = zlibCrc32(bytes, crc);
		size += bytes.length;
		if (!deflate.write(bytes)) await new Promise((resolve) => deflate.once('drain', resolve));
	}
	deflate.end();
	await finished;
	return { data: Buffer.concat(out), crc: crc >>> 0, size };
}

// --- traditional PKWARE encryption -------------------------------------------------------------
const CRC_TABLE = (() => {
	const table = new Uint32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		table[n] = c >>> 0;
	}
	return table;
})();

function zipCryptoEncrypt(password: string, plain: Buffer): Buffer {
	let k0 = 0x12345678;
	let k1 = 0x23456789;
	let k2 = 0x34567890;
	const update = (byte: number) => {
		k0 = (CRC_TABLE[(k0 ^ byte) & 0xff] ^ (k0 >>> 8)) >>> 0;
		k1 = Number((BigInt(k1 + (k0 & 0xff)) * 134775813n + 1n) & 0xffffffffn);
		k2 = (CRC_TABLE[(k2 ^ (k1 >>> 24)) & 0xff] ^ (k2 >>> 8)) >>> 0;
	};
	for (const byte of Buffer.from(password, 'utf8')) update(byte);
	const out = Buffer.alloc(plain.length);
	for (let i = 0; i < plain.length; i++) {
		const temp = (k2 | 2) & 0xffff;
		const key = Math.floor((temp * (temp ^ 1)) / 256) & 0xff;
		out[i] = plain[i] ^ key;
		update(plain[i]);
	}
	return out;
}

// --- WinZip AES --------------------------------------------------------------------------------
function aesEncrypt(
	password: string,
	strength: 1 | 2 | 3,
	data: Buffer,
	random: () => number,
): Buffer {
	const keyLength = [0, 16, 24, 32][strength];
	const salt = randomBytes([0, 8, 12, 16][strength], random);
	const derived = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, 1000, keyLength * 2 + 2, 'sha1');
	const encKey = derived.subarray(0, keyLength);
	const macKey = derived.subarray(keyLength, keyLength * 2);
	const verifier = derived.subarray(keyLength * 2);
	const cipher = createCipheriv(`aes-${keyLength * 8}-ecb`, encKey, null).setAutoPadding(false);
	const encrypted = Buffer.alloc(data.length);
	const counter = Buffer.alloc(16);
	for (let offset = 0, block = 1; offset < data.length; offset += 16, block++) {
		counter.fill(0);
		counter.writeBigUInt64LE(BigInt(block));
		const keyStream = cipher.update(counter);
		for (let i = 0; i < 16 && offset + i < data.length; i++)
			encrypted[offset + i] = data[offset + i] ^ keyStream[i];
	}
	const auth = createHmac('sha1', macKey).update(encrypted).digest().subarray(0, 10);
	return Buffer.concat([salt, verifier, encrypted, auth]);
}

/** A ZIP with one file whose (already deflated) data is given. */
export function buildZip(
	fileName: string,
	deflated: { data: Buffer; crc: number; size: number },
	options: ZipWriteOptions = {},
): Buffer {
	const encryption = options.encryption ?? { kind: 'none' };
	const random = options.random ?? Math.random;
	const { time, day } = dosDateTime(options.date ?? new Date('2024-01-01T00:00:00Z'));
	const name = Buffer.from(fileName, 'utf8');
	let flags = 0x0800; // UTF-8 names
	if (options.dataDescriptor) flags |= 0x8;
	let method = 8;
	let crc = deflated.crc;
	let payload = deflated.data;
	let extra = Buffer.alloc(0);
	if (encryption.kind === 'zipcrypto') {
		flags |= 0x1;
		const header = randomBytes(12, random);
		header[11] = options.dataDescriptor ? (time >>> 8) & 0xff : crc >>> 24;
		payload = zipCryptoEncrypt(encryption.password, Buffer.concat([header, deflated.data]));
	} else if (encryption.kind === 'aes') {
		flags |= 0x1;
		const strength = encryption.strength ?? 3;
		const version = encryption.version ?? 2;
		method = 99;
		if (version === 2) crc = 0;
		extra = Buffer.alloc(11);
		extra.writeUInt16LE(0x9901, 0);
		extra.writeUInt16LE(7, 2);
		extra.writeUInt16LE(version, 4);
		extra.write('AE', 6, 'latin1');
		extra[8] = strength;
		extra.writeUInt16LE(8, 9);
		payload = aesEncrypt(encryption.password, strength, deflated.data, random);
	}
	const version = method === 99 ? 51 : 20;
	const local = Buffer.alloc(30);
	local.writeUInt32LE(0x04034b50, 0);
	local.writeUInt16LE(version, 4);
	local.writeUInt16LE(flags, 6);
	local.writeUInt16LE(method, 8);
	local.writeUInt16LE(time, 10);
	local.writeUInt16LE(day, 12);
	if (!options.dataDescriptor) {
		local.writeUInt32LE(crc, 14);
		local.writeUInt32LE(payload.length, 18);
		local.writeUInt32LE(deflated.size, 22);
	}
	local.writeUInt16LE(name.length, 26);
	local.writeUInt16LE(extra.length, 28);
	const descriptor = Buffer.alloc(options.dataDescriptor ? 16 : 0);
	if (options.dataDescriptor) {
		descriptor.writeUInt32LE(0x08074b50, 0);
		descriptor.writeUInt32LE(crc, 4);
		descriptor.writeUInt32LE(payload.length, 8);
		descriptor.writeUInt32LE(deflated.size, 12);
	}
	const central = Buffer.alloc(46);
	central.writeUInt32LE(0x02014b50, 0);
	central.writeUInt16LE(version, 4);
	central.writeUInt16LE(version, 6);
	central.writeUInt16LE(flags, 8);
	central.writeUInt16LE(method, 10);
	central.writeUInt16LE(time, 12);
	central.writeUInt16LE(day, 14);
	central.writeUInt32LE(crc, 16);
	central.writeUInt32LE(payload.length, 20);
	central.writeUInt32LE(deflated.size, 24);
	central.writeUInt16LE(name.length, 28);
	central.writeUInt16LE(extra.length, 30);
	central.writeUInt32LE(0, 42);
	const directoryOffset =
		local.length + name.length + extra.length + payload.length + descriptor.length;
	const directorySize = central.length + name.length + extra.length;
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(1, 8);
	end.writeUInt16LE(1, 10);
	end.writeUInt32LE(directorySize, 12);
	end.writeUInt32LE(directoryOffset, 16);
	return Buffer.concat([local, name, extra, payload, descriptor, central, name, extra, end]);
}
