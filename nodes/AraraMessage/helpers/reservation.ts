/**
 * Building and checking reservation bodies against the documented limits, before any request is
 * sent, and packing deliveries into requests the API accepts (≤ 100 deliveries, ≤ 6 MB).
 */
import { createHash } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

export const LIMITS = {
	subjectBytes: 500,
	addressBytes: 256,
	lineBytes: 1000,
	requestIdPattern: /^[a-z0-9]{1,64}$/,
	substitutionKeyPattern: /^[a-z0-9_-]+$/,
	maxDaysAhead: 32,
	deliveriesPerRequest: 100,
	/** 6 MB, read as 6,000,000 bytes (the stricter reading). */
	requestBytes: 6_000_000,
	lifetimeSeconds: { min: 3600, max: 86400 },
} as const;

export function byteLength(text: string): number {
	return Buffer.byteLength(text, 'utf8');
}

/** Problem text for a value that breaks a limit, or undefined when it is fine. */
export function checkAddress(address: string, { single = true } = {}): string | undefined {
	if (!address) return 'is empty';
	if (!address.includes('@')) return `"${address}" is not an e-mail address`;
	// Several addresses (a list from an expression, or typed with commas or spaces) would go out as one.
	// CC and BCC are plain strings in the API; whether they take a list is unconfirmed, so they may.
	if (single && (/[\s,;]/.test(address) || address.indexOf('@') !== address.lastIndexOf('@'))) {
		return `"${address}" is not one e-mail address`;
	}
	if (byteLength(address) > LIMITS.addressBytes)
		return `is ${byteLength(address)} bytes long; at most ${LIMITS.addressBytes} are allowed`;
	return undefined;
}

export function checkSubject(subject: string): string | undefined {
	if (!subject) return 'is empty';
	const bytes = byteLength(subject);
	if (bytes > LIMITS.subjectBytes)
		return `is ${bytes} bytes long (UTF-8); at most ${LIMITS.subjectBytes} are allowed`;
	return undefined;
}

export function checkLines(body: string): string | undefined {
	const lines = body.split(/\r?\n/);
	const index = lines.findIndex((line) => byteLength(line) > LIMITS.lineBytes);
	if (index < 0) return undefined;
	return `has a line (line ${index + 1}) of ${byteLength(lines[index])} bytes; at most ${LIMITS.lineBytes} bytes per line are allowed`;
}

export function checkRequestId(requestId: string): string | undefined {
	if (LIMITS.requestIdPattern.test(requestId)) return undefined;
	return `"${requestId}" is not allowed: use 1 to 64 lowercase letters (a–z) and digits only`;
}

/** A request ID from stable parts (execution, node, run, item): "n8n" and 40 hex digits, as the API allows. */
export function generatedRequestId(parts: readonly string[]): string {
	return 'n8n' + createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 40);
}

export function checkSubstitutionKey(key: string): string | undefined {
	if (LIMITS.substitutionKeyPattern.test(key)) return undefined;
	return `"${key}" is not allowed: use lowercase letters, digits, "-" and "_" only`;
}

/** The send time must lie in the future and less than 32 days ahead. */
export function checkSendTime(sendMs: number, nowMs: number): string | undefined {
	if (sendMs <= nowMs) return 'lies in the past (or in the current minute)';
	if (sendMs - nowMs >= LIMITS.maxDaysAhead * 24 * 3600 * 1000)
		return `is ${LIMITS.maxDaysAhead} or more days ahead`;
	return undefined;
}

/** `hh:mm` or `hh:mm+09:00` → `hh:mm+09:00`; undefined when it is not a clock time. */
export function japanClock(value: string): string | undefined {
	const match = /^([01]\d|2[0-3]):([0-5]\d)(\+09:00)?$/.exec(value.trim());
	return match ? `${match[1]}:${match[2]}+09:00` : undefined;
}

/** A delivery's JSON and its size: the text that is measured against the limits is the text sent. */
export function serializedDelivery(delivery: IDataObject): { json: string; bytes: number } {
	const json = JSON.stringify(delivery);
	return { json, bytes: byteLength(json) };
}

export function deliveryBytes(delivery: IDataObject): number {
	return serializedDelivery(delivery).bytes;
}

/** Bytes of `{"delivery":[d1,d2,…]}` given the sizes of its deliveries. */
export function requestBytes(deliverySizes: readonly number[]): number {
	const envelope = byteLength('{"delivery":[]}');
	return (
		envelope +
		deliverySizes.reduce((sum, size) => sum + size, 0) +
		Math.max(0, deliverySizes.length - 1)
	);
}

/**
 * Groups deliveries (in order) into requests of at most 100 deliveries and 6 MB. A delivery
 * that alone is too big must be rejected before (see `requestBytes`).
 */
export function packRequests<T extends { bytes: number }>(deliveries: readonly T[]): T[][] {
	const requests: T[][] = [];
	let current: T[] = [];
	// requestBytes of `current`, kept as it grows: the envelope, the deliveries and a comma between each two.
	let currentBytes = requestBytes([]);
	for (const delivery of deliveries) {
		const withIt = currentBytes + delivery.bytes + (current.length ? 1 : 0);
		const fits = current.length < LIMITS.deliveriesPerRequest && withIt <= LIMITS.requestBytes;
		if (!fits && current.length) {
			requests.push(current);
			current = [];
			currentBytes = requestBytes([]);
		}
		currentBytes += delivery.bytes + (current.length ? 1 : 0);
		current.push(delivery);
	}
	if (current.length) requests.push(current);
	return requests;
}

/**
 * Splits one delivery's mailing list into as few deliveries as needed so that each fits a
 * request of 6 MB on its own. Returns the index ranges of the recipients per delivery.
 */
export function splitMailingList(
	baseBytes: number,
	recipientBytes: readonly number[],
): Array<[number, number]> {
	const ranges: Array<[number, number]> = [];
	let start = 0;
	let size = requestBytes([baseBytes]);
	for (let index = 0; index < recipientBytes.length; index++) {
		const extra = recipientBytes[index] + (index > start ? 1 : 0);
		if (index > start && size + extra > LIMITS.requestBytes) {
			ranges.push([start, index]);
			start = index;
			size = requestBytes([baseBytes]) + recipientBytes[index];
		} else {
			size += extra;
		}
	}
	if (recipientBytes.length) ranges.push([start, recipientBytes.length]);
	return ranges;
}
