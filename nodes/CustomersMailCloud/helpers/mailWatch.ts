/**
 * The polling trigger's mail events, for accounts that cannot set up the Event Webhook:
 * - newBounce: the Bounces list from the day before the last poll's day (one day of overlap for
 *   late writes and time zones);
 * - deliveryFailed: the Deliveries list, which needs one call per day and status, for failed and
 *   deferred records over the same window.
 * What was emitted is remembered by a key per record, for the records inside the window only, so
 * the state stays the size of about two days of events. The trigger's poll paces these events and
 * keeps their state as it does for the block events (see EventWatcher).
 */
import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import { fetchPagesUntilShort } from '../../shared/transport/paging';
import type { TransportSettings } from '../../shared/transport/request';
import { BOUNCE_PAGE_SIZE, bouncesApi } from '../transport/bounces';
import type { DeliveryStatus } from '../transport/deliveries';
import { DELIVERY_PAGE_SIZE, deliveriesApi } from '../transport/deliveries';
import { toBounceItem } from './blockStatus';
import { addDays } from '../../shared/dateTime';
import type { EventWatcher, WatchState } from './blockWatch';
import { sortByCreated } from './blockWatch';

export type MailWatchEvent = 'newBounce' | 'deliveryFailed';
export const MAIL_WATCH_EVENTS: readonly string[] = ['newBounce', 'deliveryFailed'];

/** Failed, and deferred (re-sent after a temporary error): both mean the mail has not arrived. */
const UNDELIVERED: DeliveryStatus[] = ['failed', 'deferred'];
/** The most days one poll reads back, however long the trigger was off. */
const MAX_DAYS_BACK = 7;

export interface MailWatchQuery {
	serverComposition: string;
	/** Email Contains: matched against the recipient. */
	to?: string;
	settings: TransportSettings;
	concurrency: number;
}

/** The service is in Japan and refuses future days: "today" is the day in Japan. */
export function providerToday(now: Date): string {
	return new Date(now.getTime() + 9 * 3_600_000).toISOString().slice(0, 10);
}

function daysFrom(start: string, end: string): string[] {
	const first = [start, addDays(end, -MAX_DAYS_BACK)].sort()[1];
	const days: string[] = [];
	for (let day = first; day <= end; day = addDays(day, 1)) days.push(day);
	return days;
}

/** Records carry no id: a record is its time, recipient, message and status. */
export function recordKey(record: IDataObject): string {
	return [record.created, record.to, record.messageId, record.status]
		.map((value) => String(value ?? ''))
		.join('\u0000');
}

/** Splits one poll's records into the ones not emitted before and the next state. */
export function diffRecords(
	state: WatchState,
	records: IDataObject[],
	today: string,
): { fresh: IDataObject[]; next: WatchState } {
	const fresh = records.filter((record) => !(recordKey(record) in state.seen));
	const windowStart = [state.windowStart ?? '', addDays(today, -1)].sort()[1];
	// What was seen before stays seen (inside the window): a read that came back short, e.g. an
	// empty answer read as no records, must not make its records new again.
	const seen: Record<string, string> = {};
	for (const [key, day] of Object.entries(state.seen)) if (day >= windowStart) seen[key] = day;
	for (const record of records) {
		const day = String(record.created ?? '').slice(0, 10);
		if (day >= windowStart) seen[recordKey(record)] = day;
	}
	return { fresh: sortByCreated(fresh), next: { key: state.key, windowStart, seen } };
}

async function bouncesSince(
	ctx: IPollFunctions,
	query: MailWatchQuery,
	startDate: string,
): Promise<IDataObject[]> {
	const api = bouncesApi(ctx, { settings: query.settings }, query.serverComposition);
	const pages = await fetchPagesUntilShort(
		{ pageSize: BOUNCE_PAGE_SIZE, concurrency: query.concurrency },
		async (page) => await api.listPage({ startDate, to: query.to }, page, BOUNCE_PAGE_SIZE),
	);
	return pages.flat();
}

async function undeliveredOn(
	ctx: IPollFunctions,
	query: MailWatchQuery,
	days: string[],
): Promise<IDataObject[]> {
	const api = deliveriesApi(ctx, { settings: query.settings }, query.serverComposition);
	const records: IDataObject[] = [];
	for (const date of days) {
		for (const status of UNDELIVERED) {
			const pages = await fetchPagesUntilShort(
				{ pageSize: DELIVERY_PAGE_SIZE, concurrency: query.concurrency },
				async (page) =>
					await api.listPage({ date, status, to: query.to }, page, DELIVERY_PAGE_SIZE),
			);
			records.push(...pages.flat());
		}
	}
	return records;
}

async function recordsSince(
	ctx: IPollFunctions,
	event: MailWatchEvent,
	query: MailWatchQuery,
	start: string,
	today: string,
) {
	return event === 'newBounce'
		? await bouncesSince(ctx, query, start)
		: await undeliveredOn(ctx, query, daysFrom(start, today));
}

/** The mail event as the trigger's poll drives it, for one poll at `now`. */
export function mailWatcher(
	ctx: IPollFunctions,
	event: MailWatchEvent,
	query: MailWatchQuery,
	now: Date,
): EventWatcher {
	const today = providerToday(now);
	return {
		initialState: (key) => ({ key, windowStart: addDays(today, -1), seen: {} }),
		read: async (state) =>
			await recordsSince(ctx, event, query, state.windowStart ?? addDays(today, -1), today),
		diff: (state, records) => diffRecords(state, records, today),
		sample: async () => {
			// The newest record, recent days first so a long history costs little.
			for (const start of [addDays(today, -1), addDays(today, -MAX_DAYS_BACK)]) {
				const newest = sortByCreated(await recordsSince(ctx, event, query, start, today)).pop();
				if (newest) return newest;
			}
			return undefined;
		},
		toItem: (record) => (event === 'newBounce' ? toBounceItem(record) : record),
	};
}
