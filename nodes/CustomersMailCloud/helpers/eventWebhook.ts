/**
 * Reading the Event Webhook's POSTs (see the provider's Event Webhook docs): form-encoded or JSON,
 * `event` as an object or a JSON text, one or many events per POST. Pure functions, so the
 * unconfirmed readings live here and nowhere else.
 */
import type { IDataObject } from 'n8n-workflow';

import { secretEquals } from '../../shared/execution/webhook';
import { knownStatusText } from './blockStatus';

export const EVENT_TYPES = ['deliveries', 'bounces', 'blocks'] as const;

/** The console's menu path to the Event Webhook settings. */
export const CONSOLE_MENU_PATH = 'Menu → API settings → Webhook tab → Event tab → Settings tab';

export interface EventPost {
	eventType: string;
	serverComposition: string;
	events: IDataObject[];
}

export type ReadResult = { post: EventPost } | { problem: string };

function first(value: unknown): unknown {
	return Array.isArray(value) ? value[0] : value;
}

/** `event` as sent: an object in the JSON samples, a JSON text inside the form field otherwise. */
function eventObject(value: unknown): IDataObject | undefined {
	const raw = first(value);
	if (typeof raw === 'string') {
		try {
			const parsed: unknown = JSON.parse(raw);
			return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
				? (parsed as IDataObject)
				: undefined;
		} catch {
			return undefined;
		}
	}
	return raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as IDataObject) : undefined;
}

/**
 * Version 1 event data names the envelope addresses `envelopeFrom` / `envelopeTo`; version 2 has
 * `returnPath` / `to`: both read as version 2, the original fields kept.
 */
function asVersion2(entry: IDataObject): IDataObject {
	const record: IDataObject = { ...entry };
	if (record.to === undefined && record.envelopeTo !== undefined) record.to = record.envelopeTo;
	if (record.returnPath === undefined && record.envelopeFrom !== undefined)
		record.returnPath = record.envelopeFrom;
	delete record.api_key;
	return record;
}

/** Reads one POST body; a problem (answered 400) when it is not an event post. */
export function readEventPost(body: unknown): ReadResult {
	if (!body || typeof body !== 'object' || Array.isArray(body))
		return { problem: 'The body is not a form or a JSON object' };
	const fields = body as IDataObject;
	const eventType = first(fields.event_type);
	if (typeof eventType !== 'string' || !eventType) return { problem: 'event_type is missing' };
	const serverComposition = first(fields.server_composition);
	if (typeof serverComposition !== 'string' || !serverComposition)
		return { problem: 'server_composition is missing' };
	const event = eventObject(fields.event);
	if (!event) return { problem: 'event is missing or not JSON' };
	const entries = event[eventType];
	if (!Array.isArray(entries)) return { problem: `event has no "${eventType}" list` };
	const events = (entries as unknown[]).filter(
		(entry): entry is IDataObject => !!entry && typeof entry === 'object' && !Array.isArray(entry),
	);
	if (events.length !== entries.length)
		return { problem: `event.${eventType} holds something that is not an event` };
	return { post: { eventType, serverComposition, events: events.map(asVersion2) } };
}

/** One output item per event: its fields, the event type and the server composition (and a readable error status). */
export function toEventItem(post: EventPost, event: IDataObject): IDataObject {
	const item: IDataObject = {
		eventType: post.eventType,
		serverComposition: post.serverComposition,
		...event,
	};
	if (post.eventType !== 'deliveries' && event.status !== undefined)
		item.statusText = knownStatusText(event.status) ?? null;
	return item;
}

/** Whether the event passes the status filters (empty filter: every status). */
export function statusWanted(
	eventType: string,
	event: IDataObject,
	deliveryStatuses: string[],
	errorStatuses: string[],
): boolean {
	const status = String(event.status ?? '');
	if (eventType === 'deliveries')
		return deliveryStatuses.length === 0 || deliveryStatuses.includes(status);
	return errorStatuses.length === 0 || errorStatuses.includes(status);
}

/** Whether an Authorization header carries these BASIC credentials. */
export function basicAuthMatches(header: unknown, user: string, password: string): boolean {
	const value = first(header);
	if (typeof value !== 'string') return false;
	const match = /^\s*Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(value);
	const decoded = match ? Buffer.from(match[1], 'base64').toString('utf8') : '';
	// Both compared whole, so neither a wrong user nor a wrong password answers sooner.
	return secretEquals(decoded, `${user}:${password}`);
}
