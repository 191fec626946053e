/** Traditional PKWARE encryption ("ZipCrypto"): the cipher older tools and many servers still use. */
import { crc32Step } from './crc32';

export const ZIP_CRYPTO_HEADER_LENGTH = 12;

export class ZipCryptoKeys {
	private key0 = 0x12345678;
	private key1 = 0x23456789;
	private key2 = 0x34567890;

	constructor(password: Uint8Array) {
		for (const byte of password) this.update(byte);
	}

	private update(byte: number): void {
		this.key0 = crc32Step(this.key0, byte);
		this.key1 = (Math.imul((this.key1 + (this.key0 & 0xff)) >>> 0, 134775813) + 1) >>> 0;
		this.key2 = crc32Step(this.key2, this.key1 >>> 24);
	}

	private streamByte(): number {
		const temp = (this.key2 | 2) & 0xffff;
		return (Math.imul(temp, temp ^ 1) >>> 8) & 0xff;
	}

	/** Decrypts a chunk into a new array; the keys carry over to the next chunk. */
	decrypt(chunk: Uint8Array): Uint8Array {
		const out = new Uint8Array(chunk.length);
		for (let i = 0; i < chunk.length; i++) {
			const plain = chunk[i] ^ this.streamByte();
			this.update(plain);
			out[i] = plain;
		}
		return out;
	}

	/** Encrypts a chunk into a new array (used by tests and the fake to build encrypted ZIPs). */
	encrypt(chunk: Uint8Array): Uint8Array {
		const out = new Uint8Array(chunk.length);
		for (let i = 0; i < chunk.length; i++) {
			out[i] = chunk[i] ^ this.streamByte();
			this.update(chunk[i]);
		}
		return out;
	}
}
