/** CRC-32 (the ZIP polynomial), incremental: checks that unzipped data is what was zipped. */
const TABLE = (() => {
	const table = new Uint32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		table[n] = c >>> 0;
	}
	return table;
})();

/** Continues a CRC over more bytes; start with `crc32(bytes)` or `crc32(bytes, previous)`. */
export function crc32(bytes: Uint8Array, previous = 0): number {
	let crc = (previous ^ 0xffffffff) >>> 0;
	for (let i = 0; i < bytes.length; i++) crc = TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
	return (crc ^ 0xffffffff) >>> 0;
}

/** One step of the CRC, as the traditional PKWARE cipher uses it for its keys. */
export function crc32Step(crc: number, byte: number): number {
	return (TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8)) >>> 0;
}
