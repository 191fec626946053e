/** Reading one push delivery report (`GET ?id=&rcv_msg_id=&time=&status=`) from the gateway. */
import type { IDataObject } from 'n8n-workflow';

/** The gateway's numeric push statuses and their names. */
export const PUSH_STATUS_NAMES: Readonly<Record<string, string>> = {
	'2': 'delivered',
	'3': 'expired',
	'5': 'failed',
	'8': 'rejected',
	'127': 'error',
};

export const UNKNOWN_STATUS = 'unknown';

type Query = Record<string, unknown>;

function first(value: unknown): string | undefined {
	const single = Array.isArray(value) ? value[0] : value;
	return typeof single === 'string' || typeof single === 'number' ? String(single) : undefined;
}

/**
 * The query as the gateway meant it. The gateway appends "?id=…&…" to the report URL it was
 * given; when that URL already has a query ("?secret=…"), a naive append yields
 * "?secret=…?id=…&…", so the report's first field arrives inside the last value: split it off.
 * Fields given properly are never overwritten.
 */
export function unfoldQuery(query: Query): Query {
	const unfolded: Query = { ...query };
	for (const [key, value] of Object.entries(query)) {
		if (typeof value !== 'string' || !value.includes('?')) continue;
		const at = value.indexOf('?');
		const appended = new URLSearchParams(value.slice(at + 1));
		if (!appended.has('id') && !appended.has('status')) continue;
		unfolded[key] = value.slice(0, at);
		for (const [name, field] of appended) if (!(name in unfolded)) unfolded[name] = field;
	}
	return unfolded;
}

/** The report as the trigger emits it, or undefined when the call is not a report at all. */
export function readPushReport(query: Query): IDataObject | undefined {
	const id = first(query.id);
	const rawStatus = first(query.status)?.trim();
	if (!id || !rawStatus) return undefined;
	const statusCode = /^\d+$/.test(rawStatus) ? Number(rawStatus) : rawStatus;
	return {
		id,
		receivedMessageId: first(query.rcv_msg_id) ?? null,
		time: first(query.time) ?? null,
		statusCode,
		status: PUSH_STATUS_NAMES[String(statusCode)] ?? UNKNOWN_STATUS,
	};
}

export const PUSH_CREDENTIAL_TYPE = 'naimarSmsPushApi';

export const MIN_SECRET_LENGTH = 16;

/** Why a Shared Secret would not protect the report URL well, or undefined when it does. */
export function sharedSecretProblem(secret: unknown): string | undefined {
	const value = typeof secret === 'string' ? secret : '';
	if (!value) return 'Shared Secret is empty: enter a value of your choice';
	if (!/^[A-Za-z0-9._~-]+$/.test(value)) {
		return 'Shared Secret has characters that change inside a URL: use only letters, digits and - . _ ~';
	}
	if (value.length < MIN_SECRET_LENGTH) {
		return `Shared Secret is too short to be hard to guess: use at least ${MIN_SECRET_LENGTH} characters`;
	}
	return undefined;
}
