/** The fake's checks of a reservation body: the documented limits, answered as 400 {"message"}. */
const MINUTE = 60_000;
export const MAX_PAYLOAD_BYTES = 6_000_000;
export const MAX_DELIVERIES = 100;

const TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})\+09:00$/;

/** `yyyy-mm-ddThh:mm+09:00` → epoch ms, or undefined when the text has another shape. */
export function parseJapanMinute(text: unknown): number | undefined {
	if (typeof text !== 'string') return undefined;
	const match = TIME.exec(text);
	if (!match) return undefined;
	const [, year, month, day, hour, minute] = match.map(Number);
	const ms = Date.UTC(year, month - 1, day, hour - 9, minute);
	// Reject dates that do not exist (e.g. 2024-02-30).
	const check = new Date(ms + 9 * 3_600_000);
	if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
	return ms;
}

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
type Json = Record<string, unknown>;

export interface AcceptedDelivery {
	mails: number;
	sendAt: number;
	settings: Json;
}

/** Returns an error message for the first problem, or the accepted deliveries. */
export function checkReservation(
	raw: string,
	nowMs: number,
	usedRequestIds: Set<string>,
): { error: string } | { deliveries: AcceptedDelivery[] } {
	if (bytes(raw) > MAX_PAYLOAD_BYTES) return { error: `payload exceeds 6MB (${bytes(raw)} bytes)` };
	let body: Json;
	try {
		body = JSON.parse(raw) as Json;
	} catch {
		return { error: 'request body is not valid JSON' };
	}
	const list = body.delivery;
	if (!Array.isArray(list) || !list.length) return { error: 'delivery is required' };
	if (list.length > MAX_DELIVERIES)
		return { error: `delivery: at most ${MAX_DELIVERIES} deliveries per request` };
	const accepted: AcceptedDelivery[] = [];
	const seenInRequest = new Set<string>();
	for (let index = 0; index < list.length; index++) {
		const where = `delivery[${index}]`;
		const delivery = list[index] as Json;
		const mailingList = delivery?.['mailing-list'];
		if (!Array.isArray(mailingList) || !mailingList.length)
			return { error: `${where}.mailing-list is required` };
		for (const [position, entry] of (mailingList as Json[]).entries()) {
			const address = (entry?.to as Json | undefined)?.address;
			if (typeof address !== 'string' || !address)
				return { error: `${where}.mailing-list[${position}].to.address is required` };
			if (bytes(address) > 256)
				return { error: `${where}.mailing-list[${position}].to.address exceeds 256 bytes` };
			const device = (entry.to as Json).device;
			if (device !== undefined && ![0, 1, 2, 3, 4].includes(device as number))
				return { error: `${where}.mailing-list[${position}].to.device is invalid` };
			for (const key of Object.keys((entry.substitutions as Json | undefined) ?? {})) {
				if (!/^[a-z0-9_-]+$/.test(key))
					return {
						error: `${where}.mailing-list[${position}].substitutions key "${key}" is invalid`,
					};
			}
		}
		const contents = delivery.contents as Json | undefined;
		if (!contents) return { error: `${where}.contents is required` };
		if (typeof contents.subject !== 'string' || !contents.subject)
			return { error: `${where}.contents.subject is required` };
		if (bytes(contents.subject) > 500)
			return { error: `${where}.contents.subject exceeds 500 bytes` };
		const body = contents.body as Json | undefined;
		if (!body || (typeof body.text !== 'string' && typeof body.html !== 'string'))
			return { error: `${where}.contents.body is required` };
		for (const part of [body.text, body.html]) {
			if (typeof part === 'string' && part.split(/\r?\n/).some((line) => bytes(line) > 1000)) {
				return { error: `${where}.contents.body has a line over 1000 bytes` };
			}
		}
		const settings = { ...((delivery.settings as Json | undefined) ?? {}) };
		let sendAt: number;
		if (settings.send_time === undefined || settings.send_time === 'now') {
			sendAt = Math.floor(nowMs / MINUTE) * MINUTE;
		} else {
			const parsed = parseJapanMinute(settings.send_time);
			if (parsed === undefined) return { error: `${where}.settings.send_time is invalid` };
			if (parsed <= nowMs) return { error: `${where}.settings.send_time is in the past` };
			if (parsed - nowMs >= 32 * 86_400_000)
				return { error: `${where}.settings.send_time is 32 days or more ahead` };
			sendAt = parsed;
		}
		if (settings.request_id !== undefined) {
			const requestId = settings.request_id;
			if (typeof requestId !== 'string' || !/^[a-z0-9]{1,64}$/.test(requestId))
				return { error: `${where}.settings.request_id is invalid` };
			if (usedRequestIds.has(requestId) || seenInRequest.has(requestId))
				return { error: `${where}.settings.request_id is already used` };
			seenInRequest.add(requestId);
		}
		const lifetime = (settings.tc_option as Json | undefined)?.lifetime;
		if (
			lifetime !== undefined &&
			!(typeof lifetime === 'number' && lifetime >= 3600 && lifetime <= 86400)
		) {
			return { error: `${where}.settings.tc_option.lifetime must be 3600-86400` };
		}
		for (const field of ['from', 'reply_to'] as const) {
			const address = (settings[field] as Json | undefined)?.address;
			if (typeof address === 'string' && bytes(address) > 256)
				return { error: `${where}.settings.${field}.address exceeds 256 bytes` };
		}
		accepted.push({ mails: mailingList.length, sendAt, settings });
	}
	return { deliveries: accepted };
}
