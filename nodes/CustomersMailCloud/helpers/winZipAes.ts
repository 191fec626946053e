/**
 * WinZip AES (AE-1 / AE-2) decryption: PBKDF2-HMAC-SHA1 keys, a password verifier, AES in
 * counter mode with a little-endian counter (which node:crypto's aes-ctr does not offer, so the
 * key stream is built from AES-ECB over counter blocks), and an HMAC-SHA1 authentication code.
 */
import { createCipheriv, createHmac, pbkdf2Sync, timingSafeEqual } from 'node:crypto';

export const AES_AUTH_CODE_LENGTH = 10;
export const AES_VERIFIER_LENGTH = 2;

/** Strength byte of the 0x9901 extra field → key and salt lengths. */
export function aesSizes(strength: number): { keyLength: number; saltLength: number } | undefined {
	if (strength === 1) return { keyLength: 16, saltLength: 8 };
	if (strength === 2) return { keyLength: 24, saltLength: 12 };
	if (strength === 3) return { keyLength: 32, saltLength: 16 };
	return undefined;
}

export interface AesKeys {
	encryptionKey: Buffer;
	macKey: Buffer;
	verifier: Buffer;
}

export function deriveAesKeys(password: Uint8Array, salt: Uint8Array, keyLength: number): AesKeys {
	const derived = pbkdf2Sync(password, salt, 1000, keyLength * 2 + AES_VERIFIER_LENGTH, 'sha1');
	return {
		encryptionKey: derived.subarray(0, keyLength),
		macKey: derived.subarray(keyLength, keyLength * 2),
		verifier: derived.subarray(keyLength * 2),
	};
}

/** The first 10 bytes of HMAC-SHA1 over the encrypted data, compared in constant time. */
export function aesAuthCodeMatches(
	macKey: Uint8Array,
	encrypted: Uint8Array,
	authCode: Uint8Array,
): boolean {
	const expected = createHmac('sha1', macKey)
		.update(encrypted)
		.digest()
		.subarray(0, AES_AUTH_CODE_LENGTH);
	return authCode.length === AES_AUTH_CODE_LENGTH && timingSafeEqual(expected, authCode);
}

export function aesAuthCode(macKey: Uint8Array, encrypted: Uint8Array): Buffer {
	return createHmac('sha1', macKey).update(encrypted).digest().subarray(0, AES_AUTH_CODE_LENGTH);
}

/**
 * AES-CTR with WinZip's little-endian block counter starting at 1. Encryption and decryption are
 * the same XOR; chunks must be multiples of 16 bytes except the last.
 */
export class WinZipAesCtr {
	private counter = 1;
	private readonly cipher;

	constructor(key: Uint8Array) {
		this.cipher = createCipheriv(`aes-${key.length * 8}-ecb`, key, null);
		this.cipher.setAutoPadding(false);
	}

	transform(chunk: Uint8Array): Uint8Array {
		const blocks = Math.ceil(chunk.length / 16);
		const counters = Buffer.alloc(blocks * 16);
		for (let block = 0; block < blocks; block++) {
			const value = this.counter++;
			counters.writeUInt32LE(value >>> 0, block * 16);
			counters.writeUInt32LE(Math.floor(value / 0x100000000), block * 16 + 4);
		}
		const keyStream = this.cipher.update(counters);
		const out = new Uint8Array(chunk.length);
		for (let i = 0; i < chunk.length; i++) out[i] = chunk[i] ^ keyStream[i];
		return out;
	}
}
