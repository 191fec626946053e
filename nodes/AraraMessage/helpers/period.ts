/**
 * All deliveries of a period, past the API's 4,000-item cap: a window whose `total` exceeds what
 * came back is split by time into enough parts for `total`, recursively, and the parts are fetched
 * with bounded concurrency. Windows are half-open minute ranges [from, to) that tile the period;
 * results are merged by delivery id (so an API that includes both ends loses nothing either).
 */
import type { IDataObject } from 'n8n-workflow';

import { mapWithConcurrency } from '../../shared/transport/limiter';
import type { RequestContext, TransportSettings } from '../../shared/transport/request';
import { deliveriesApi, STATUS_QUERY_CAP } from '../transport/deliveries';
import { MINUTE_MS, parseApiTime, toJapanMinute } from './japanTime';

/** Parts per split = total / cap × this, so that uneven windows rarely need a second split. */
const SPLIT_MARGIN = 1.2;

export interface PeriodOverflow {
	/** The one-minute window, as the API writes it. */
	minute: string;
	total: number;
	returned: number;
}

export interface PeriodResult {
	/** Deliveries in send-time order, each once. */
	deliveries: IDataObject[];
	/** Minutes that alone hold more than the API returns. */
	overflows: PeriodOverflow[];
	/** Status queries sent. */
	requests: number;
}

export interface PeriodQuery {
	fromMs: number;
	toMs: number;
	settings: TransportSettings;
	concurrency: number;
	/** Stop once this many deliveries (after `keep`) are known, reading the period from its start. */
	limit?: number;
	/** Which deliveries to keep (e.g. a status filter); all by default. */
	keep?: (delivery: IDataObject) => boolean;
	/** The input item the period belongs to, for errors (none for the trigger). */
	itemIndex?: number;
}

interface Segment {
	from: number;
	to: number;
	/** Kept deliveries once the window is complete (or overflowing at one minute). */
	kept?: IDataObject[];
}

/** Splits [from, to) into `parts` whole-minute windows that tile it. */
export function splitWindow(
	from: number,
	to: number,
	parts: number,
): Array<{ from: number; to: number }> {
	const minutes = Math.round((to - from) / MINUTE_MS);
	const count = Math.max(1, Math.min(minutes, parts));
	const windows: Array<{ from: number; to: number }> = [];
	let start = from;
	for (let index = 1; index <= count; index++) {
		const end = index === count ? to : from + Math.round((index * minutes) / count) * MINUTE_MS;
		if (end > start) windows.push({ from: start, to: end });
		start = end;
	}
	return windows;
}

export function partsFor(total: number): number {
	return Math.max(2, Math.ceil((total / STATUS_QUERY_CAP) * SPLIT_MARGIN));
}

function keptBeforeFirstOpen(segments: Segment[]): number {
	let count = 0;
	for (const segment of segments) {
		if (!segment.kept) return count;
		count += segment.kept.length;
	}
	return count;
}

export async function collectPeriod(
	ctx: RequestContext,
	query: PeriodQuery,
): Promise<PeriodResult> {
	const keep = query.keep ?? (() => true);
	const overflows: PeriodOverflow[] = [];
	let requests = 0;
	let segments: Segment[] = [{ from: query.fromMs, to: query.toMs }];
	const api = deliveriesApi(ctx, { settings: query.settings, itemIndex: query.itemIndex });

	for (;;) {
		if (query.limit !== undefined && keptBeforeFirstOpen(segments) >= query.limit) break;
		const open = segments.filter((segment) => !segment.kept);
		if (!open.length) break;
		// With a limit, read the period in order a few windows at a time, so it can stop early.
		const batch = query.limit === undefined ? open : open.slice(0, query.concurrency);
		const answers = await mapWithConcurrency(batch, query.concurrency, async (segment) => {
			requests += 1;
			return await api.getInPeriod(segment.from, segment.to);
		});
		const replaced = new Map<Segment, Segment[]>();
		batch.forEach((segment, index) => {
			const answer = answers[index];
			const complete = answer.total <= answer.items.length;
			if (complete || segment.to - segment.from <= MINUTE_MS) {
				segment.kept = answer.items.filter(keep);
				if (!complete) {
					const overflow = {
						minute: toJapanMinute(segment.from),
						total: answer.total,
						returned: answer.items.length,
					};
					overflows.push(overflow);
					// The warning travels with the items it concerns.
					const warning = describeOverflow(overflow);
					segment.kept = segment.kept.map((delivery) => ({ ...delivery, _warning: warning }));
				}
				return;
			}
			replaced.set(segment, splitWindow(segment.from, segment.to, partsFor(answer.total)));
		});
		if (replaced.size) segments = segments.flatMap((segment) => replaced.get(segment) ?? [segment]);
	}

	let deliveries = mergeDeliveries(segments.flatMap((segment) => segment.kept ?? []));
	if (query.limit !== undefined) deliveries = deliveries.slice(0, query.limit);
	return { deliveries, overflows, requests };
}

/**
 * One entry per delivery id (the later answer kept), in send-time order, then by id for a stable
 * output. The windows come in time order and usually each in order too: sorted only when they
 * are not. A delivery that two windows both returned has one send time, so its copies end up side
 * by side, where they are merged.
 */
export function mergeDeliveries(deliveries: IDataObject[]): IDataObject[] {
	const count = deliveries.length;
	const times = new Float64Array(count);
	const ids: string[] = new Array<string>(count);
	let ordered = true;
	// Send times are whole minutes, shared by neighbours: each text is parsed once per run of it.
	let lastText: unknown;
	let lastTime = Number.POSITIVE_INFINITY;
	for (let index = 0; index < count; index++) {
		const delivery = deliveries[index];
		const id = delivery.delivery_id;
		const text = (delivery.settings as IDataObject | undefined)?.send_time;
		if (text !== lastText) {
			lastText = text;
			lastTime = parseApiTime(text) ?? Number.POSITIVE_INFINITY;
		}
		times[index] = lastTime;
		ids[index] = typeof id === 'string' || typeof id === 'number' ? String(id) : '';
		if (ordered && index && compareAt(times, ids, index - 1, index) > 0) ordered = false;
	}
	const order = Array.from({ length: count }, (_unused, index) => index);
	if (!ordered) order.sort((a, b) => compareAt(times, ids, a, b) || a - b);
	const merged: IDataObject[] = [];
	let previousId = '';
	for (const index of order) {
		const id = ids[index];
		// Without an id a delivery cannot be matched: each is kept.
		if (id && id === previousId) merged[merged.length - 1] = deliveries[index];
		else merged.push(deliveries[index]);
		previousId = id;
	}
	return merged;
}

function compareAt(times: Float64Array, ids: readonly string[], a: number, b: number): number {
	return times[a] - times[b] || (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0);
}

export function describeOverflow(overflow: PeriodOverflow): string {
	return `The minute starting ${overflow.minute} holds ${overflow.total} deliveries, but Arara Message returns at most ${STATUS_QUERY_CAP} per query and cannot be asked for less than one minute: ${overflow.total - overflow.returned} of them are missing from the output.`;
}
