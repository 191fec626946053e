/**
 * The polling trigger's mail events, for accounts that cannot set up the Event Webhook:
 * - newBounce: the Bounces list from the day before the last poll's day (one day of overlap for
 *   late writes and time zones);
 * - deliveryFailed: the Deliveries list, which needs one call per day and status, for failed and
 *   deferred records over the same window.
 * What was emitted is remembered by a key per record, for the records inside the window only, so
 * the state stays the size of about two days of events and each event is emitted once, across
 * restarts too (n8n saves the state only after a successful poll).
 */
import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { fetchPagesUntilShort } from '../../shared/transport/paging';
import type { TransportSettings } from '../../shared/transport/request';
import { BOUNCE_PAGE_SIZE, bouncesApi } from '../transport/bounces';
import type { DeliveryStatus } from '../transport/deliveries';
import { DELIVERY_PAGE_SIZE, deliveriesApi } from '../transport/deliveries';
import { toBounceItem } from './blockStatus';
import { addDays } from '../../shared/dateTime';
import { sortByCreated } from './blockWatch';

export type MailWatchEvent = 'newBounce' | 'deliveryFailed';
export const MAIL_WATCH_EVENTS: readonly string[] = ['newBounce', 'deliveryFailed'];

/** Failed, and deferred (re-sent after a temporary error): both mean the mail has not arrived. */
const UNDELIVERED: DeliveryStatus[] = ['failed', 'deferred'];
/** The most days one poll reads back, however long the trigger was off. */
const MAX_DAYS_BACK = 7;

export interface MailWatchState {
	/** Parameters the state belongs to: when they change, the trigger starts over. */
	key: string;
	/** The first day the next poll reads. */
	windowStart: string;
	/** Keys of the records already emitted (or seen on the first poll) → their day. */
	seen: Record<string, string>;
}

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
	return [record.created, record.to, record.messageId, record.status].map((value) => String(value ?? '')).join('\u0000');
}

/** Splits one poll's records into the ones not emitted before and the next state. */
export function diffRecords(
	state: MailWatchState,
	records: IDataObject[],
	today: string,
): { fresh: IDataObject[]; next: MailWatchState } {
	const fresh = records.filter((record) => !(recordKey(record) in state.seen));
	const windowStart = [state.windowStart, addDays(today, -1)].sort()[1];
	const seen: Record<string, string> = {};
	for (const record of records) {
		const day = String(record.created ?? '').slice(0, 10);
		if (day >= windowStart) seen[recordKey(record)] = day;
	}
	return { fresh: sortByCreated(fresh), next: { key: state.key, windowStart, seen } };
}

async function bouncesSince(ctx: IPollFunctions, query: MailWatchQuery, startDate: string): Promise<IDataObject[]> {
	const api = bouncesApi(ctx, { settings: query.settings }, query.serverComposition);
	const pages = await fetchPagesUntilShort(
		{ pageSize: BOUNCE_PAGE_SIZE, concurrency: query.concurrency },
		async (page) => await api.listPage({ startDate, to: query.to }, page, BOUNCE_PAGE_SIZE),
	);
	return pages.flat();
}

async function undeliveredOn(ctx: IPollFunctions, query: MailWatchQuery, days: string[]): Promise<IDataObject[]> {
	const api = deliveriesApi(ctx, { settings: query.settings }, query.serverComposition);
	const records: IDataObject[] = [];
	for (const date of days) {
		for (const status of UNDELIVERED) {
			const pages = await fetchPagesUntilShort(
				{ pageSize: DELIVERY_PAGE_SIZE, concurrency: query.concurrency },
				async (page) => await api.listPage({ date, status, to: query.to }, page, DELIVERY_PAGE_SIZE),
			);
			records.push(...pages.flat());
		}
	}
	return records;
}

async function recordsSince(ctx: IPollFunctions, event: MailWatchEvent, query: MailWatchQuery, start: string, today: string) {
	return event === 'newBounce' ? await bouncesSince(ctx, query, start) : await undeliveredOn(ctx, query, daysFrom(start, today));
}

/** One poll of a mail event: the new records as items, or null when there are none (or on the first poll). */
export async function pollMailEvent(
	ctx: IPollFunctions,
	event: MailWatchEvent,
	query: MailWatchQuery,
): Promise<INodeExecutionData[][] | null> {
	const emit = (records: IDataObject[]) => [
		records.map((record) => ({ json: { event, ...(event === 'newBounce' ? toBounceItem(record) : record) } })),
	];
	const today = providerToday(new Date());
	if (ctx.getMode() === 'manual') {
		// "Fetch Test Event": the newest record, recent days first so a long history costs little.
		for (const start of [addDays(today, -1), addDays(today, -MAX_DAYS_BACK)]) {
			const newest = sortByCreated(await recordsSince(ctx, event, query, start, today)).pop();
			if (newest) return emit([newest]);
		}
		return null;
	}
	const staticData = ctx.getWorkflowStaticData('node') as { mailWatch?: MailWatchState };
	const key = JSON.stringify([event, query.serverComposition, query.to ?? '']);
	const firstRun = staticData.mailWatch?.key !== key;
	const state: MailWatchState = firstRun ? { key, windowStart: addDays(today, -1), seen: {} } : staticData.mailWatch!;
	const records = await recordsSince(ctx, event, query, state.windowStart, today);
	const { fresh, next } = diffRecords(state, records, today);
	staticData.mailWatch = next;
	if (firstRun || fresh.length === 0) return null;
	return emit(fresh);
}
